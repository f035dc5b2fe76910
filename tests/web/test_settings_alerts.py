"""The alert settings page and the monitor read the same channels (they used to read two different folders).

The bug this guards against: with ``HIKESHI_CONFIG_DIR`` set, `hikeshi serve` wrote channels added on the
settings page to ``<database>.d/alerts.yaml`` while `hikeshi monitor run` read ``$HIKESHI_CONFIG_DIR``, so a
channel an admin added in the browser never received an alert. Both now read the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hikeshi.alerts import Alerter, open_book
from hikeshi.records import Signal, SignalEvidence, SignalKind, Watch
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from tests.alerts.receivers import HttpReceiver, http_receiver
from tests.web.conftest import form_csrf, log_in

WATCH = "ミナト住建"
DETECTED = dt.datetime(2026, 3, 12, 13, 56, tzinfo=dt.UTC)  # 22:56 JST


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with http_receiver() as running:
        yield running


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An installation configured as the README says: database and config folder from the environment."""
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    monkeypatch.setenv("HIKESHI_CONFIG_DIR", str(tmp_path / "conf"))
    monkeypatch.setenv("HIKESHI_ALLOW_PRIVATE_URLS", "true")
    with Store(url) as store:
        store.add_watch(Watch(name=WATCH, terms=["ミナト住建", "みなと住建"]))
        security.create_user(AccountStore(store), "sato", Role.ADMIN, "hikeshi-admin-pass")
    return url


def add_on_the_page(client: TestClient, kind: str, url: str) -> str:
    token = form_csrf(client.get("/settings/alerts").text)
    page = client.post(
        "/settings/alerts", data={"watch": WATCH, "kind": kind, "url": url, "csrf_token": token}
    )
    assert page.status_code == 200, page.text
    return str(page.text)


def test_a_channel_added_on_the_settings_page_is_the_one_the_monitor_sends_to(
    environment: str, receiver: HttpReceiver
) -> None:
    with TestClient(create_app(), follow_redirects=False) as client:  # `hikeshi serve`: settings from the env
        log_in(client, "sato", "hikeshi-admin-pass")
        page = add_on_the_page(client, "slack", receiver.base_url + "/services/T/B/web")
        assert "通知先 1 を追加しました: Slack（127.0.0.1:" in page
    # `hikeshi monitor run`, another process: its own settings, its own store, the same channels.
    settings = Settings()
    signal = Signal(
        watch=WATCH,
        kind=SignalKind.NEGATIVITY_RISE,
        window_start=DETECTED - dt.timedelta(minutes=30),
        detected_at=DETECTED,
        severity=3,
        evidence=SignalEvidence(post_ids=["x:x-000812"]),
        summary="直近 30 分の否定的な投稿が 5 人／6 人に増えています。",
    )
    with Store.open(settings) as store:
        run = Alerter(open_book(store, settings), settings).process([signal], DETECTED)
    assert [(d.kind, d.ok) for d in run.deliveries] == [("slack", True)]
    (posted,) = receiver.posts("/services/T/B/web")
    assert json.loads(posted.body)["text"] == "【警戒】ミナト住建: 否定的な声の増加"
    assert not (Path(environment.removeprefix("sqlite:///")).with_name("hikeshi.d") / "alerts.yaml").exists()


def test_teams_is_offered_on_the_settings_page(environment: str, receiver: HttpReceiver) -> None:
    with TestClient(create_app(), follow_redirects=False) as client:
        log_in(client, "sato", "hikeshi-admin-pass")
        assert '<option value="teams">' in client.get("/settings/alerts").text
        page = add_on_the_page(client, "teams", receiver.base_url + "/workflows/secret-path")
        assert "通知先 1 を追加しました: Teams（127.0.0.1:" in page and "secret-path" not in page
        listing = client.get("/settings/alerts").text
        assert "Teams（127.0.0.1:" in listing and "secret-path" not in listing
