"""Acceptance: a PR manager writes, fixes, gets approved and publishes the first statement from the browser alone.

An incident is open for ミナト住建 with its roles filled: 広報 hirose (an analyst account) and 経営 minato (a
viewer account: an executive approves, nothing more). hirose fills the position paper's form with the values of
examples/position_paper.yaml, drafts a holding statement, types a conditional apology
(「ご不快な思いをされた方がいらっしゃったのであれば」) and sees it marked as he types with the reason and the fix,
fixes it, saves and submits; minato approves in his own browser; hirose records the publication on X and on the
website and finds both on the incident's timeline.

Real parts throughout: the app on uvicorn on a loopback port, Debian's headless Chromium through Playwright
(launched as in test_browser_pages.py). Set HIKESHI_SCREENSHOT_DIR to keep screenshots of the paper form, the
editor with the live highlight and the room's timeline, at desktop width and at 390 px.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from hikeshi.records import Watch
from hikeshi.respond.incidents.records import EventKind, Incident
from hikeshi.respond.incidents.records import Role as IncidentRole
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.statements.papers import PositionPaper, load_position_paper
from hikeshi.respond.statements.records import DraftKind, PublishChannel, StatementStatus
from hikeshi.respond.statements.store import StatementStore
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from hikeshi.web.views.papers import paper_form
from hikeshi.web.views.statements import draft_statement
from tests.web.test_browser_pages import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _playwright_or_skip
from tests.web.test_xss import IMG, SCRIPT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page, ViewportSize

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "position_paper.yaml"
MANAGER, MANAGER_PASSWORD = "hirose", "pr-manager-pass-1"
EXECUTIVE, EXECUTIVE_PASSWORD = "minato", "executive-pass-1"
APOLOGY = "深くお詫び申し上げます"
DODGE = "ご不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます"
FIX = "多大なご迷惑とご心配をおかけしましたことを、深くお詫び申し上げます"
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def flame(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store, Incident]]:
    database = tmp_path_factory.mktemp("statement-browser") / "hikeshi.sqlite3"
    settings = Settings(database_url=f"sqlite:///{database}", _env_file=None)  # type: ignore[call-arg]
    with Store.open(settings) as store:
        store.add_watch(Watch(name="ミナト住建", terms=["ミナト住建"]))
        incidents = IncidentStore(store)
        incident = incidents.open(
            "ミナト住建", "営業担当者の LINE が拡散", playbook=default_playbook(), severity=3, actor="system"
        )
        incidents.assign_role(incident.id, IncidentRole.PR, MANAGER, "system")
        incidents.assign_role(incident.id, IncidentRole.EXECUTIVE, EXECUTIVE, "system")
        accounts = AccountStore(store)
        security.create_user(accounts, MANAGER, Role.ANALYST, MANAGER_PASSWORD)
        security.create_user(accounts, EXECUTIVE, Role.VIEWER, EXECUTIVE_PASSWORD)
        yield settings, store, incidents.get(incident.id)


@pytest.fixture(scope="module")
def server(flame: tuple[Settings, Store, Incident]) -> Iterator[str]:
    settings, store, _incident = flame
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


def _log_in(browser: Browser, server: str, name: str, password: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")
    return context, page


def _fill_paper(page: Page, paper: PositionPaper) -> None:
    """Type every value of the paper into the form, as the PR manager would copy it from the facts."""
    form = paper_form(paper)
    for name, value in form.values.items():
        field = page.locator(f'[name="{name}"]')
        kind = field.evaluate("node => node.type")
        if kind == "checkbox":
            field.set_checked(value == "on")
        elif kind == "select-one":
            field.select_option(value)
        else:
            field.fill(value)


def _phone_fits(
    browser: Browser,
    context: BrowserContext,
    url: str,
    name: str,
    act: Callable[[Page], object] | None = None,
) -> None:
    """The page at 390 px wide (the on-call 広報's phone) has no sideways scrolling; `act` runs before the shot."""
    phone = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ja-JP",
        storage_state=context.storage_state(),
    )
    small = phone.new_page()
    small.goto(url)
    if act is not None:
        act(small)
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    _screenshot(small, name)
    phone.close()


