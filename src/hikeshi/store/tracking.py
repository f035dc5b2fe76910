"""Signals, polled sources and suggest snapshots: what the detectors, pollers and suggest watch keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from hikeshi.errors import InputError
from hikeshi.records import Signal, SignalKind
from hikeshi.store import convert
from hikeshi.store.base import StoreBase
from hikeshi.store.models import SignalRow, SourceRow, SuggestSnapshotRow, WatchRow
from hikeshi.store.records import Source, SuggestSnapshot
from hikeshi.timezones import utc_now


class TrackingStore(StoreBase):
    """The part of `Store` that records detector output and poller state."""

    # --- signals ----------------------------------------------------------------------------------------------

    def save_signals(self, signals: Iterable[Signal]) -> int:
        """Store signals; one per (watch, kind, window_start). Returns how many were new.

        Saving the same signal again updates it in place (severity, evidence and summary may have been
        re-computed), so re-running detection never duplicates a signal.
        """
        saved = 0
        with self.writer.begin() as connection:
            watch_ids: dict[str, int] = {}
            for signal in signals:
                if signal.watch not in watch_ids:
                    watch_ids[signal.watch] = self._watch_id(connection, signal.watch)
                params = convert.signal_params(watch_ids[signal.watch], signal)
                statement = (
                    self._insert(SignalRow)
                    .on_conflict_do_nothing(index_elements=["watch_id", "kind", "window_start"])
                    .returning(SignalRow.id)
                )
                if connection.execute(statement, params).first() is not None:
                    saved += 1
                    continue
                connection.execute(
                    update(SignalRow)
                    .where(
                        SignalRow.watch_id == params["watch_id"],
                        SignalRow.kind == params["kind"],
                        SignalRow.window_start == params["window_start"],
                    )
                    .values(
                        detected_at=params["detected_at"],
                        severity=params["severity"],
                        evidence=params["evidence"],
                        summary=params["summary"],
                    )
                )
        return saved

    def list_signals(
        self, watch: str, since: dt.datetime | None = None, kind: SignalKind | None = None
    ) -> list[Signal]:
        """Signals of a watch in the order a live system would have raised them (detected_at)."""
        with Session(self.engine) as session:
            watch_id = self._watch_id(session.connection(), watch)
            statement = select(SignalRow).where(SignalRow.watch_id == watch_id)
            if since is not None:
                statement = statement.where(SignalRow.detected_at >= since)
            if kind is not None:
                statement = statement.where(SignalRow.kind == kind.value)
            statement = statement.order_by(SignalRow.detected_at, SignalRow.window_start, SignalRow.id)
            return [convert.signal_from_row(row, watch) for row in session.scalars(statement)]

    # --- sources ----------------------------------------------------------------------------------------------

    def add_source(
        self, watch: str, kind: str, config: dict[str, Any], interval_seconds: int = 600
    ) -> Source:
        if interval_seconds < 1:
            raise InputError("取得間隔 (interval) は 1 秒以上にしてください。")
        with Session(self.writer) as session, session.begin():
            row = SourceRow(
                watch_id=self._watch_id(session.connection(), watch),
                kind=kind,
                config=dict(config),
                interval_seconds=interval_seconds,
                state={},
                last_polled_at=None,
                created_at=utc_now(),
            )
            session.add(row)
            session.flush()
            return _source_from_row(row, watch)

    def list_sources(self, watch: str | None = None) -> list[Source]:
        with Session(self.engine) as session:
            statement = select(SourceRow, WatchRow.name).join(WatchRow, WatchRow.id == SourceRow.watch_id)
            if watch is not None:
                statement = statement.where(SourceRow.watch_id == self._watch_id(session.connection(), watch))
            statement = statement.order_by(SourceRow.id)
            return [_source_from_row(row, name) for row, name in session.execute(statement)]

    def get_source(self, source_id: int) -> Source:
        with Session(self.engine) as session:
            found = session.execute(
                select(SourceRow, WatchRow.name)
                .join(WatchRow, WatchRow.id == SourceRow.watch_id)
                .where(SourceRow.id == source_id)
            ).first()
            if found is None:
                raise InputError(
                    f"ソース {source_id} はありません。`hikeshi source list` で番号を確認してください。"
                )
            return _source_from_row(found[0], found[1])

    def update_source_state(
        self, source_id: int, state: dict[str, Any], polled_at: dt.datetime | None = None
    ) -> None:
        """Save a poller's cursor (and when it polled), so that a restarted daemon resumes where it stopped."""
        with self.writer.begin() as connection:
            result = connection.execute(
                update(SourceRow)
                .where(SourceRow.id == source_id)
                .values(state=dict(state), last_polled_at=polled_at or utc_now())
            )
            if result.rowcount == 0:
                raise InputError(f"ソース {source_id} はありません。")

    def remove_source(self, source_id: int) -> None:
        with self.writer.begin() as connection:
            if connection.execute(delete(SourceRow).where(SourceRow.id == source_id)).rowcount == 0:
                raise InputError(f"ソース {source_id} はありません。")

    # --- suggest snapshots ------------------------------------------------------------------------------------

    def save_suggest_snapshot(self, snapshot: SuggestSnapshot) -> None:
        with self.writer.begin() as connection:
            connection.execute(
                insert(SuggestSnapshotRow),
                {
                    "watch_id": self._watch_id(connection, snapshot.watch),
                    "engine": snapshot.engine,
                    "query": snapshot.query,
                    "taken_at": snapshot.taken_at,
                    "suggestions": list(snapshot.suggestions),
                },
            )

    def list_suggest_snapshots(
        self,
        watch: str,
        engine: str | None = None,
        query: str | None = None,
        since: dt.datetime | None = None,
    ) -> list[SuggestSnapshot]:
        """Snapshots oldest first, so that consecutive pairs give the diffs."""
        with Session(self.engine) as session:
            statement = select(SuggestSnapshotRow).where(
                SuggestSnapshotRow.watch_id == self._watch_id(session.connection(), watch)
            )
            if engine is not None:
                statement = statement.where(SuggestSnapshotRow.engine == engine)
            if query is not None:
                statement = statement.where(SuggestSnapshotRow.query == query)
            if since is not None:
                statement = statement.where(SuggestSnapshotRow.taken_at >= since)
            statement = statement.order_by(SuggestSnapshotRow.taken_at, SuggestSnapshotRow.id)
            return [
                SuggestSnapshot(
                    watch=watch,
                    engine=row.engine,
                    query=row.query,
                    taken_at=row.taken_at,
                    suggestions=list(row.suggestions),
                )
                for row in session.scalars(statement)
            ]


def _source_from_row(row: SourceRow, watch_name: str) -> Source:
    return Source(
        id=row.id,
        watch=watch_name,
        kind=row.kind,
        config=dict(row.config),
        interval_seconds=row.interval_seconds,
        state=dict(row.state),
        last_polled_at=row.last_polled_at,
        created_at=row.created_at,
    )
