"""Hostile text in a position paper, a statement, its title, the lint's highlights and an inquiry, then every PR page.

The paper's free text (company, title, summary, 5W1H, timeline, contacts, negative list, extra Q&A), the statement's
text and title, and a logged call all carry the payloads of test_xss.py. A negative-list word that is itself a
payload makes the linter mark it, so the payload is rendered inside a ``<mark>`` too. Nothing may come out as markup,
script, event handler or non-http link; the payloads must still be shown, escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.statements.papers import PositionPaper, load_position_paper
from hikeshi.respond.statements.records import DraftKind, Inquiry
from hikeshi.respond.statements.store import StatementStore
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.timezones import utc_now
from hikeshi.web.views.papers import paper_form
from hikeshi.web.views.statements import draft_statement, revise_statement
from tests.web.conftest import WATCH, make_token
from tests.web.test_xss import CLOSE_SCRIPT, IMG, SCRIPT, TEMPLATE, audit

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "position_paper.yaml"
DODGE = "不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます"
OUR_SCRIPT = "/static/statement_lint.js"


def _hostile_paper() -> PositionPaper:
    data: dict[str, Any] = load_position_paper(EXAMPLE).model_dump(mode="json")
    data["company"]["name"] = f"ミナト住建{SCRIPT}"
    data["incident_title"] = f"不適切なメッセージ{IMG}について"
    data["summary"] = f"当社の営業担当者が{CLOSE_SCRIPT}不適切なメッセージを送信しました。"
    data["facts"]["what"] = f"お客様を責める{TEMPLATE}メッセージを送信しました"
    data["timeline"][0]["what"] = f"お客様から{IMG}ご連絡をいただきました"
    data["contacts"]["public"]["name"] = f"お客様相談室{SCRIPT}"
    data["negative"][0] = {"item": SCRIPT, "topic": f"お名前{IMG}", "reason": "個人情報のため"}
    data["extra_qa"][0]["question"] = f"和解しましたか{CLOSE_SCRIPT}"
    return PositionPaper.model_validate(data)


def _problems(html: str) -> list[str]:
    """What test_xss.audit finds, less this page's own script (it is ours, served from /static)."""
    return [problem for problem in audit(html).problems if OUR_SCRIPT not in problem]


@pytest.fixture
def hostile(store: Store, settings: Settings) -> tuple[int, int]:
    incident = IncidentStore(store).open(WATCH, f"炎上{SCRIPT}", playbook=default_playbook(), severity=3)
    statements = StatementStore(store)
    paper = _hostile_paper()
    statements.save_paper(incident.id, paper, "setup")
    for kind in (DraftKind.QA, DraftKind.CALL_SCRIPT):
        draft_statement(statements, settings, incident.id, kind, "setup")
    holding = draft_statement(statements, settings, incident.id, DraftKind.HOLDING, "setup")
    text = f"{SCRIPT}に{DODGE}。{IMG}{CLOSE_SCRIPT}{TEMPLATE}\n\n- {SCRIPT}"
    revise_statement(statements, holding.id, text, "setup", title=f"第一報{IMG}", note=f"直した{SCRIPT}")
    statements.add_inquiry(
        incident.id,
        Inquiry(at=utc_now(), question=f"説明して{SCRIPT}", answer=f"はい{IMG}", logged_by=f"係{IMG}"),
    )
    return incident.id, holding.id


def test_every_pr_page_shows_hostile_text_as_text(
    app: Any, accounts: AccountStore, hostile: tuple[int, int]
) -> None:
    incident_id, statement_id = hostile
    token = make_token(accounts, Role.ADMIN, "xss-admin")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    pages = [
        f"/incidents/{incident_id}",
        f"/incidents/{incident_id}/paper",
        f"/incidents/{incident_id}/paper?version=1",
        f"/incidents/{incident_id}/statements",
        f"/statements/{statement_id}",
        f"/incidents/{incident_id}/qa",
        f"/incidents/{incident_id}/call-script",
    ]
    for path in pages:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert _problems(answer.text) == [], path
        assert str(escape(SCRIPT)) in answer.text or str(escape(IMG)) in answer.text, path


def test_the_lint_highlights_mark_hostile_text_as_text(
    app: Any, accounts: AccountStore, store: Store, hostile: tuple[int, int]
) -> None:
    """The stored lint of the revised text (no facts) and a fresh check against the paper, whose negative list
    holds a payload: the payload is then inside a <mark>, escaped."""
    _incident_id, statement_id = hostile
    token = make_token(accounts, Role.ANALYST, "xss-analyst")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    text = StatementStore(store).get(statement_id).text
    checked = client.post(f"/statements/{statement_id}/text", data={"text": text, "action": "check"})
    assert checked.status_code == 200
    assert _problems(checked.text) == []
    assert (
        f'<mark class="sev-3" data-findings="1" title="1. ネガティブリスト（公表できない情報）">{escape(SCRIPT)}'
        in checked.text
    )
    assert '<mark class="sev-2"' in checked.text


def test_a_refused_paper_form_shows_the_typed_payloads_as_text(app: Any, accounts: AccountStore) -> None:
    incident = IncidentStore(app.state.store).open(WATCH, "炎上", playbook=default_playbook(), severity=3)
    token = make_token(accounts, Role.ANALYST, "xss-form")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    values = paper_form(_hostile_paper()).values | {"impact.count": IMG, "company.url": "javascript:alert(1)"}
    refused = client.post(f"/incidents/{incident.id}/paper", data=values)
    assert refused.status_code == 422
    assert _problems(refused.text) == []
    assert f'value="{escape(IMG)}"' in refused.text
