"""`Store`: every read and write of watches, posts, analyses, signals, sources and suggest snapshots.

One class with typed methods, so that the CLI, the daemon, the detectors and the web API share one code path
and never write SQL of their own. Each write method is one transaction: a process killed in the middle of
`add_posts` leaves either the whole batch or none of it, which is what makes re-running an import safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from hikeshi.errors import InputError
from hikeshi.records import Analysis, Post, Watch
from hikeshi.store import convert
from hikeshi.store.base import no_watch_message
from hikeshi.store.models import AnalysisRow, PostRow, SignalRow, SourceRow, WatchRow
from hikeshi.store.records import StoredPost, WatchSummary
from hikeshi.store.search import text_condition
from hikeshi.store.tracking import TrackingStore
from hikeshi.timezones import utc_now

SENTIMENT_LABELS = ("negative", "neutral", "positive")
KEY_LOOKUP_CHUNK = 400


class Store(TrackingStore):
    """The database behind a hikeshi installation; opening it applies any pending migrations.

    Watches and posts are here; signals, sources and suggest snapshots in `TrackingStore`.
    """

    # --- watches ----------------------------------------------------------------------------------------------

    def add_watch(self, watch: Watch) -> Watch:
        with Session(self.writer) as session, session.begin():
            if session.scalar(select(WatchRow.id).where(WatchRow.name == watch.name)) is not None:
                raise InputError(
                    f"ウォッチ「{watch.name}」は既にあります。別の名前にするか、先に削除してください。"
                )
            session.add(
                WatchRow(
                    name=watch.name,
                    terms=list(watch.terms),
                    exclude=list(watch.exclude),
                    risk_terms=list(watch.risk_terms),
                    thresholds=dict(watch.thresholds),
                    created_at=utc_now(),
                )
            )
        return watch

    def find_watch(self, name: str) -> Watch | None:
        with Session(self.engine) as session:
            row = session.scalar(select(WatchRow).where(WatchRow.name == name))
            return convert.watch_from_row(row) if row is not None else None

    def get_watch(self, name: str) -> Watch:
        watch = self.find_watch(name)
        if watch is None:
            raise InputError(no_watch_message(name))
        return watch

    def list_watches(self) -> list[Watch]:
        with Session(self.engine) as session:
            return [
                convert.watch_from_row(row)
                for row in session.scalars(select(WatchRow).order_by(WatchRow.name))
            ]

    def remove_watch(self, name: str) -> None:
        """Delete a watch and, by cascade, its posts, analyses, signals, sources and snapshots."""
        with self.writer.begin() as connection:
            self._watch_id(connection, name)
            connection.execute(delete(WatchRow).where(WatchRow.name == name))

    def watch_summary(self, name: str) -> WatchSummary:
        with self.engine.connect() as connection:
            watch_id = self._watch_id(connection, name)
            posts, first, last = connection.execute(
                select(
                    func.count(PostRow.id), func.min(PostRow.created_at), func.max(PostRow.created_at)
                ).where(PostRow.watch_id == watch_id)
            ).one()
            analyzed = connection.scalar(
                select(func.count(AnalysisRow.post_id)).join(PostRow).where(PostRow.watch_id == watch_id)
            )
            by_source = connection.execute(
                select(PostRow.source, func.count(PostRow.id))
                .where(PostRow.watch_id == watch_id)
                .group_by(PostRow.source)
                .order_by(PostRow.source)
            ).all()
            sources = connection.scalar(
                select(func.count(SourceRow.id)).where(SourceRow.watch_id == watch_id)
            )
            signals = connection.scalar(
                select(func.count(SignalRow.id)).where(SignalRow.watch_id == watch_id)
            )
        datetime_type = PostRow.__table__.c.created_at.type
        return WatchSummary(
            watch=self.get_watch(name),
            posts=posts,
            analyzed=analyzed or 0,
            # min()/max() lose the column type on SQLite, so convert the raw value the same way a row would be.
            first_post_at=_as_utc(first, datetime_type, self.engine),
            last_post_at=_as_utc(last, datetime_type, self.engine),
            sources=sources or 0,
            signals=signals or 0,
            posts_by_source={source: count for source, count in by_source},
        )

    # --- posts ------------------------------------------------------------------------------------------------

    def existing_post_keys(self, watch: str, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (source, source_id) keys are stored already, so that callers skip re-analysing them."""
        wanted = list(dict.fromkeys(keys))
        found: set[tuple[str, str]] = set()
        with self.engine.connect() as connection:
            watch_id = self._watch_id(connection, watch)
            for start in range(0, len(wanted), KEY_LOOKUP_CHUNK):
                chunk = wanted[start : start + KEY_LOOKUP_CHUNK]
                rows = connection.execute(
                    select(PostRow.source, PostRow.source_id).where(
                        PostRow.watch_id == watch_id, tuple_(PostRow.source, PostRow.source_id).in_(chunk)
                    )
                )
                found.update((source, source_id) for source, source_id in rows)
        return found

    def add_posts(self, watch: str, posts: Sequence[Post], analyses: Sequence[Analysis] | None = None) -> int:
        """Insert posts (and their analyses) in one transaction; returns how many were new.

        A post whose (source, source_id) is already stored for this watch is skipped (ON CONFLICT DO NOTHING),
        so adding the same batch twice adds nothing the second time.
        """
        if analyses is not None and len(analyses) != len(posts):
            raise ValueError(f"{len(posts)} posts but {len(analyses)} analyses")
        if not posts:
            return 0
        analysis_by_key: dict[tuple[str, str], Analysis] = {}
        unique: dict[tuple[str, str], Post] = {}
        for index, post in enumerate(posts):
            key = (post.source, post.source_id)
            if key not in unique:
                unique[key] = post
                if analyses is not None:
                    analysis_by_key[key] = analyses[index]
        with self.writer.begin() as connection:
            watch_id = self._watch_id(connection, watch)
            statement = (
                self._insert(PostRow)
                .on_conflict_do_nothing(index_elements=["watch_id", "source", "source_id"])
                .returning(PostRow.id, PostRow.source, PostRow.source_id)
            )
            inserted = connection.execute(
                statement, [convert.post_params(watch_id, p) for p in unique.values()]
            )
            new_rows = [(row_id, (source, source_id)) for row_id, source, source_id in inserted]
            analysis_rows = [
                convert.analysis_params(row_id, analysis_by_key[key])
                for row_id, key in new_rows
                if key in analysis_by_key
            ]
            if analysis_rows:
                connection.execute(insert(AnalysisRow), analysis_rows)
        return len(new_rows)

    def count_posts(self, watch: str) -> int:
        with self.engine.connect() as connection:
            watch_id = self._watch_id(connection, watch)
            return connection.scalar(select(func.count(PostRow.id)).where(PostRow.watch_id == watch_id)) or 0

    def search_posts(
        self,
        watch: str,
        q: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[StoredPost]:
        """Posts of a watch, newest first, filtered by substring (all terms), time range, sentiment, source.

        `since` is inclusive and `until` exclusive. Example: q="不買 社長" finds posts containing both.
        """
        if sentiment is not None and sentiment not in SENTIMENT_LABELS:
            raise InputError(f"sentiment は {', '.join(SENTIMENT_LABELS)} のいずれかです（{sentiment!r}）。")
        with Session(self.engine) as session:
            watch_id = self._watch_id(session.connection(), watch)
            statement = (
                select(PostRow, AnalysisRow)
                .outerjoin(AnalysisRow, AnalysisRow.post_id == PostRow.id)
                .where(PostRow.watch_id == watch_id)
            )
            if q:
                statement = statement.where(text_condition(self.dialect, q))
            if since is not None:
                statement = statement.where(PostRow.created_at >= since)
            if until is not None:
                statement = statement.where(PostRow.created_at < until)
            if sentiment is not None:
                statement = statement.where(AnalysisRow.sentiment_label == sentiment)
            if source is not None:
                statement = statement.where(PostRow.source == source)
            statement = (
                statement.order_by(PostRow.created_at.desc(), PostRow.id.desc()).limit(limit).offset(offset)
            )
            return [
                StoredPost(
                    id=post_row.id,
                    post=convert.post_from_row(post_row),
                    analysis=convert.analysis_from_row(analysis_row) if analysis_row is not None else None,
                    dup_group=post_row.dup_group,
                )
                for post_row, analysis_row in session.execute(statement)
            ]

    def iter_analyzed_posts(
        self, watch_name: str, since: dt.datetime | None = None
    ) -> Iterator[tuple[Post, Analysis]]:
        """Every analysed post of a watch in event-time order (ties by insertion), streamed in chunks.

        This is what the detectors replay; posts without an analysis are left out.
        """
        with Session(self.engine) as session:
            watch_id = self._watch_id(session.connection(), watch_name)
            statement = (
                select(PostRow, AnalysisRow)
                .join(AnalysisRow, AnalysisRow.post_id == PostRow.id)
                .where(PostRow.watch_id == watch_id)
                .order_by(PostRow.created_at, PostRow.id)
                .execution_options(yield_per=1000)
            )
            if since is not None:
                statement = statement.where(PostRow.created_at >= since)
            for post_row, analysis_row in session.execute(statement):
                yield convert.post_from_row(post_row), convert.analysis_from_row(analysis_row)

    def set_dup_groups(self, watch: str, groups: dict[tuple[str, str], str]) -> None:
        """Record near-duplicate group ids, keyed by (source, source_id).

        One executemany UPDATE: ingest writes a group for every new post, and a statement per row costs
        about 95 µs a post on SQLite (twice a SudachiPy tokenization), executemany about 6 µs.
        """
        if not groups:
            return
        with self.writer.begin() as connection:
            watch_id = self._watch_id(connection, watch)
            statement = (
                update(PostRow)
                .where(
                    PostRow.watch_id == watch_id,
                    PostRow.source == bindparam("key_source"),
                    PostRow.source_id == bindparam("key_source_id"),
                )
                .values(dup_group=bindparam("group"))
            )
            connection.execute(
                statement,
                [
                    {"key_source": source, "key_source_id": source_id, "group": group}
                    for (source, source_id), group in groups.items()
                ],
            )


def _as_utc(value: Any, datetime_type: Any, engine: Engine) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    result: dt.datetime | None = datetime_type.process_result_value(value, engine.dialect)
    return result
