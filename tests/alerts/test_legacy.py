"""An older installation's alerts.yaml and alert_state.json are imported once into the database, losing nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from hikeshi.alerts import AlertBook, Alerter, EmailConfig, SlackConfig, WebhookConfig, open_book, signal_key
from hikeshi.errors import ConfigError
from hikeshi.records import SignalKind
from hikeshi.settings import Settings
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver
from tests.alerts.test_grouping import ONSET, make_signal

NOW = ONSET + dt.timedelta(hours=1)
HANDLED = make_signal(SignalKind.NEGATIVITY_RISE, 3, 28)


def old_files(folder: Path, receiver: HttpReceiver) -> None:
    """The two files exactly as the file-based AlertBook wrote them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "alerts.yaml").write_text(
        f"""# hikeshi の通知先と通知ポリシー（秘密情報を含みます）
channels:
- id: 1
  watch: ミナト住建
  config:
    kind: slack
    webhook_url: {receiver.base_url}/slack
  created_at: '2026-03-01T00:00:00+00:00'
- id: 2
  watch: 消えた会社
  config:
    kind: webhook
    url: https://hooks.example.jp/x
    secret: 鍵
  created_at: '2026-03-01T00:00:00+00:00'
- id: 4
  watch: ミナト住建
  config:
    kind: webhook
    url: {receiver.base_url}/hook
    secret: 共有鍵-123
  created_at: '2026-03-02T00:00:00+00:00'
policies:
  ミナト住建:
    group_window_minutes: 240
    cooldown_minutes: 30
    min_severity: 2
    max_signal_age_hours: 24.0
  消えた会社:
    group_window_minutes: 360
    cooldown_minutes: 60
    min_severity: 2
    max_signal_age_hours: 24.0
""",
        encoding="utf-8",
    )
    opened = HANDLED.detected_at.isoformat()
    message = {
        "watch": "ミナト住建",
        "thread_id": "inc-3f2a9c1d0b7e4a55",
        "sequence": 1,
        "event": "opened",
        "severity": 3,
        "previous_severity": None,
        "signals": [HANDLED.model_dump(mode="json")],
        "folded": 0,
        "created_at": opened,
    }
    state = {
        "alerts": {
            "threads": [
                {
                    "id": "inc-3f2a9c1d0b7e4a55",
                    "watch": "ミナト住建",
                    "opened_at": opened,
                    "last_signal_at": opened,
                    "last_sent_at": opened,
                    "max_severity_sent": 3,
                    "messages": 1,
                    "folded": 0,
                    "closed": False,
                }
            ],
            "handled": {signal_key(HANDLED): 3},
        },
        "outbox": [{"channel_id": 4, "message": message, "attempts": 2, "last_error": "HTTP 503"}],
    }
    (folder / "alert_state.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def legacy(tmp_path: Path, database_url: str) -> Settings:
    return Settings(database_url=database_url, config_dir=tmp_path / "conf", allow_private_urls=True)


def test_older_files_are_imported_once_and_kept(
    store: Store, legacy: Settings, receiver: HttpReceiver, tmp_path: Path
) -> None:
    folder = tmp_path / "conf"
    old_files(folder, receiver)
    book = open_book(store, legacy)
    assert book.imported is not None
    assert (book.imported.channels, book.imported.policies, book.imported.threads, book.imported.pending) == (
        2,
        1,
        1,
        1,
    )
    assert book.imported.skipped_watches == ["消えた会社"]
    assert "ウォッチ「消えた会社」はもうない" in book.imported.describe()
    assert sorted(p.name for p in folder.iterdir()) == ["alert_state.json.imported", "alerts.yaml.imported"]
    configs = [entry.config for entry in book.channels()]
    assert [type(config) for config in configs] == [SlackConfig, WebhookConfig]
    assert isinstance(configs[1], WebhookConfig) and configs[1].secret.get_secret_value() == "共有鍵-123"
    assert book.policy_for("ミナト住建").cooldown_minutes == 30
    assert [t.id for t in book.open_threads("ミナト住建")] == ["inc-3f2a9c1d0b7e4a55"]
    # The pending message follows its channel to the new number; the handled signal is not sent again.
    (pending,) = book.outbox()
    assert pending.channel_id == book.channels()[1].id and pending.attempts == 2
    run = Alerter(book, legacy).process([HANDLED], NOW)
    assert run.messages == []
    assert [(d.kind, d.ok, d.retry) for d in run.deliveries] == [("webhook", True, True)]
    assert json.loads(receiver.posts("/hook")[0].body)["thread_id"] == "inc-3f2a9c1d0b7e4a55"
    # Opening again imports nothing more.
    again = open_book(store, legacy)
    assert again.imported is None and len(again.channels()) == 2


def test_a_file_copied_back_is_not_imported_twice(
    store: Store, legacy: Settings, receiver: HttpReceiver, tmp_path: Path
) -> None:
    folder = tmp_path / "conf"
    old_files(folder, receiver)
    open_book(store, legacy)
    (folder / "alerts.yaml").write_bytes((folder / "alerts.yaml.imported").read_bytes())
    book = open_book(store, legacy)
    assert book.imported is not None and book.imported.channels == 0
    assert len(book.channels()) == 2
    assert (folder / "alerts.yaml.imported.2").exists()


def test_a_broken_file_names_its_line_and_stays_where_it_was(
    store: Store, legacy: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    broken = folder / "alerts.yaml"
    broken.write_text(
        "channels:\n- id: 1\n  watch: ミナト住建\n  config:\n    kind: fax\n    number: '03'\n"
        "  created_at: 2026-03-12T00:00:00Z\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"alerts.yaml:\d"):
        open_book(store, legacy)
    assert broken.exists() and not (folder / "alerts.yaml.imported").exists()
    assert AlertBook(store).channels() == []
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            "kind: fax\n    number: '03'", "kind: slack\n    webhook_url: https://hooks.slack.com/x"
        ),
        encoding="utf-8",
    )
    fixed = open_book(store, legacy)
    assert fixed.imported is not None and fixed.imported.channels == 1


def test_an_email_channel_keeps_its_password(store: Store, legacy: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "alerts.yaml").write_text(
        "channels:\n- id: 7\n  watch: ミナト住建\n  config:\n    kind: email\n    host: smtp.example.jp\n"
        "    sender: hikeshi@example.jp\n    recipients: [kouhou@example.jp]\n    username: hikeshi\n"
        "    password: pass-ワード\n  created_at: '2026-03-01T00:00:00+00:00'\n",
        encoding="utf-8",
    )
    (entry,) = open_book(store, legacy).channels()
    assert isinstance(entry.config, EmailConfig)
    assert entry.config.password is not None and entry.config.password.get_secret_value() == "pass-ワード"


def test_channels_an_older_web_page_wrote_beside_the_database_are_imported_too(
    store: Store, legacy: Settings, receiver: HttpReceiver, tmp_path: Path
) -> None:
    """With HIKESHI_CONFIG_DIR set, the older settings page still wrote to <database>.d: both are imported."""
    old_files(tmp_path / "conf", receiver)
    beside = tmp_path / "hikeshi.d"
    beside.mkdir()
    (beside / "alerts.yaml").write_text(
        "channels:\n- id: 1\n  watch: ミナト住建\n  config:\n    kind: slack\n"
        "    webhook_url: https://hooks.slack.com/services/T/B/web\n  created_at: '2026-03-05T00:00:00+00:00'\n",
        encoding="utf-8",
    )
    book = open_book(store, legacy)
    assert book.imported is not None and book.imported.channels == 3
    assert [entry.config.kind for entry in book.channels()] == ["slack", "webhook", "slack"]
    assert (beside / "alerts.yaml.imported").exists()
