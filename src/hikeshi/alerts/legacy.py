"""Taking over an older installation's alerts.yaml and alert_state.json, once, so nothing is lost.

Before the alert tables existed, channels (with their secrets) and policies lived in ``alerts.yaml`` and the
threads, handled signals and outbox in ``alert_state.json``, in a config folder (`config_dir`). The first
process that opens the alert book with the settings imports them: channels whose watch still exists (an
identical channel already in the database is not added twice), policies, threads, handled signals and
pending messages (their channel numbers follow the channels to their new numbers). The files are then
renamed ``*.imported`` and stay beside where they were, so an operator can compare or restore. The file is
renamed to ``*.importing`` before the import begins, so two processes starting together import it once; a
failed import puts it back.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from hikeshi.alerts.base import AnyChannelConfig, ChannelConfig
from hikeshi.alerts.config import (
    AlertBook,
    LegacyImport,
    PendingDelivery,
    channel_document,
    config_dir,
)
from hikeshi.alerts.grouping import AlertPolicy, AlertState
from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.errors import ConfigError
from hikeshi.settings import Settings
from hikeshi.store import Store

logger = logging.getLogger(__name__)

CHANNELS_FILE = "alerts.yaml"
STATE_FILE = "alert_state.json"
CLAIMED_SUFFIX = ".importing"
IMPORTED_SUFFIX = ".imported"


class LegacyChannel(BaseModel):
    """A channel as alerts.yaml listed it (its number there is not kept: the database numbers anew)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(ge=1)
    watch: str = Field(min_length=1)
    config: ChannelConfig
    created_at: AwareDatetime


class AlertsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    channels: list[LegacyChannel] = Field(default_factory=list)
    policies: dict[str, AlertPolicy] = Field(default_factory=dict)


class LegacyPending(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel_id: int
    message: dict[str, Any]
    attempts: int = Field(ge=1)
    last_error: str


class StateFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    alerts: AlertState = Field(default_factory=AlertState)
    outbox: list[LegacyPending] = Field(default_factory=list)


def open_book(store: Store, settings: Settings, now: dt.datetime | None = None) -> AlertBook:
    """The alert book on `store`, after importing older files from the settings' config folders, if any."""
    book = AlertBook(store)
    results = [
        result
        for folder in legacy_folders(settings)
        if (result := import_legacy_files(book, folder, now or dt.datetime.now(dt.UTC))) is not None
    ]
    if results:
        book.imported = LegacyImport(
            channels=sum(r.channels for r in results),
            policies=sum(r.policies for r in results),
            threads=sum(r.threads for r in results),
            pending=sum(r.pending for r in results),
            skipped_watches=list(dict.fromkeys(w for r in results for w in r.skipped_watches)),
            kept_as=[path for r in results for path in r.kept_as],
        )
    return book


def legacy_folders(settings: Settings) -> list[Path]:
    """``HIKESHI_CONFIG_DIR`` and the folder beside the database: with the variable set, older versions of the
    web settings page still wrote to the second (the bug the database fixes), so both are looked at."""
    folders = [config_dir(settings), config_dir(settings.model_copy(update={"config_dir": None}))]
    return list(dict.fromkeys(folders))


def import_legacy_files(book: AlertBook, directory: Path, now: dt.datetime) -> LegacyImport | None:
    """Import alerts.yaml and alert_state.json from `directory`; None when there is nothing to import."""
    channels_path, state_path = directory / CHANNELS_FILE, directory / STATE_FILE
    if not channels_path.exists() and not state_path.exists():
        return None
    setup = load_yaml_model(channels_path, AlertsFile) if channels_path.exists() else None
    state = _read_state(state_path) if state_path.exists() else None
    claimed = [path for path in (channels_path, state_path) if path.exists() and _claim(path)]
    if not claimed:
        return None  # another process took them first
    try:
        result = _import(
            book,
            setup if channels_path in claimed else None,
            state if state_path in claimed else None,
            now,
        )
    except BaseException:
        for path in claimed:
            os.replace(_with_suffix(path, CLAIMED_SUFFIX), path)
        raise
    kept = [_settle(path) for path in claimed]
    imported = result.model_copy(update={"kept_as": kept})
    logger.warning("%s", imported.describe())
    return imported


def _import(
    book: AlertBook, setup: AlertsFile | None, state: StateFile | None, now: dt.datetime
) -> LegacyImport:
    watches = {watch.name for watch in book.store.list_watches()}
    existing = {(entry.watch, _key(entry.config)): entry.id for entry in book.channels()}
    numbers: dict[int, int] = {}
    added = 0
    skipped: list[str] = []
    policies = 0
    for channel in setup.channels if setup else []:
        if channel.watch not in watches:
            skipped.append(channel.watch)
            continue
        key = (channel.watch, _key(channel.config))
        if key not in existing:
            existing[key] = book.add_channel(channel.watch, channel.config, channel.created_at).id
            added += 1
        numbers[channel.id] = existing[key]
    for watch, policy in (setup.policies if setup else {}).items():
        if watch in watches:
            book.set_policy(watch, policy)
            policies += 1
    pending: list[PendingDelivery] = []
    if state is not None:
        for entry in state.outbox:
            if entry.channel_id in numbers:
                pending.append(
                    PendingDelivery.model_validate(
                        {**entry.model_dump(), "channel_id": numbers[entry.channel_id]}
                    )
                )
        book.save_state(state.alerts, outbox=pending, now=now)
    return LegacyImport(
        channels=added,
        policies=policies,
        threads=len(state.alerts.threads) if state else 0,
        pending=len(pending),
        skipped_watches=list(dict.fromkeys(skipped)),
    )


def _key(config: AnyChannelConfig) -> str:
    """Two channels with the same watch and the same settings are the same channel."""
    return json.dumps(channel_document(config), sort_keys=True, ensure_ascii=False)


def _read_state(path: Path) -> StateFile:
    try:
        return StateFile.model_validate_json(path.read_bytes())
    except (ValidationError, ValueError) as error:
        raise ConfigError(
            str(path),
            None,
            f"通知の状態ファイルを読めません（{error.__class__.__name__}）。"
            "壊れている場合は削除すると、次回から新しく記録します。",
        ) from None


def _with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _claim(path: Path) -> bool:
    try:
        os.rename(path, _with_suffix(path, CLAIMED_SUFFIX))
    except FileNotFoundError:
        return False
    return True


def _settle(path: Path) -> Path:
    """Rename the claimed file to ``*.imported`` (``*.imported.2`` … when an earlier import left one)."""
    target = _with_suffix(path, IMPORTED_SUFFIX)
    number = 2
    while target.exists():
        target = _with_suffix(path, f"{IMPORTED_SUFFIX}.{number}")
        number += 1
    os.replace(_with_suffix(path, CLAIMED_SUFFIX), target)
    return target
