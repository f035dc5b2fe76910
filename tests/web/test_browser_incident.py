"""Acceptance: a PR manager runs the first hour of a flame from the browser alone, without the CLI.

The bundled replay of a flame (data/replay/minato_flame.jsonl) is ingested and its signals detected and stored,
but the incident flows are not run: the state a live monitor is in at 22:06, when the 「否定的な声の増加」 signal
(severity 2) has fired and the severity-3 spike that would open an incident by itself (22:56) has not. The
manager opens the incident from that signal with 「インシデントを開く」, fills 責任者 and 広報, completes two
tasks, preserves the top five posts as evidence and downloads the report as a PDF. (Opening from the severity-2
signal rather than with a playbook whose opening severity is 4 keeps the bundled playbook: the incident opens
at 22:06 event time, 50 minutes before the playbook would have opened it.)

Real parts throughout: the app on uvicorn on a loopback port, Debian's headless Chromium through Playwright
(launched as in test_browser_pages.py). Set HIKESHI_SCREENSHOT_DIR to keep screenshots of the incident room at
desktop width and at 390 px (the on-call 広報's phone).
"""

from __future__ import annotations

import io
import os
import socket
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn
from pypdf import PdfReader

from hikeshi.detect import run_detectors
from hikeshi.ingest import ingest_file
from hikeshi.records import Signal, SignalKind
from hikeshi.respond.evidence import EvidenceStore
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from tests.web.test_browser_pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPLAY,
    TIMEOUT_MS,
    WATCH,
    _playwright_or_skip,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

pytestmark = pytest.mark.browser

MANAGER, PASSWORD = "hirose", "pr-manager-pass-1"
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def flame(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store, list[Signal]]]:
    database = tmp_path_factory.mktemp("incident-browser") / "hikeshi.sqlite3"
    settings = Settings(database_url=f"sqlite:///{database}", _env_file=None)  # type: ignore[call-arg]
    with Store.open(settings) as store:
        store.add_watch(WATCH)
        ingest_file(store, WATCH.name, str(REPLAY))
        signals = run_detectors(WATCH, store.iter_analyzed_posts(WATCH.name))
        store.save_signals(signals)
        security.create_user(AccountStore(store), MANAGER, Role.ADMIN, PASSWORD)
        yield settings, store, signals


@pytest.fixture(scope="module")
def server(flame: tuple[Settings, Store, list[Signal]]) -> Iterator[str]:
    settings, store, _signals = flame
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    runner = uvicorn.Server(uvicorn.Config(create_app(settings, store), log_level="warning", lifespan="on"))
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
def chromium() -> Iterator[Browser]:
    sync_api = _playwright_or_skip()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _screenshot(page: Page, name: str) -> None:
    directory = os.environ.get("HIKESHI_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / name), full_page=True)


def _first_severity_2(signals: list[Signal]) -> Signal:
    """The 22:06 「否定的な声の増加」: serious enough to act on, below the playbook's opening severity."""
    return min(
        (s for s in signals if s.kind == SignalKind.NEGATIVITY_RISE and s.severity == 2),
        key=lambda s: s.detected_at,
    )


def test_a_pr_manager_runs_the_first_hour_from_the_browser(
    chromium: Browser, server: str, flame: tuple[Settings, Store, list[Signal]]
) -> None:
    _settings, store, signals = flame
    assert IncidentStore(store).list_incidents(include_drills=True) == []  # nothing opened by itself
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="ja-JP", accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Log in, go to the watch and to the signal.
    page.goto(server + "/")
    page.fill("#name", MANAGER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")
    page.click(f"a:has-text('{WATCH.name}')")
    signal = _first_severity_2(signals)
    href = f"/signals/{signal.kind.value}/{int(signal.window_start.timestamp())}"
    page.locator(f"#signals-title + ul.signals a[href$='{href}']").click()
    page.wait_for_selector("#why-title")

    # 「インシデントを開く」 → the incident room.
    page.click("#incident-action button:has-text('インシデントを開く')")
    page.wait_for_url(f"{server}/incidents/*")
    [incident] = IncidentStore(store).list_incidents()
    assert incident.opened_at == signal.detected_at and incident.severity == 2
    assert incident.opened_by == MANAGER
    assert page.locator("#incident-title").inner_text() == incident.title
    assert page.locator(".room-head .badge.status-active").inner_text() == "対応中"
    assert "インシデントを開きました" in page.locator(".notice").inner_text()

    # Roles: 責任者 and 広報.
    for role, person in (("commander", "田中部長"), ("pr", "広瀬")):
        page.select_option("#role-role", role)
        page.fill("#role-person", person)
        page.click(".role-form button[type=submit]")
        page.wait_for_selector(".notice:has-text('役割を割り当てました')")
    roles = page.locator("table.roles").inner_text()
    assert "田中部長" in roles and "広瀬" in roles
    assert IncidentStore(store).get(incident.id).roles == {"commander": "田中部長", "pr": "広瀬"}

    # Two tasks done.
    for key in ("convene", "position_paper"):
        page.click(f"li.task[data-task={key}] button:has-text('完了')")
        page.wait_for_selector(f"li.task.done[data-task={key}]")
    done = {task.key: task.done_by for task in IncidentStore(store).tasks(incident.id) if task.done}
    assert done == {"convene": MANAGER, "position_paper": MANAGER}
    assert page.locator("li.task.overdue").count() >= 1  # the replay is history: the rest is past due

    # Evidence: the top five posts, each with its SHA-256.
    page.fill("#capture-top", "5")
    page.click("#evidence form:has(#capture-top) button[type=submit]")
    page.wait_for_selector(".notice:has-text('証拠を保全しました')")
    hashes = page.locator("#evidence .sha code").all_inner_texts()
    stored = EvidenceStore(store).list(incident.id)
    assert len(stored) == 5 and sorted(hashes) == sorted(item.sha256 for item in stored)
    assert {item.captured_by for item in stored} == {MANAGER}

    # The report as a PDF, its Japanese text selectable.
    with page.expect_download() as download:
        page.click("#report-pdf")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert WATCH.name in unicodedata.normalize("NFKC", text)

    _screenshot(page, "hikeshi_incident_room.png")
    phone = chromium.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ja-JP",
        storage_state=context.storage_state(),
    )
    small = phone.new_page()
    small.goto(page.url)
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _screenshot(small, "hikeshi_incident_room_390.png")
    phone.close()
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
