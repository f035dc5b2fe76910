"""Where alert channels, per-watch policies and the thread state live: the installation's database.

`AlertBook` is the alerting side's view of the store's alert tables (`hikeshi.store.alerting`): it validates
the JSON documents there into channel settings, policies, threads and pending messages. Every process that
opens the store (the monitor, the web settings page, `hikeshi alert`) sees the same rows, so a channel added
on the web page is the one the monitor sends to. Older versions kept ``alerts.yaml`` and
``alert_state.json`` in a config folder; `hikeshi.alerts.legacy.open_book` imports them once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr, TypeAdapter, ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hikeshi.alerts.base import AlertMessage, AnyChannelConfig, ChannelConfig
from hikeshi.alerts.grouping import AlertPolicy, AlertState, Thread
from hikeshi.errors import ConfigError
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.alerting import AlertStore, OutboxEntry, StoredChannel, StoredThread

PRUNE_AFTER = dt.timedelta(days=90)
"""Closed threads and handled signals older than this are forgotten (older signals are never sent)."""

_CHANNEL = TypeAdapter[AnyChannelConfig](ChannelConfig)


class AlertSettings(Settings):
    """Kept so older callers still work: `Settings` itself now carries ``config_dir`` and ``public_url``."""


def config_dir(settings: Settings) -> Path:
    """The folder older versions kept alerts.yaml in: ``HIKESHI_CONFIG_DIR``, else ``<db>.d`` or ``.hikeshi``."""
    if settings.config_dir is not None:
        return Path(settings.config_dir).expanduser()
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        return Path(".hikeshi")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database).expanduser()
        return database.with_name(database.stem + ".d")
    return Path(".hikeshi")


class ChannelEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(ge=1)
    watch: str = Field(min_length=1)
    config: ChannelConfig
    created_at: AwareDatetime


class AlertSetup(BaseModel):
    """Every channel and every policy, as the settings pages and `hikeshi alert list` show them."""

    model_config = ConfigDict(frozen=True)

    channels: list[ChannelEntry] = Field(default_factory=list)
    policies: dict[str, AlertPolicy] = Field(default_factory=dict)


class LegacyImport(BaseModel):
    """What was taken over from an older installation's alerts.yaml and alert_state.json."""

    model_config = ConfigDict(frozen=True)

    channels: int = 0
    policies: int = 0
    threads: int = 0
    pending: int = 0
    skipped_watches: list[str] = Field(
        default_factory=list, description="watches that no longer exist: their channels were left in the file"
    )
    kept_as: list[Path] = Field(default_factory=list, description="where the imported files are now")

    def describe(self) -> str:
        """「alerts.yaml の通知先 2 件 … をデータベースに取り込みました」."""
        text = (
            f"以前の設定ファイルから通知先 {self.channels} 件・まとめ方 {self.policies} 件・スレッド {self.threads} 件・"
            f"再送待ち {self.pending} 件をデータベースに取り込みました（元のファイルは "
            + "、".join(str(path) for path in self.kept_as)
            + " として残しています）。"
        )
        if self.skipped_watches:
            text += f"ウォッチ「{'」「'.join(self.skipped_watches)}」はもうないため、その通知先は取り込んでいません。"
        return text


