"""Posts a reader should see first: the evidence behind a signal (named by `Post.key`, ``source:source_id``)
and the negative posts that drew the most reactions. Queries, so they live in the store package.

Ranking happens in SQL on the metrics JSON (SQLite json_extract, PostgreSQL ->>), so a flame with hundreds
of thousands of negative posts still returns its top ten without loading them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from hikeshi.errors import InputError
from hikeshi.store import convert
from hikeshi.store.base import no_watch_message
from hikeshi.store.models import AnalysisRow, PostRow, WatchRow
from hikeshi.store.records import StoredPost
from hikeshi.store.store import KEY_LOOKUP_CHUNK, Store


def _watch_id(session: Session, name: str) -> int:
    watch_id = session.scalar(select(WatchRow.id).where(WatchRow.name == name))
    if watch_id is None:
        raise InputError(no_watch_message(name))
    return watch_id


def split_key(key: str) -> tuple[str, str] | None:
    """`Post.key` is ``source:source_id``; the source never holds a colon, the id may (``rss:https://…``)."""
    source, separator, source_id = key.partition(":")
    return (source, source_id) if separator and source and source_id else None


def posts_by_keys(store: Store, watch: str, keys: Sequence[str]) -> list[StoredPost]:
    """The stored posts behind a signal's evidence (``Post.key`` strings), oldest first; unknown keys are
    skipped, since a post may have been removed with its watch's history while the signal was kept."""
    pairs = list(dict.fromkeys(pair for pair in (split_key(key) for key in keys) if pair is not None))
    found: list[StoredPost] = []
    with Session(store.engine) as session:
        watch_id = _watch_id(session, watch)
        for start in range(0, len(pairs), KEY_LOOKUP_CHUNK):
            chunk = pairs[start : start + KEY_LOOKUP_CHUNK]
            statement = (
                select(PostRow, AnalysisRow)
                .outerjoin(AnalysisRow, AnalysisRow.post_id == PostRow.id)
                .where(PostRow.watch_id == watch_id, tuple_(PostRow.source, PostRow.source_id).in_(chunk))
            )
            found.extend(
                _stored(post_row, analysis_row) for post_row, analysis_row in session.execute(statement)
            )
    return sorted(found, key=lambda stored: (stored.post.created_at, stored.id))


def _stored(post_row: PostRow, analysis_row: AnalysisRow | None) -> StoredPost:
    return StoredPost(
        id=post_row.id,
        post=convert.post_from_row(post_row),
        analysis=convert.analysis_from_row(analysis_row) if analysis_row is not None else None,
        dup_group=post_row.dup_group,
    )


def _metric(name: str) -> Any:
    return func.coalesce(PostRow.metrics[name].as_integer(), 0)


def most_reacted_negative_posts(
    store: Store,
    watch: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 10,
) -> list[StoredPost]:
    """Negative posts (by their analysis label) with the most likes + reposts + replies, then views.

    In a flame these are the posts that are spreading: 「社長が出てこないのがすべて」 with 8,000 reactions before
    a hundred angry posts nobody saw.
    """
    engagement = _metric("likes") + _metric("reposts") + _metric("replies")
    with Session(store.engine) as session:
        statement = (
            select(PostRow, AnalysisRow)
            .join(AnalysisRow, AnalysisRow.post_id == PostRow.id)
            .where(PostRow.watch_id == _watch_id(session, watch), AnalysisRow.sentiment_label == "negative")
            .order_by(engagement.desc(), _metric("views").desc(), AnalysisRow.negative.desc(), PostRow.id)
            .limit(limit)
        )
        if since is not None:
            statement = statement.where(PostRow.created_at >= since)
        if until is not None:
            statement = statement.where(PostRow.created_at < until)
        return [_stored(post_row, analysis_row) for post_row, analysis_row in session.execute(statement)]
