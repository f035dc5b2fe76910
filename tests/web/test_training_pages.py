"""The training pages through HTTP: enrol, one item per screen with its explanation, results, admin report.

A real app on a temporary SQLite file, signed in through the real login form (session cookie + CSRF token).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hikeshi.respond.training import BankItem, ExamKind, ItemType, TrainingRole, exam_items
from hikeshi.respond.training.scoring import chunks
from hikeshi.store.accounts import AccountStore, Role
from tests.respond.training.support import key_answer, wrong_answer
from tests.web.conftest import form_csrf, log_in, make_user

TRAINEE, PASSWORD = "suzuki", "trainee-pass-123"


@pytest.fixture
def trainee(app: FastAPI, accounts: AccountStore) -> Iterator[TestClient]:
    """A viewer (the lowest role) signed in through the login form: any logged-in user takes the course."""
    make_user(accounts, TRAINEE, Role.VIEWER, PASSWORD)
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, TRAINEE, PASSWORD)
        yield client


def _enrol(client: TestClient, department: str = "営業部", role: str = "sales") -> None:
    page = client.get("/training")
    answer = client.post(
        "/training/enrol",
        data={"department": department, "role": role, "csrf_token": form_csrf(page.text)},
    )
    assert answer.status_code == 303, answer.text


def _fields(item: BankItem, raw: Any) -> dict[str, Any]:
    """The form fields a person would submit for this answer."""
    if item.type is ItemType.FIND_SPAN:
        return {"chunk": [str(number) for number in _risky_pieces(item, raw)]}
    if item.type is ItemType.REWRITE:
        return {"text": raw}
    return {"answer": raw}


def _risky_pieces(item: BankItem, texts: list[str]) -> list[int]:
    """The numbers of the pieces a person taps to mark these texts (a span may cross a comma)."""
    spans = [(item.prompt.find(text), item.prompt.find(text) + len(text)) for text in texts]
    return [
        number
        for number, (start, end) in enumerate(chunks(item.prompt))
        if any(start < span_end and span_start < end for span_start, span_end in spans)
    ]


def _answer_item(client: TestClient, exam: str, number: int, item: BankItem, raw: Any) -> str:
    """Submit one item (a scenario step by step, as the pages do) and return the final feedback page."""
    url = f"/training/{exam}/{number}"
    page = client.get(url)
    assert page.status_code == 200, page.text
    token = form_csrf(page.text)
    sitting = re.search(r'name="sitting" value="(\d+)"', page.text)
    assert sitting is not None
    base = {"csrf_token": token, "sitting": sitting.group(1), "item_id": item.id}
    if item.type is ItemType.SCENARIO:
        picked: list[str] = []
        for step_answer in raw[:-1]:
            step = client.post(url, data={**base, "picked": ",".join(picked), "answer": step_answer})
            assert step.status_code == 200 and 'id="next"' in step.text
            picked.append(step_answer)
            assert client.get(f"{url}?picked={','.join(picked)}").status_code == 200
        answer = client.post(url, data={**base, "picked": ",".join(picked), "answer": raw[-1]})
    else:
        answer = client.post(url, data={**base, **_fields(item, raw)})
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_viewer_enrols_and_takes_the_pre_test_item_by_item(trainee: TestClient) -> None:
    first = trainee.get("/training")
    assert first.status_code == 200 and 'id="enrol"' in first.text and "営業・お客様への連絡" in first.text
    _enrol(trainee)
    assert trainee.get("/training/pre").headers["location"] == "/training/pre/1"
    items = exam_items(TrainingRole.SALES, ExamKind.PRE)
    for number, item in enumerate(items, start=1):
        feedback = _answer_item(trainee, "pre", number, item, key_answer(item))
        assert "○ 正解" in feedback and item.explanation in feedback, item.id
    result = trainee.get("/training/pre/result")
    assert "100.0 点" in result.text and "事後テストへ" in result.text
    # The pre-test is the baseline: it cannot be taken again.
    assert trainee.get("/training/pre/1").headers["location"] == "/training/pre/result"
    home = trainee.get("/training")
    assert "100.0 点" in home.text


def test_wrong_answers_show_the_key_and_the_guards_reasons(trainee: TestClient) -> None:
    _enrol(trainee, role="sales")
    items = exam_items(TrainingRole.SALES, ExamKind.POST)
    for number, item in enumerate(items, start=1):
        feedback = _answer_item(trainee, "post", number, item, wrong_answer(item))
        assert "× 不正解" in feedback, item.id
        if item.guard_reasons:
            assert "hikeshi check" in feedback and item.guard_reasons[0].reason in feedback
    result = trainee.get("/training/post/result")
    assert "0.0 点" in result.text and "もう一度受ける" in result.text
    # A retake is a new sitting: the first item is asked again.
    assert trainee.get("/training/post/1").status_code == 200


def test_a_rewrite_is_graded_by_the_guard_and_shown_escaped(trainee: TestClient) -> None:
    _enrol(trainee, role="sales")
    items = exam_items(TrainingRole.SALES, ExamKind.PRE)
    number, item = next((n, i) for n, i in enumerate(items, start=1) if i.type is ItemType.REWRITE)
    page = trainee.get(f"/training/pre/{number}")
    sitting = re.search(r'name="sitting" value="(\d+)"', page.text)
    assert sitting is not None
    draft = f"<script>alert(1)</script>{item.prompt}"
    answer = trainee.post(
        f"/training/pre/{number}",
        data={
            "csrf_token": form_csrf(page.text),
            "sitting": sitting.group(1),
            "item_id": item.id,
            "text": draft,
        },
    )
    assert answer.status_code == 200
    assert "<script>alert(1)</script>" not in answer.text and "&lt;script&gt;" in answer.text
    assert "hikeshi check: 「" in answer.text  # the guard's own finding on the trainee's text
    # The same form posted twice does not score twice.
    again = trainee.post(
        f"/training/pre/{number}",
        data={
            "csrf_token": form_csrf(page.text),
            "sitting": sitting.group(1),
            "item_id": item.id,
            "text": "x",
        },
    )
    assert again.status_code == 409


def test_forms_need_the_csrf_token(trainee: TestClient) -> None:
    answer = trainee.post("/training/enrol", data={"department": "営業部", "role": "sales"})
    assert answer.status_code == 403
    _enrol(trainee)
    item = exam_items(TrainingRole.SALES, ExamKind.PRE)[0]
    answer = trainee.post("/training/pre/1", data={"sitting": "1", "item_id": item.id, "answer": "risky"})
    assert answer.status_code == 403


def test_bad_enrolment_is_explained_and_names_are_escaped(trainee: TestClient) -> None:
    page = trainee.get("/training")
    refused = trainee.post(
        "/training/enrol", data={"department": "営業部", "role": "ceo", "csrf_token": form_csrf(page.text)}
    )
    assert refused.status_code == 422 and "役割 &#39;ceo&#39; はありません" in refused.text
    _enrol(trainee, department='<img src=x onerror="alert(1)">')
    home = trainee.get("/training")
    assert "<img src=x" not in home.text and "&lt;img src=x" in home.text


def test_admins_see_department_summaries_and_the_csv(trainee: TestClient, browser: TestClient) -> None:
    _enrol(trainee, department="=HYPERLINK(1)")
    assert trainee.get("/training/report").status_code == 403
    assert trainee.get("/training/report.csv").status_code == 403
    report = browser.get("/training/report")
    assert report.status_code == 200 and "=HYPERLINK(1)" in report.text and TRAINEE in report.text
    csv = browser.get("/training/report.csv")
    assert csv.content.startswith("\ufeff氏名,部署".encode())
    assert "'=HYPERLINK(1)" in csv.content.decode("utf-8-sig")
    assert "attachment" in csv.headers["content-disposition"]


def test_signed_out_visitors_are_sent_to_the_login_page(client: TestClient) -> None:
    answer = client.get("/training")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


# --- a phone in a real browser ------------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_server(app: FastAPI, accounts: AccountStore) -> Iterator[str]:
    """The real app on uvicorn on a loopback port, with one viewer account."""
    import socket
    import threading

    import uvicorn

    make_user(accounts, TRAINEE, Role.VIEWER, PASSWORD)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    runner = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=runner.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not runner.started:
        thread.join(0.02)
        assert thread.is_alive(), "uvicorn did not start"
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    runner.should_exit = True
    thread.join(10)
    listener.close()


def _fits_the_screen(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"


def _shot(page: Any, name: str) -> None:
    directory = os.environ.get("HIKESHI_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / name), full_page=True)


@pytest.mark.browser
def test_an_employee_takes_the_sales_course_on_a_phone(phone_server: str) -> None:
    from tests.web.test_browser_pages import CHROMIUM, CHROMIUM_ARGS, _playwright_or_skip

    sync_api = _playwright_or_skip()
    items = exam_items(TrainingRole.SALES, ExamKind.PRE)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(phone_server + "/training")
        page.fill("#name", TRAINEE)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("#enrol")
        page.fill("#department", "営業部")
        page.locator("label", has_text="営業・お客様への連絡").click()
        _fits_the_screen(page)
        _shot(page, "training_enrol.png")
        page.click("#enrol button[type=submit]")
        page.wait_for_selector("#course")
        _fits_the_screen(page)
        _shot(page, "training_home.png")
        page.locator("#test-pre a").click()
        for number, item in enumerate(items, start=1):
            page.wait_for_selector("#answer-form")
            assert page.locator("#position").inner_text() == f"{number} / {len(items)}"
            _fits_the_screen(page)
            _shot(page, f"training_item_{number}_{item.type.value}.png")
            _answer_on_the_phone(page, item)
            page.wait_for_selector("#outcome")
            assert "○ 正解" in page.locator("#outcome").inner_text(), item.id
            assert item.explanation in page.locator("#explanation").inner_text()
            _fits_the_screen(page)
            _shot(page, f"training_feedback_{number}_{item.type.value}.png")
            page.click("#next")
        page.wait_for_selector("#score")
        assert page.locator("#score").inner_text() == "100.0 点"
        _fits_the_screen(page)
        _shot(page, "training_result.png")
        chromium.close()
    assert errors == [], f"JavaScript errors: {errors}"


def _answer_on_the_phone(page: Any, item: BankItem) -> None:
    """Tap what a person would tap to answer the item right (a scenario, step by step)."""
    if item.type is ItemType.SEND_OR_NOT:
        label = "送らない（危ない）" if item.verdict == "risky" else "このまま送る"
        page.locator("#answer-form label", has_text=label).tap()
    elif item.type is ItemType.FIND_SPAN:
        for number in _risky_pieces(item, [span.text for span in item.spans]):
            page.locator("#pieces label").nth(number).tap()
    elif item.type is ItemType.REWRITE:
        page.fill("#text", item.model_answer or "")
    elif item.type is ItemType.RULE:
        text = next(choice.text for choice in item.choices if choice.id == item.correct_choice)
        page.locator("#answer-form label", has_text=text).tap()
    else:
        for step in item.steps[:-1]:
            correct = next(choice.text for choice in step.choices if choice.correct)
            page.locator("#answer-form label", has_text=correct).tap()
            page.click("#answer-form button[type=submit]")
            page.wait_for_selector("#outcome")
            _fits_the_screen(page)
            _shot(page, "training_scenario_step.png")
            page.click("#next")
            page.wait_for_selector("#answer-form")
        last = next(choice.text for choice in item.steps[-1].choices if choice.correct)
        page.locator("#answer-form label", has_text=last).tap()
    page.click("#answer-form button[type=submit]")
