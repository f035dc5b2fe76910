"""Where alert channels, per-watch policies and the thread state live: two small files in a config folder.

The store has no table for alert settings yet, so they are kept beside it: ``alerts.yaml`` (channels with
their secrets, and policies; written with mode 0600, editable by hand) and ``alert_state.json`` (threads and
handled signals, so a restart does not send again). Both are replaced atomically (write, fsync, rename), so a
crash never leaves half a file. The folder is ``HIKESHI_CONFIG_DIR`` when set; otherwise ``<name>.d`` next to
a SQLite database file (``hikeshi.sqlite3`` → ``hikeshi.d/``), or ``.hikeshi/`` in the working directory.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr, ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hikeshi.alerts.base import AlertMessage, ChannelConfig
from hikeshi.alerts.grouping import AlertPolicy, AlertState
from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.errors import ConfigError, InputError
from hikeshi.settings import Settings

CHANNELS_FILE = "alerts.yaml"
STATE_FILE = "alert_state.json"


class AlertSettings(Settings):
    """`Settings` plus the config folder (``HIKESHI_CONFIG_DIR``); pass it wherever `Settings` goes."""

    config_dir: Path | None = None


def config_dir(settings: Settings) -> Path:
    explicit = getattr(settings, "config_dir", None)
    if explicit is not None:
        return Path(explicit).expanduser()
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


class AlertsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    channels: list[ChannelEntry] = Field(default_factory=list)
    policies: dict[str, AlertPolicy] = Field(default_factory=dict)


class PendingDelivery(BaseModel):
    """A message a channel failed to take; retried on the next cycle, up to `MAX_ATTEMPTS` tries in all."""

    model_config = ConfigDict(frozen=True)

    channel_id: int
    message: AlertMessage
    attempts: int = Field(ge=1)
    last_error: str


class StateFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    alerts: AlertState = Field(default_factory=AlertState)
    outbox: list[PendingDelivery] = Field(default_factory=list)


class AlertBook:
    """Reads and writes the two files; every method re-reads, so a running monitor sees `alert add` at once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.channels_path = directory / CHANNELS_FILE
        self.state_path = directory / STATE_FILE

    @classmethod
    def for_settings(cls, settings: Settings) -> AlertBook:
        return cls(config_dir(settings))

    # --- channels and policies --------------------------------------------------------------------------------

    def load(self) -> AlertsFile:
        if not self.channels_path.exists():
            return AlertsFile()
        return load_yaml_model(self.channels_path, AlertsFile)

    def save(self, data: AlertsFile) -> None:
        text = yaml.safe_dump(_reveal(data.model_dump(mode="python")), allow_unicode=True, sort_keys=False)
        _write_atomic(self.channels_path, "# hikeshi の通知先と通知ポリシー（秘密情報を含みます）\n" + text)

    def add_channel(self, watch: str, config: ChannelConfig, now: dt.datetime) -> ChannelEntry:
        data = self.load()
        entry = ChannelEntry(
            id=max((c.id for c in data.channels), default=0) + 1, watch=watch, config=config, created_at=now
        )
        self.save(data.model_copy(update={"channels": [*data.channels, entry]}))
        return entry

    def remove_channel(self, channel_id: int) -> ChannelEntry:
        data = self.load()
        found = next((c for c in data.channels if c.id == channel_id), None)
        if found is None:
            raise InputError(
                f"通知先 {channel_id} はありません。`hikeshi alert list` で番号を確認してください。"
            )
        self.save(data.model_copy(update={"channels": [c for c in data.channels if c.id != channel_id]}))
        return found

    def channels_for(self, watch: str) -> list[ChannelEntry]:
        return [c for c in self.load().channels if c.watch == watch]

    def policy_for(self, watch: str) -> AlertPolicy:
        return self.load().policies.get(watch) or AlertPolicy()

    def set_policy(self, watch: str, policy: AlertPolicy) -> None:
        data = self.load()
        self.save(data.model_copy(update={"policies": {**data.policies, watch: policy}}))

    # --- state ------------------------------------------------------------------------------------------------

    def load_state(self) -> StateFile:
        if not self.state_path.exists():
            return StateFile()
        try:
            return StateFile.model_validate_json(self.state_path.read_bytes())
        except (ValidationError, ValueError) as error:
            raise ConfigError(
                str(self.state_path),
                None,
                f"通知の状態ファイルを読めません（{error.__class__.__name__}）。"
                "壊れている場合は削除すると、次回から新しく記録します。",
            ) from None

    def save_state(self, state: StateFile) -> None:
        _write_atomic(self.state_path, state.model_dump_json(indent=1))


def _reveal(value: Any) -> Any:
    """model_dump keeps SecretStr objects; the file must hold the real secret (it is written 0600)."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {key: _reveal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_reveal(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
