"""Finding the stored posts to preserve: one named by its key, or the incident's posts with the widest reach.

Reach is what a 削除請求 is about: a post seen 2,000,000 times does more harm than a hundred seen by nobody. The
order is views, then reposts, then the author's followers (sources without view counts fall back to reposts),
computed in SQL so a flame with hundreds of thousands of posts still returns its top N without loading them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hikeshi.errors import NotFoundError
from hikeshi.store import Store, convert
from hikeshi.store.evidence import posts_by_keys, split_key
from hikeshi.store.models import AnalysisRow, PostRow, WatchRow
from hikeshi.store.records import StoredPost


def _metric(name: str) -> Any:
    return func.coalesce(PostRow.metrics[name].as_integer(), 0)


def reach_key(stored: StoredPost) -> tuple[int, int, int]:
    """The same order as the SQL below, for merging candidates found in different ways."""
    post = stored.post
    return (post.metrics.views, post.metrics.reposts, post.author_followers or 0)


def find_post(store: Store, watch: str, post_id: str) -> StoredPost:
    """The post `source:source_id` (Post.key), or a bare source id when it is unique within the watch."""
    wanted = post_id.strip()
    if split_key(wanted) is not None:
        found = posts_by_keys(store, watch, [wanted])
        if found:
            return found[0]
    with Session(store.engine) as session:
        rows = session.execute(
            select(PostRow, AnalysisRow)
            .join(WatchRow, WatchRow.id == PostRow.watch_id)
            .outerjoin(AnalysisRow, AnalysisRow.post_id == PostRow.id)
            .where(WatchRow.name == watch, PostRow.source_id == wanted)
            .limit(2)
        ).all()
    if len(rows) == 1:
        post_row, analysis_row = rows[0]
        return _stored(post_row, analysis_row)
    if len(rows) > 1:
        raise NotFoundError(
            f"投稿 ID「{wanted}」は複数のソースにあります。「ソース:ID」（例: x:{wanted}）で指定してください。"
        )
    raise NotFoundError(
        f"投稿「{wanted}」はウォッチ「{watch}」にありません。「ソース:ID」（例: x:1234567890）で指定し、"
        "`hikeshi signals` や Web 画面の投稿一覧で確かめてください。"
    )


def top_reach_posts(
    store: Store,
    watch: str,
    *,
    since: dt.datetime | None,
    until: dt.datetime | None,
    signal_keys: Sequence[str],
    limit: int,
) -> list[StoredPost]:
    """The `limit` posts with the widest reach among the signals' posts and the negative posts of the window.

    Positive posts in the window (「ミナトホームで建てて満足」) are not what a request is about, so only posts that a
    signal named or that the analyzers read as negative are candidates.
    """
    by_key = {stored.post.key: stored for stored in posts_by_keys(store, watch, list(signal_keys))}
    with Session(store.engine) as session:
        statement = (
            select(PostRow, AnalysisRow)
            .join(WatchRow, WatchRow.id == PostRow.watch_id)
            .join(AnalysisRow, AnalysisRow.post_id == PostRow.id)
            .where(WatchRow.name == watch, AnalysisRow.sentiment_label == "negative")
            .order_by(
                _metric("views").desc(),
                _metric("reposts").desc(),
                func.coalesce(PostRow.author_followers, 0).desc(),
                PostRow.id,
            )
            .limit(limit)
        )
        if since is not None:
            statement = statement.where(PostRow.created_at >= since)
        if until is not None:
            statement = statement.where(PostRow.created_at <= until)
        for post_row, analysis_row in session.execute(statement):
            stored = _stored(post_row, analysis_row)
            by_key.setdefault(stored.post.key, stored)
    ranked = sorted(by_key.values(), key=lambda stored: (*(-part for part in reach_key(stored)), stored.id))
    return ranked[:limit]


def _stored(post_row: PostRow, analysis_row: AnalysisRow | None) -> StoredPost:
    return StoredPost(
        id=post_row.id,
        post=convert.post_from_row(post_row),
        analysis=convert.analysis_from_row(analysis_row) if analysis_row is not None else None,
        dup_group=post_row.dup_group,
    )