class PendingDelivery(BaseModel):
    """A message a channel failed to take; retried on the next cycle, up to `MAX_ATTEMPTS` tries in all."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    channel_id: int
    message: AlertMessage
    attempts: int = Field(ge=1)
    last_error: str


class AlertBook:
    """The alert tables, validated; every method reads the database, so a running monitor sees changes at once."""

    def __init__(self, store: Store) -> None:
        self.rows = AlertStore(store)
        self.store = store
        self.imported: LegacyImport | None = None
        """What `hikeshi.alerts.legacy.open_book` brought in from older files when it opened this book."""

    # --- channels and policies --------------------------------------------------------------------------------

    def load(self) -> AlertSetup:
        return AlertSetup(channels=self.channels(), policies=self.policies())

    def channels(self, watch: str | None = None) -> list[ChannelEntry]:
        return [_entry(row) for row in self.rows.list_channels(watch)]

    def channels_for(self, watch: str) -> list[ChannelEntry]:
        return self.channels(watch)

    def add_channel(self, watch: str, config: AnyChannelConfig, now: dt.datetime) -> ChannelEntry:
        return _entry(self.rows.add_channel(watch, config.kind, channel_document(config), now))

    def remove_channel(self, channel_id: int) -> ChannelEntry:
        return _entry(self.rows.remove_channel(channel_id))

    def policies(self) -> dict[str, AlertPolicy]:
        policies: dict[str, AlertPolicy] = {}
        for watch, document in self.rows.policies().items():
            try:
                policies[watch] = AlertPolicy.model_validate(document)
            except ValidationError:
                raise ConfigError(
                    "alert_policies",
                    None,
                    f"ウォッチ「{watch}」の通知のまとめ方を読めません。`hikeshi alert policy` で設定し直してください。",
                ) from None
        return policies

    def policy_for(self, watch: str) -> AlertPolicy:
        return self.policies().get(watch) or AlertPolicy()

    def set_policy(self, watch: str, policy: AlertPolicy) -> None:
        self.rows.set_policy(watch, policy.model_dump(mode="json"), dt.datetime.now(dt.UTC))

    # --- state ------------------------------------------------------------------------------------------------

    def load_state(self, signal_keys: Iterable[str] = (), thread_ids: Iterable[str] = ()) -> AlertState:
        """The open threads, the threads named in `thread_ids`, and which of `signal_keys` were handled."""
        threads = [Thread.model_validate(row.state) for row in self.rows.threads(ids=thread_ids)]
        return AlertState(threads=threads, handled=self.rows.handled(signal_keys))

    def open_threads(self, watch: str | None = None) -> list[Thread]:
        return [Thread.model_validate(row.state) for row in self.rows.threads(watch=watch)]

    def outbox(self) -> list[PendingDelivery]:
        return [
            PendingDelivery(
                id=entry.id,
                channel_id=entry.channel_id,
                message=AlertMessage.model_validate(entry.message),
                attempts=entry.attempts,
                last_error=entry.last_error,
            )
            for entry in self.rows.outbox()
        ]

    def save_state(
        self,
        state: AlertState,
        *,
        previous: AlertState | None = None,
        outbox: Sequence[PendingDelivery] = (),
        delivered: Sequence[int] = (),
        now: dt.datetime,
    ) -> None:
        """Write what changed since `previous` (threads, handled signals) and the outbox, in one transaction."""
        before = {t.id: t for t in previous.threads} if previous else {}
        old_handled = previous.handled if previous else {}
        self.rows.commit(
            threads=[_stored(t) for t in state.threads if before.get(t.id) != t],
            handled={k: v for k, v in state.handled.items() if old_handled.get(k) != v},
            outbox=[
                OutboxEntry(
                    id=p.id,
                    channel_id=p.channel_id,
                    message=p.message.model_dump(mode="json"),
                    attempts=p.attempts,
                    last_error=p.last_error,
                )
                for p in outbox
            ],
            delivered=delivered,
            now=now,
        )
        self.rows.prune(now - PRUNE_AFTER)


def channel_document(config: AnyChannelConfig) -> dict[str, Any]:
    """The channel's settings as stored: secrets in clear (the database is the installation's own)."""
    document: dict[str, Any] = _reveal(config.model_dump(mode="python"))
    return document


def _entry(row: StoredChannel) -> ChannelEntry:
    try:
        config = _CHANNEL.validate_python(row.config)
    except ValidationError as error:
        problem = error.errors()[0]
        raise ConfigError(
            "alert_channels",
            None,
            f"通知先 {row.id} の設定を読めません（{'.'.join(str(p) for p in problem['loc'])}: {problem['msg']}）。"
            "`hikeshi alert remove` で削除して追加し直してください。",
        ) from None
    return ChannelEntry(id=row.id, watch=row.watch, config=config, created_at=row.created_at)


def _stored(thread: Thread) -> StoredThread:
    return StoredThread(
        id=thread.id,
        watch=thread.watch,
        incident_id=thread.incident.incident_id if thread.incident else None,
        closed=thread.closed,
        opened_at=thread.opened_at,
        last_signal_at=thread.last_signal_at,
        state=thread.model_dump(mode="json"),
    )


def _reveal(value: Any) -> Any:
    """model_dump keeps SecretStr objects; the stored document must hold the real secret."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {key: _reveal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_reveal(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value
