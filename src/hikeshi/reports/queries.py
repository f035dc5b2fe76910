"""Read queries the reports need beyond `Store`: posts of a time window in reach or time order, sizes of
near-duplicate groups, and counts of a window.

Ordering, filtering and counting happen in SQL, so the spread of a flame with a hundred thousand posts still
loads only the few dozen rows a report shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from hikeshi.store import Store, StoredPost, convert
from hikeshi.store.models import AnalysisRow, PostRow
from hikeshi.store.search import text_condition


def _metric(name: str) -> Any:
    return func.coalesce(PostRow.metrics[name].as_integer(), 0)


def reach_expression() -> ColumnElement[int]:
    """Views when the platform reports them, else the author's followers (news and RSS report no views)."""
    views = _metric("views")
    followers = func.coalesce(PostRow.author_followers, 0)
    return case((views >= followers, views), else_=followers)


def post_reach(post: StoredPost) -> int:
    """The same measure as `reach_expression`, for a post already loaded."""
    return max(post.post.metrics.views, post.post.author_followers or 0)


def window_posts(
    store: Store,
    watch: str,
    since: dt.datetime,
    until: dt.datetime,
    *,
    by_reach: bool = False,
    negative_only: bool = False,
    min_followers: int | None = None,
    sources: Collection[str] | None = None,
    exclude_sources: Collection[str] | None = None,
    containing: str | None = None,
    limit: int = 50,
) -> list[StoredPost]:
    """Posts of `watch` in [since, until), earliest first (or highest reach first), filtered in SQL.

    `containing` keeps posts whose text contains it (e.g. a signal's term 「不買」; the store's index search).
    """
    with Session(store.engine) as session:
        statement = (
            select(PostRow, AnalysisRow)
            .outerjoin(AnalysisRow, AnalysisRow.post_id == PostRow.id)
            .where(
                PostRow.watch_id == store._watch_id(session.connection(), watch),
                PostRow.created_at >= since,
                PostRow.created_at < until,
            )
        )
        if negative_only:
            statement = statement.where(AnalysisRow.sentiment_label == "negative")
        if min_followers is not None:
            statement = statement.where(PostRow.author_followers >= min_followers)
        if sources is not None:
            statement = statement.where(PostRow.source.in_(list(sources)))
        if exclude_sources:
            statement = statement.where(PostRow.source.not_in(list(exclude_sources)))
        if containing:
            statement = statement.where(text_condition(store.dialect, containing))
        if by_reach:
            statement = statement.order_by(
                reach_expression().desc(), _metric("reposts").desc(), PostRow.created_at, PostRow.id
            )
        else:
            statement = statement.order_by(PostRow.created_at, PostRow.id)
        return [_stored(post, analysis) for post, analysis in session.execute(statement.limit(limit))]


def group_sizes(
    store: Store, watch: str, since: dt.datetime, until: dt.datetime, groups: Collection[str]
) -> dict[str, int]:
    """How many posts of each near-duplicate group fall in [since, until)."""
    if not groups:
        return {}
    with Session(store.engine) as session:
        rows = session.execute(
            select(PostRow.dup_group, func.count(PostRow.id))
            .where(
                PostRow.watch_id == store._watch_id(session.connection(), watch),
                PostRow.created_at >= since,
                PostRow.created_at < until,
                PostRow.dup_group.in_(list(groups)),
            )
            .group_by(PostRow.dup_group)
        ).all()
    return {str(group): int(count) for group, count in rows}


def largest_groups(
    store: Store, watch: str, since: dt.datetime, until: dt.datetime, limit: int = 5
) -> list[tuple[StoredPost, int]]:
    """The most copied texts of the window: each group's earliest post in it, and the group's size."""
    with Session(store.engine) as session:
        watch_id = store._watch_id(session.connection(), watch)
        in_window = (
            PostRow.watch_id == watch_id,
            PostRow.created_at >= since,
            PostRow.created_at < until,
            PostRow.dup_group.is_not(None),
        )
        sizes = session.execute(
            select(PostRow.dup_group, func.count(PostRow.id).label("size"), func.min(PostRow.id))
            .where(*in_window)
            .group_by(PostRow.dup_group)
            .having(func.count(PostRow.id) > 1)
            .order_by(func.count(PostRow.id).desc(), func.min(PostRow.id))
            .limit(limit)
        ).all()
        found: list[tuple[StoredPost, int]] = []
        for group, size, _ in sizes:
            row = session.execute(
                select(PostRow, AnalysisRow)
                .outerjoin(AnalysisRow, AnalysisRow.post_id == PostRow.id)
                .where(*in_window, PostRow.dup_group == group)
                .order_by(PostRow.created_at, PostRow.id)
                .limit(1)
            ).one()
            found.append((_stored(row[0], row[1]), int(size)))
        return found


def window_counts(store: Store, watch: str, since: dt.datetime, until: dt.datetime) -> tuple[int, int, int]:
    """(posts, analysed posts, negative posts) of `watch` in [since, until)."""
    with Session(store.engine) as session:
        posts, analyzed, negative = session.execute(
            select(
                func.count(PostRow.id),
                func.count(AnalysisRow.post_id),
                func.coalesce(func.sum(case((AnalysisRow.sentiment_label == "negative", 1), else_=0)), 0),
            )
            .select_from(PostRow)
            .outerjoin(AnalysisRow, AnalysisRow.post_id == PostRow.id)
            .where(
                PostRow.watch_id == store._watch_id(session.connection(), watch),
                PostRow.created_at >= since,
                PostRow.created_at < until,
            )
        ).one()
    return int(posts), int(analyzed), int(negative)


def _stored(post_row: PostRow, analysis_row: AnalysisRow | None) -> StoredPost:
    return StoredPost(
        id=post_row.id,
        post=convert.post_from_row(post_row),
        analysis=convert.analysis_from_row(analysis_row) if analysis_row is not None else None,
        dup_group=post_row.dup_group,
    )
