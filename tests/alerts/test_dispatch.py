"""The Alerter over real files and a real receiver: delivery, outbox retry, restart without re-sending."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from hikeshi.alerts import (
    AlertBook,
    Alerter,
    AlertPolicy,
    AlertSettings,
    SlackConfig,
    WebhookConfig,
    config_dir,
)
from hikeshi.alerts.dispatch import MAX_ATTEMPTS
from hikeshi.errors import ConfigError, InputError
from hikeshi.records import SignalKind
from hikeshi.settings import Settings
from tests.alerts.receivers import HttpReceiver
from tests.alerts.test_grouping import ONSET, WATCH, make_signal

NOW = ONSET + dt.timedelta(hours=1)


def slack_book(tmp_path: Path, receiver: HttpReceiver) -> AlertBook:
    book = AlertBook(tmp_path / "conf")
    book.add_channel(WATCH, SlackConfig(webhook_url=receiver.base_url + "/slack"), NOW)
    return book


def test_signals_are_delivered_once_across_restarts(
    tmp_path: Path, receiver: HttpReceiver, settings: Settings
) -> None:
    signals = [make_signal(SignalKind.NEGATIVITY_RISE, 3, 28), make_signal(SignalKind.VOLUME_SPIKE, 3, 40)]
    book = slack_book(tmp_path, receiver)
    first = Alerter(book, settings).process(signals, NOW)
    assert [d.ok for d in first.deliveries] == [True]
    # A new process (new Alerter, same files) sees the same signals again, as a restarted monitor replays them.
    again = Alerter(AlertBook(tmp_path / "conf"), settings).process(signals, NOW)
    assert again.messages == [] and again.deliveries == []
    assert len(receiver.posts("/slack")) == 1


def test_failed_delivery_is_retried_next_cycle(
    tmp_path: Path, receiver: HttpReceiver, settings: Settings
) -> None:
    book = slack_book(tmp_path, receiver)
    receiver.post_status["/slack"] = 500
    run = Alerter(book, settings).process([make_signal(SignalKind.VOLUME_SPIKE, 4, 0)], NOW)
    assert [(d.ok, d.gave_up) for d in run.deliveries] == [(False, False)]
    assert len(book.load_state().outbox) == 1
    receiver.post_status["/slack"] = 200
    retry = Alerter(book, settings).process([], NOW + dt.timedelta(minutes=1))
    assert [d.ok for d in retry.deliveries] == [True]
    assert book.load_state().outbox == []
    bodies = [json.loads(r.body)["text"] for r in receiver.posts("/slack")]
    assert bodies == ["【危険】ミナト住建: 投稿急増"] * 2  # refused once, then delivered


def test_delivery_gives_up_after_max_attempts(
    tmp_path: Path, receiver: HttpReceiver, settings: Settings
) -> None:
    book = slack_book(tmp_path, receiver)
    receiver.post_status["/slack"] = 503
    alerter = Alerter(book, settings)
    runs = [alerter.process([make_signal(SignalKind.VOLUME_SPIKE, 4, 0)], NOW)]
    runs += [alerter.process([], NOW) for _ in range(MAX_ATTEMPTS)]
    assert [len(run.deliveries) for run in runs] == [1] * MAX_ATTEMPTS + [0]
    assert runs[MAX_ATTEMPTS - 1].deliveries[0].gave_up
    assert len(receiver.posts("/slack")) == MAX_ATTEMPTS


def test_test_message_reaches_every_channel(
    tmp_path: Path, receiver: HttpReceiver, settings: Settings
) -> None:
    book = slack_book(tmp_path, receiver)
    book.add_channel(WATCH, WebhookConfig(url=receiver.base_url + "/hook", secret=SecretStr("鍵")), NOW)
    deliveries = Alerter(book, settings).test(WATCH, NOW)
    assert [(d.kind, d.ok) for d in deliveries] == [("slack", True), ("webhook", True)]
    assert (
        json.loads(receiver.posts("/slack")[0].body)["text"]
        == "【テスト】hikeshi からのテスト通知（ミナト住建）"
    )
    assert json.loads(receiver.posts("/hook")[0].body)["event"] == "test"
    assert book.load_state().alerts.threads == []
    with pytest.raises(InputError, match="通知先がありません"):
        Alerter(book, settings).test("しろくま製菓", NOW)


def test_channels_file_keeps_secrets_private(tmp_path: Path) -> None:
    book = AlertBook(tmp_path / "conf")
    book.add_channel(WATCH, WebhookConfig(url="https://example.jp/hook", secret=SecretStr("共有鍵-123")), NOW)
    book.set_policy(WATCH, AlertPolicy(cooldown_minutes=30))
    text = book.channels_path.read_text(encoding="utf-8")
    assert "共有鍵-123" in text and "ミナト住建" in text
    assert stat.S_IMODE(book.channels_path.stat().st_mode) == 0o600
    reloaded = AlertBook(tmp_path / "conf")
    (entry,) = reloaded.channels_for(WATCH)
    assert isinstance(entry.config, WebhookConfig)
    assert entry.config.secret.get_secret_value() == "共有鍵-123"
    assert reloaded.policy_for(WATCH).cooldown_minutes == 30
    assert reloaded.remove_channel(entry.id).id == entry.id
    assert reloaded.channels_for(WATCH) == []


def test_bad_channels_file_names_the_line(tmp_path: Path) -> None:
    book = AlertBook(tmp_path)
    book.channels_path.write_text(
        "channels:\n- id: 1\n  watch: ミナト住建\n  config:\n    kind: fax\n    number: '03'\n  created_at: 2026-03-12T00:00:00Z\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"alerts.yaml:\d"):
        book.load()


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (Settings(database_url="sqlite:////srv/hikeshi/hikeshi.sqlite3"), Path("/srv/hikeshi/hikeshi.d")),
        (Settings(database_url="postgresql+psycopg://u@db/hikeshi"), Path(".hikeshi")),
        (
            AlertSettings(database_url="sqlite:///x.sqlite3", config_dir=Path("/etc/hikeshi")),
            Path("/etc/hikeshi"),
        ),
    ],
)
def test_config_dir(settings: Settings, expected: Path) -> None:
    assert config_dir(settings) == expected