def _type_dodge(page: Page) -> Locator:
    """Replace the apology with the conditional one, typing its last characters, and wait for the mark."""
    editor = page.locator("#statement-text")
    text = editor.input_value().replace(APOLOGY, DODGE[:-4], 1)
    editor.fill(text)
    editor.evaluate("(node, at) => node.setSelectionRange(at, at)", text.index(DODGE[:-4]) + len(DODGE[:-4]))
    editor.press_sequentially(DODGE[-4:], delay=30)
    mark = page.locator("#lint-text mark", has_text="不快な思いをされた方がいらっしゃったのであれば")
    mark.wait_for()
    return mark


def test_a_pr_manager_writes_fixes_gets_approved_and_publishes_a_holding_statement(
    chromium: Browser,
    server: str,
    flame: tuple[Settings, Store, Incident],
) -> None:
    _settings, store, incident = flame
    example = load_position_paper(EXAMPLE)
    context, page = _log_in(chromium, server, MANAGER, MANAGER_PASSWORD)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # From the incident room to the position paper; a form saved empty names its missing fields in Japanese.
    page.goto(f"{server}/incidents/{incident.id}")
    page.click("#pr-links a:has-text('ポジションペーパー')")
    page.wait_for_url(f"{server}/incidents/{incident.id}/paper")
    page.fill("#f-incident_title", "")
    page.click("#paper-save")
    page.wait_for_selector("#paper-errors")
    assert page.locator("#f-company-name-error").inner_text() == "必須の項目です。"
    assert page.locator("#f-timeline-0-at").count() == 1

    # Two more rows for every list, then every value of the example, then save: version 1.
    for _ in range(2):
        page.click("button[value=rows]")
        page.wait_for_selector(".notice:has-text('空き行を増やしました')")
    _fill_paper(page, example)
    _screenshot(page, "hikeshi_paper_form.png")
    page.click("#paper-save")
    page.wait_for_selector(".notice:has-text('新しい版として保存しました')")
    statements = StatementStore(store)
    saved = statements.paper(incident.id)
    assert saved.version == 1 and saved.author == MANAGER
    assert PositionPaper.model_validate(saved.body) == example.model_copy(update={"incident_id": incident.id})

    # Draft the holding statement from it.
    page.click(".statement-tabs a:has-text('声明・公表文')")
    page.select_option("#draft-kind", "holding")
    page.click(".draft-form button[type=submit]")
    page.wait_for_url(f"{server}/statements/*")
    [statement] = statements.list(incident.id)
    assert statement.status == StatementStatus.DRAFT and statement.lint.level == "ok"
    assert page.locator("#lint-text mark").count() == 0

    # Type the dodge: marked live, with the reason and the fix.
    text = page.locator("#statement-text").input_value()
    assert APOLOGY in text
    mark = _type_dodge(page)
    assert mark.get_attribute("class") == "sev-2"
    finding = page.locator("#lint-findings li", has_text="条件付きの謝罪")
    assert "条件を外し" in finding.locator(".suggestion").inner_text()
    assert page.locator("#lint-level .badge").inner_text() == "注意"
    _screenshot(page, "hikeshi_statement_editor.png")
    _phone_fits(chromium, context, page.url, "hikeshi_statement_editor_390.png", _type_dodge)

    # Fix it: the mark goes away; save, then submit.
    page.locator("#statement-text").fill(text.replace(APOLOGY, FIX, 1))
    page.wait_for_selector("#lint-level .badge[data-level=ok]")
    assert page.locator("#lint-text mark").count() == 0
    page.fill("#statement-note", "条件付きの謝罪を改めた")
    page.click("#save-text")
    page.wait_for_selector(".notice:has-text('新しい版として保存しました')")
    page.click("#submit-statement")
    page.wait_for_selector("#statement-status:has-text('確認待ち')")
    assert page.locator("#approve-form").count() == 0  # hirose is not the executive
    assert "minato" in page.locator("#approval-waiting").inner_text()

    # The executive approves in his own browser.
    executive, approver_page = _log_in(chromium, server, EXECUTIVE, EXECUTIVE_PASSWORD)
    approver_page.goto(page.url)
    approver_page.click("#approve-statement")
    approver_page.wait_for_selector("#statement-status:has-text('承認済み')")
    executive.close()

    # hirose publishes on X and on the website.
    page.reload()
    for channel in ("x", "website"):
        page.select_option("#publish-channel", channel)
        page.click("#publish-statement")
        page.wait_for_selector(".notice:has-text('公表を記録しました')")
    published = statements.get(statement.id)
    assert published.status == StatementStatus.PUBLISHED and published.version == 2
    assert published.approver == EXECUTIVE and FIX in published.text and DODGE not in published.text
    assert [p.channel for p in published.publications] == [PublishChannel.X, PublishChannel.WEBSITE]
    assert page.locator("#statement-text").get_attribute("readonly") is not None

    # The list says so; the timeline of the room shows both publications (and the paper, draft and approval).
    page.click(".statement-tabs a:has-text('声明・公表文')")
    assert "公表済み" in page.locator(f"tr[data-statement='{statement.id}']").inner_text()
    _screenshot(page, "hikeshi_statements_list.png")
    page.click(".statement-tabs a:has-text('インシデントルーム')")
    timeline = page.locator("#timeline").inner_text()
    for expected in (
        "ポジションペーパー第 1 版を保存しました",
        "の下書きを作成しました",
        "を承認しました",
        "をXで公表しました",
        "をウェブサイトで公表しました",
    ):
        assert expected in timeline, expected
    events = IncidentStore(store).events(incident.id, kinds=[EventKind.STATEMENT])
    assert [event.data["channel"] for event in events] == ["x", "website"]
    _screenshot(page, "hikeshi_statement_timeline.png")

    for path, name in (
        (f"/incidents/{incident.id}/paper", "hikeshi_paper_form_390.png"),
        (f"/incidents/{incident.id}/qa", "hikeshi_statement_qa_390.png"),
        (f"/incidents/{incident.id}/call-script", "hikeshi_call_script_390.png"),
    ):
        _phone_fits(chromium, context, server + path, name)
    page.goto(f"{server}/incidents/{incident.id}/qa")
    _screenshot(page, "hikeshi_statement_qa.png")
    page.emulate_media(media="print")
    assert not page.locator("#inquiry-form").is_visible() and not page.locator("header.site").is_visible()
    assert page.locator("#bucket-cannot").is_visible()
    _screenshot(page, "hikeshi_statement_qa_print.png")
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def test_the_live_highlight_shows_hostile_text_as_text(
    chromium: Browser, server: str, flame: tuple[Settings, Store, Incident]
) -> None:
    """Typed markup reaches the lint panel as text: no element is created from it, no script runs."""
    settings, store, incident = flame
    statements = StatementStore(store)
    if not statements.papers(incident.id):
        statements.save_paper(incident.id, load_position_paper(EXAMPLE), "setup")
    statement = draft_statement(statements, settings, incident.id, DraftKind.HOLDING, MANAGER)
    context, page = _log_in(chromium, server, MANAGER, MANAGER_PASSWORD)
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(f"{server}/statements/{statement.id}")
    hostile = f'{IMG}{SCRIPT}佐々木様に、{DODGE}。<b onmouseover="alert(2)">太字</b>'
    page.locator("#statement-text").fill(hostile)
    page.locator("#lint-negative li").wait_for()
    panel = page.locator("#lint-panel")
    assert panel.locator("img, script, b, svg").count() == 0
    assert page.locator("#lint-text").inner_text().startswith(IMG + SCRIPT)
    assert "佐々木様" in page.locator("#lint-negative").inner_text()
    assert page.locator("#lint-text mark", has_text="佐々木様").count() == 1
    page.locator("#lint-text mark").first.hover()
    assert dialogs == []
    context.close()
