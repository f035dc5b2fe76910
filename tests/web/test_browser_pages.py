"""A person in a real browser: log in, find the flame on the dashboard, read why it was raised, check a draft.

Drives Debian's headless Chromium (`apt-get install chromium`) with Playwright against the real app served by
uvicorn on a loopback port, with the bundled replay of a flame (data/replay/minato_flame.jsonl) ingested and
its signals detected. Skipped where Chromium or Playwright is missing, except in CI (CI=true), where that fails.
Set HIKESHI_SCREENSHOT_DIR to keep screenshots of the dashboard and the guard page.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
import uvicorn

from hikeshi.detect import run_detectors
from hikeshi.ingest import ingest_file
from hikeshi.records import Signal, Watch
from hikeshi.report.signals import KIND_LABELS
from hikeshi.reports import signal_evidence
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPLAY = Path(__file__).resolve().parents[2] / "data" / "replay" / "minato_flame.jsonl"
WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建", "ミナトホーム"])
USER, PASSWORD = "tanaka", "browser-pass-123"
DRAFT = (
    "ご検討いただきありがとうございました。先にわかっていたら会社や私も無駄な時間は使わない。"
    "またの機会がありましたらよろしくお願いします。"
)
TIMEOUT_MS = 15_000


def _playwright_or_skip() -> ModuleType:
    in_ci = os.environ.get("CI", "").lower() == "true"
    try:
        from playwright import sync_api
    except ImportError:
        if in_ci:
            pytest.fail("playwright がありません（pip install playwright）。")
        pytest.skip("playwright がありません")
    if not CHROMIUM.exists():
        if in_ci:
            pytest.fail("/usr/bin/chromium がありません（apt-get install chromium）。")
        pytest.skip("/usr/bin/chromium がありません")
    return sync_api


@pytest.fixture(scope="module")
def flame_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store, list[Signal]]]:
    database = tmp_path_factory.mktemp("browser") / "hikeshi.sqlite3"
    settings = Settings(database_url=f"sqlite:///{database}", _env_file=None)  # type: ignore[call-arg]
    with Store.open(settings) as store:
        store.add_watch(WATCH)
        ingest_file(store, WATCH.name, str(REPLAY))
        signals = run_detectors(WATCH, store.iter_analyzed_posts(WATCH.name))
        store.save_signals(signals)
        security.create_user(AccountStore(store), USER, Role.ADMIN, PASSWORD)
        yield settings, store, signals


@pytest.fixture(scope="module")
def server(flame_store: tuple[Settings, Store, list[Signal]]) -> Iterator[str]:
    """The real app on uvicorn, on a free loopback port, in a thread."""
    settings, store, _signals = flame_store
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(settings, store), log_level="warning", lifespan="on")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not runner.started:
        thread.join(0.02)
        assert thread.is_alive(), "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    runner.should_exit = True
    thread.join(10)
    listener.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    sync_api = _playwright_or_skip()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
        context.set_default_timeout(TIMEOUT_MS)
        opened = context.new_page()
        errors: list[str] = []
        opened.on("pageerror", lambda error: errors.append(str(error)))
        opened.goto(server + "/")
        opened.fill("#name", USER)
        opened.fill("#password", PASSWORD)
        opened.click("button[type=submit]")
        opened.wait_for_url(server + "/")
        yield opened
        chromium.close()
        assert errors == [], f"JavaScript errors: {errors}"


def _screenshot(page: Page, name: str) -> None:
    directory = os.environ.get("HIKESHI_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / name))
        page.screenshot(path=str(Path(directory) / f"full_{name}"), full_page=True)


def _worst(signals: list[Signal]) -> Signal:
    return max(signals, key=lambda signal: (signal.severity, signal.detected_at))


def test_overview_lists_the_watch_with_its_risk_and_last_signal(
    page: Page, server: str, flame_store: tuple[Settings, Store, list[Signal]]
) -> None:
    page.goto(server + "/")
    row = page.locator("tbody tr", has_text=WATCH.name)
    assert row.count() == 1
    last = max(flame_store[2], key=lambda signal: signal.detected_at)
    assert KIND_LABELS[last.kind] in row.inner_text()


def test_dashboard_shows_the_chart_and_the_flame_signals(
    page: Page, server: str, flame_store: tuple[Settings, Store, list[Signal]]
) -> None:
    signals = flame_store[2]
    page.goto(server + "/")
    page.click(f"a:has-text('{WATCH.name}')")
    page.wait_for_selector("#chart[data-rendered=true]")
    assert page.locator("#chart svg.main-svg").count() >= 1
    assert page.locator("#chart .barlayer .point").count() > 100
    markers = page.locator("#chart .scatterlayer .point")
    in_week = [
        s for s in signals if s.detected_at >= max(x.detected_at for x in signals) - dt.timedelta(days=7)
    ]
    assert markers.count() >= len(in_week)
    worst = _worst(signals)
    listed = page.locator("#signals-title + ul.signals li", has_text=KIND_LABELS[worst.kind])
    assert listed.count() >= 1
    assert page.locator("#signals-title + ul.signals", has_text=f"深刻度 {worst.severity}").count() == 1
    _screenshot(page, "hikeshi_dashboard.png")


def test_signal_detail_says_why_it_was_raised(
    page: Page, server: str, flame_store: tuple[Settings, Store, list[Signal]]
) -> None:
    worst = _worst(flame_store[2])
    page.goto(server + "/watches/" + WATCH.name)
    href = f"/signals/{worst.kind.value}/{int(worst.window_start.timestamp())}"
    page.locator(f"#signals-title + ul.signals a[href$='{href}']").click()
    page.wait_for_selector("#why-title")
    why = page.locator("#signal-summary").inner_text()
    assert why == worst.summary
    assert f"深刻度 {worst.severity}" in why
    assert page.locator("#evidence-title ~ article.post").count() == len(
        signal_evidence(flame_store[1], worst)
    )


def test_guard_highlights_the_blaming_phrase_and_offers_a_rewrite(page: Page, server: str) -> None:
    page.goto(server + "/")
    page.click("nav >> text=送信前チェック")
    page.fill("#text", DRAFT)
    page.select_option("#channel", "line")
    page.select_option("#audience", "customer")
    page.click("button:has-text('チェックする')")
    page.wait_for_selector("#verdict")
    assert page.locator("#verdict-level").inner_text() == "危険"
    marked = page.locator("#highlighted mark").all_inner_texts()
    assert any("無駄な時間" in text for text in marked), marked
    assert any("先にわかっていたら" in text for text in marked), marked
    rewrite = page.locator("#rewrite").inner_text()
    assert "無駄な時間" not in rewrite
    assert rewrite.startswith("ご検討いただきありがとうございました。")
    _screenshot(page, "hikeshi_guard.png")
