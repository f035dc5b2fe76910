"""`AlertStore`: the alerting side's channels, policies, threads, handled signals and outbox, in the database.

Every process that opens the store (the monitor, the web app, the CLI) reads the same rows, which is the point:
channels kept in a config folder could be written where the monitor never looked. Settings, thread state and
pending messages are JSON documents whose shape `hikeshi.alerts` owns and validates; this module only files
them under their watch, thread or channel. `commit` writes one alerting cycle's outcome in one transaction,
so a crash never leaves threads saved without the signals they handled, or the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from hikeshi.errors import InputError
from hikeshi.store import Store
from hikeshi.store.alert_models import (
    AlertChannelRow,
    AlertHandledRow,
    AlertOutboxRow,
    AlertPolicyRow,
    AlertThreadRow,
)
from hikeshi.store.models import WatchRow

KEY_CHUNK = 400
"""Signal keys looked up per query (SQLite's bound-parameter limit is far above, but stays bounded)."""


class StoredChannel(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    watch: str
    kind: str
    config: dict[str, Any]
    created_at: AwareDatetime


class StoredThread(BaseModel):
    """A thread's document plus the columns queries select on."""

    model_config = ConfigDict(frozen=True)

    id: str
    watch: str
    incident_id: int | None = None
    closed: bool
    opened_at: AwareDatetime
    last_signal_at: AwareDatetime
    state: dict[str, Any]


class OutboxEntry(BaseModel):
    """A message a channel has not taken yet; `id` is None until it is first saved."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    channel_id: int
    message: dict[str, Any]
    attempts: int = Field(ge=1)
    last_error: str


class AlertStore:
    """Alerting rows on the installation's database (the same engine as the watches they belong to)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        self.writer = store.writer

    # --- channels ---------------------------------------------------------------------------------------------

    def add_channel(
        self, watch: str, kind: str, config: dict[str, Any], created_at: dt.datetime
    ) -> StoredChannel:
        with self.writer.begin() as connection:
            watch_id = self.store._watch_id(connection, watch)
            channel_id = connection.execute(
                insert(AlertChannelRow)
                .values(watch_id=watch_id, kind=kind, config=config, created_at=created_at)
                .returning(AlertChannelRow.id)
            ).scalar_one()
        return self.get_channel(channel_id)

    def get_channel(self, channel_id: int) -> StoredChannel:
        found = [c for c in self.list_channels(ids=[channel_id])]
        if not found:
            raise InputError(
                f"通知先 {channel_id} はありません。`hikeshi alert list` で番号を確認してください。"
            )
        return found[0]

    def list_channels(
        self, watch: str | None = None, *, ids: Sequence[int] | None = None
    ) -> list[StoredChannel]:
        """In the order they were added."""
        with Session(self.engine) as session:
            statement = select(AlertChannelRow, WatchRow.name).join(
                WatchRow, WatchRow.id == AlertChannelRow.watch_id
            )
            if watch is not None:
                statement = statement.where(WatchRow.name == watch)
            if ids is not None:
                statement = statement.where(AlertChannelRow.id.in_(list(ids)))
            rows = session.execute(statement.order_by(AlertChannelRow.id))
            return [
                StoredChannel(
                    id=row.id, watch=name, kind=row.kind, config=dict(row.config), created_at=row.created_at
                )
                for row, name in rows
            ]

    def remove_channel(self, channel_id: int) -> StoredChannel:
        """Remove a channel and its pending messages (they cascade)."""
        found = self.get_channel(channel_id)
        with self.writer.begin() as connection:
            connection.execute(delete(AlertChannelRow).where(AlertChannelRow.id == channel_id))
        return found

    # --- policies ---------------------------------------------------------------------------------------------

    def policies(self) -> dict[str, dict[str, Any]]:
        """Watch name → its policy document (watches without one are absent)."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(WatchRow.name, AlertPolicyRow.policy).join(
                    WatchRow, WatchRow.id == AlertPolicyRow.watch_id
                )
            )
            return {name: dict(policy) for name, policy in rows}

    def set_policy(self, watch: str, policy: dict[str, Any], now: dt.datetime) -> None:
        with self.writer.begin() as connection:
            watch_id = self.store._watch_id(connection, watch)
            statement = self.store._insert(AlertPolicyRow).values(
                watch_id=watch_id, policy=policy, updated_at=now
            )
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["watch_id"], set_={"policy": policy, "updated_at": now}
                )
            )

    # --- thread state -----------------------------------------------------------------------------------------

    def threads(
        self, *, watch: str | None = None, ids: Iterable[str] = (), open_only: bool = True
    ) -> list[StoredThread]:
        """Open threads (of `watch`, or all), plus the threads named in `ids` whether open or not."""
        wanted = list(dict.fromkeys(ids))
        with Session(self.engine) as session:
            statement = select(AlertThreadRow)
            condition: ColumnElement[bool] = (
                AlertThreadRow.closed.is_(False) if open_only else AlertThreadRow.id.is_not(None)
            )
            if watch is not None:
                condition = and_(condition, AlertThreadRow.watch == watch)
            if wanted:
                condition = or_(condition, AlertThreadRow.id.in_(wanted))
            rows = session.scalars(statement.where(condition).order_by(AlertThreadRow.opened_at))
            return [
                StoredThread(
                    id=row.id,
                    watch=row.watch,
                    incident_id=row.incident_id,
                    closed=row.closed,
                    opened_at=row.opened_at,
                    last_signal_at=row.last_signal_at,
                    state=dict(row.state),
                )
                for row in rows
            ]

    def handled(self, keys: Iterable[str]) -> dict[str, int]:
        """Signal key → the severity already handled, for those of `keys` that were."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, int] = {}
        with Session(self.engine) as session:
            for start in range(0, len(wanted), KEY_CHUNK):
                chunk = wanted[start : start + KEY_CHUNK]
                rows = session.execute(
                    select(AlertHandledRow.signal_key, AlertHandledRow.severity).where(
                        AlertHandledRow.signal_key.in_(chunk)
                    )
                )
                found.update({key: severity for key, severity in rows})
        return found

    def outbox(self) -> list[OutboxEntry]:
        with Session(self.engine) as session:
            rows = session.scalars(select(AlertOutboxRow).order_by(AlertOutboxRow.id))
            return [
                OutboxEntry(
                    id=row.id,
                    channel_id=row.channel_id,
                    message=dict(row.message),
                    attempts=row.attempts,
                    last_error=row.last_error,
                )
                for row in rows
            ]

    def commit(
        self,
        *,
        threads: Sequence[StoredThread] = (),
        handled: dict[str, int] | None = None,
        outbox: Sequence[OutboxEntry] = (),
        delivered: Sequence[int] = (),
        now: dt.datetime,
    ) -> None:
        """Save one cycle: threads (upserted), handled signals, pending messages kept or added, and the outbox
        entries `delivered` (or given up) removed."""
        with self.writer.begin() as connection:
            for thread in threads:
                values = thread.model_dump()
                statement = self.store._insert(AlertThreadRow).values(**values)
                connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=["id"], set_={k: v for k, v in values.items() if k != "id"}
                    )
                )
            for key, severity in (handled or {}).items():
                statement = self.store._insert(AlertHandledRow).values(
                    signal_key=key, severity=severity, handled_at=now
                )
                connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=["signal_key"], set_={"severity": severity, "handled_at": now}
                    )
                )
            if delivered:
                connection.execute(delete(AlertOutboxRow).where(AlertOutboxRow.id.in_(list(delivered))))
            live = set(connection.scalars(select(AlertChannelRow.id)))
            for entry in outbox:
                if entry.channel_id not in live:  # removed while its message was being sent
                    continue
                if entry.id is None:
                    connection.execute(
                        insert(AlertOutboxRow).values(
                            channel_id=entry.channel_id,
                            message=entry.message,
                            attempts=entry.attempts,
                            last_error=entry.last_error,
                            created_at=now,
                        )
                    )
                else:
                    connection.execute(
                        update(AlertOutboxRow)
                        .where(AlertOutboxRow.id == entry.id)
                        .values(attempts=entry.attempts, last_error=entry.last_error)
                    )

    def prune(self, before: dt.datetime) -> None:
        """Forget closed threads and handled signals older than `before` (neither can matter again)."""
        with self.writer.begin() as connection:
            connection.execute(
                delete(AlertThreadRow).where(
                    AlertThreadRow.closed.is_(True), AlertThreadRow.last_signal_at < before
                )
            )
            connection.execute(delete(AlertHandledRow).where(AlertHandledRow.handled_at < before))
