"""The Alerter over a real SQLite store and a real receiver: delivery, outbox retry, restart without re-sending."""

from __future__ import annotations

import datetime as dt
import json
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
from hikeshi.errors import InputError
from hikeshi.records import SignalKind
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.alerting import AlertStore
from tests.alerts.receivers import HttpReceiver
from tests.alerts.test_grouping import ONSET, WATCH, make_signal

NOW = ONSET + dt.timedelta(hours=1)


def slack_book(store: Store, receiver: HttpReceiver) -> AlertBook:
    book = AlertBook(store)
    book.add_channel(WATCH, SlackConfig(webhook_url=receiver.base_url + "/slack"), NOW)
    return book


def test_signals_are_delivered_once_across_restarts(
    store: Store, database_url: str, receiver: HttpReceiver, settings: Settings
) -> None:
    signals = [make_signal(SignalKind.NEGATIVITY_RISE, 3, 28), make_signal(SignalKind.VOLUME_SPIKE, 3, 40)]
    book = slack_book(store, receiver)
    first = Alerter(book, settings).process(signals, NOW)
    assert [d.ok for d in first.deliveries] == [True]
    # A new process (new store, new Alerter, same database) sees the same signals again, as a restarted
    # monitor replays them.
    with Store(database_url) as reopened:
        again = Alerter(AlertBook(reopened), settings).process(signals, NOW)
        assert again.messages == [] and again.deliveries == []
        (thread,) = AlertBook(reopened).open_threads(WATCH)
        assert (thread.messages, thread.folded, thread.max_severity_sent) == (1, 1, 3)  # the second folded
    assert len(receiver.posts("/slack")) == 1


def test_failed_delivery_is_retried_next_cycle(
    store: Store, receiver: HttpReceiver, settings: Settings
) -> None:
    book = slack_book(store, receiver)
    receiver.post_status["/slack"] = 500
    run = Alerter(book, settings).process([make_signal(SignalKind.VOLUME_SPIKE, 4, 0)], NOW)
    assert [(d.ok, d.gave_up) for d in run.deliveries] == [(False, False)]
    (pending,) = book.outbox()
    assert pending.attempts == 1 and "HTTP 500" in pending.last_error
    receiver.post_status["/slack"] = 200
    retry = Alerter(book, settings).process([], NOW + dt.timedelta(minutes=1))
    assert [(d.ok, d.retry) for d in retry.deliveries] == [(True, True)]
    assert book.outbox() == []
    bodies = [json.loads(r.body)["text"] for r in receiver.posts("/slack")]
    assert bodies == ["【危険】ミナト住建: 投稿急増"] * 2  # refused once, then delivered


def test_delivery_gives_up_after_max_attempts(
    store: Store, receiver: HttpReceiver, settings: Settings
) -> None:
    book = slack_book(store, receiver)
    receiver.post_status["/slack"] = 503
    alerter = Alerter(book, settings)
    runs = [alerter.process([make_signal(SignalKind.VOLUME_SPIKE, 4, 0)], NOW)]
    runs += [alerter.process([], NOW) for _ in range(MAX_ATTEMPTS)]
    assert [len(run.deliveries) for run in runs] == [1] * MAX_ATTEMPTS + [0]
    assert runs[MAX_ATTEMPTS - 1].deliveries[0].gave_up
    assert len(receiver.posts("/slack")) == MAX_ATTEMPTS
    assert book.outbox() == []


def test_removing_a_channel_drops_its_pending_messages(
    store: Store, receiver: HttpReceiver, settings: Settings
) -> None:
    book = slack_book(store, receiver)
    receiver.post_status["/slack"] = 500
    Alerter(book, settings).process([make_signal(SignalKind.VOLUME_SPIKE, 4, 0)], NOW)
    (entry,) = book.channels(WATCH)
    assert len(book.outbox()) == 1
    book.remove_channel(entry.id)
    assert book.outbox() == []
    assert Alerter(book, settings).process([], NOW).deliveries == []


def test_test_message_reaches_every_channel(store: Store, receiver: HttpReceiver, settings: Settings) -> None:
    book = slack_book(store, receiver)
    book.add_channel(WATCH, WebhookConfig(url=receiver.base_url + "/hook", secret=SecretStr("鍵")), NOW)
    deliveries = Alerter(book, settings).test(WATCH, NOW)
    assert [(d.kind, d.ok) for d in deliveries] == [("slack", True), ("webhook", True)]
    assert (
        json.loads(receiver.posts("/slack")[0].body)["text"]
        == "【テスト】hikeshi からのテスト通知（ミナト住建）"
    )
    assert json.loads(receiver.posts("/hook")[0].body)["event"] == "test"
    assert book.open_threads() == []
    with pytest.raises(InputError, match="通知先がありません"):
        Alerter(book, settings).test("しろくま製菓", NOW)


def test_channels_and_policies_are_kept_in_the_database(store: Store, database_url: str) -> None:
    book = AlertBook(store)
    book.add_channel(WATCH, WebhookConfig(url="https://example.jp/hook", secret=SecretStr("共有鍵-123")), NOW)
    book.set_policy(WATCH, AlertPolicy(cooldown_minutes=30))
    (stored,) = AlertStore(store).list_channels(WATCH)
    assert stored.config == {"kind": "webhook", "url": "https://example.jp/hook", "secret": "共有鍵-123"}
    with Store(database_url) as reopened:
        reloaded = AlertBook(reopened)
        (entry,) = reloaded.channels_for(WATCH)
        assert isinstance(entry.config, WebhookConfig)
        assert entry.config.secret.get_secret_value() == "共有鍵-123"
        assert reloaded.policy_for(WATCH).cooldown_minutes == 30
        assert reloaded.policy_for("しろくま製菓") == AlertPolicy()
        assert reloaded.remove_channel(entry.id).id == entry.id
        assert reloaded.channels_for(WATCH) == []
        with pytest.raises(InputError, match=f"通知先 {entry.id} はありません"):
            reloaded.remove_channel(entry.id)


def test_channels_of_an_unknown_watch_are_refused(store: Store) -> None:
    with pytest.raises(InputError, match="ウォッチ「しろくま製菓」はありません"):
        AlertBook(store).add_channel(
            "しろくま製菓", SlackConfig(webhook_url="https://hooks.slack.com/x"), NOW
        )


def test_removing_a_watch_removes_its_channels(store: Store) -> None:
    book = AlertBook(store)
    book.add_channel(WATCH, SlackConfig(webhook_url="https://hooks.slack.com/x"), NOW)
    book.set_policy(WATCH, AlertPolicy(min_severity=3))
    store.remove_watch(WATCH)
    assert book.channels() == [] and book.policies() == {}


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (Settings(database_url="sqlite:////srv/hikeshi/hikeshi.sqlite3"), Path("/srv/hikeshi/hikeshi.d")),
        (Settings(database_url="postgresql+psycopg://u@db/hikeshi"), Path(".hikeshi")),
        (
            AlertSettings(database_url="sqlite:///x.sqlite3", config_dir=Path("/etc/hikeshi")),
            Path("/etc/hikeshi"),
        ),
        (Settings(database_url="sqlite:///x.sqlite3", config_dir=Path("/etc/hikeshi")), Path("/etc/hikeshi")),
    ],
)
def test_config_dir_where_older_files_are_looked_for(settings: Settings, expected: Path) -> None:
    assert config_dir(settings) == expected
