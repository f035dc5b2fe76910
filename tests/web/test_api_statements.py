"""/api/statements and the statement routes of /api/incidents over real HTTP (TestClient) on a temporary SQLite store.

Who may do what (viewers read; analysts save the paper, draft, edit, submit, lint and log calls; an admin or the
incident's 経営 approves; an admin or the incident's 広報 publishes), 404 / 409 / 422 with Japanese reasons, and
/api/statements/lint answering exactly what `hikeshi statement lint --jsonl` writes for the same line.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hikeshi.cli.statement_lint import FactsCache, run_jsonl
from hikeshi.records import Watch
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.records import Role as IncidentRole
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.statements import approval
from hikeshi.respond.statements.papers import load_position_paper
from hikeshi.respond.statements.records import DraftKind, PublishChannel, StatementStatus
from hikeshi.respond.statements.store import StatementStore
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from hikeshi.web.views.statements import draft_statement
from tests.web.conftest import WATCH, log_in, make_token

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "position_paper.yaml"
PAPER = load_position_paper(EXAMPLE)
ROLES = [None, Role.VIEWER, Role.ANALYST, Role.ADMIN]
EXECUTIVE, PR, READER = "minato", "hirose", "kawai"


@dataclass(frozen=True)
class Shared:
    store: Store
    settings: Settings
    clients: dict[Role | None, TestClient]
    named: dict[tuple[str, Role], TestClient]
    app: Any


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    folder = tmp_path_factory.mktemp("api-statements")
    settings = Settings(database_url=f"sqlite:///{folder / 'hikeshi.sqlite3'}", _env_file=None)  # type: ignore[call-arg]
    with Store.open(settings) as store:
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
        accounts = AccountStore(store)
        app = create_app(settings, store)

        def client(secret: str | None) -> TestClient:
            headers = {"Authorization": f"Bearer {secret}"} if secret else {}
            return TestClient(app, follow_redirects=False, headers=headers)

        clients = {None: client(None)} | {
            role: client(make_token(accounts, role, f"api-{role.value}")) for role in Role
        }
        named = {
            (name, role): client(make_token(accounts, role, name))
            for name, role in ((EXECUTIVE, Role.VIEWER), (PR, Role.ANALYST), (READER, Role.VIEWER))
        }
        security.create_user(accounts, "suzuki", Role.ANALYST, "statement-session-pass")
        yield Shared(store=store, settings=settings, clients=clients, named=named, app=app)


@pytest.fixture
def clients(shared: Shared) -> dict[Role | None, TestClient]:
    return shared.clients


@pytest.fixture
def fresh(shared: Shared) -> Callable[..., tuple[int, int]]:
    """A new incident (roles: 経営 minato, 広報 hirose) with the example paper and a holding draft in `state`."""

    def make(state: StatementStatus = StatementStatus.DRAFT, *, paper: bool = True) -> tuple[int, int]:
        incidents = IncidentStore(shared.store)
        incident = incidents.open(WATCH, "ナミキ住宅: LINE 炎上", playbook=default_playbook(), severity=3)
        incidents.assign_role(incident.id, IncidentRole.EXECUTIVE, EXECUTIVE, "setup")
        incidents.assign_role(incident.id, IncidentRole.PR, PR, "setup")
        if not paper:
            return incident.id, 0
        statements = StatementStore(shared.store)
        statements.save_paper(incident.id, PAPER, "setup")
        drafted = draft_statement(statements, shared.settings, incident.id, DraftKind.HOLDING, "setup")
        admin = approval.Approver("setup-admin", is_admin=True)
        if state != StatementStatus.DRAFT:
            approval.submit(statements, drafted.id, "setup")
        if state in (StatementStatus.APPROVED, StatementStatus.PUBLISHED):
            approval.approve(statements, drafted.id, admin)
        if state == StatementStatus.PUBLISHED:
            approval.publish(statements, drafted.id, PublishChannel.WEBSITE, "setup")
        return incident.id, drafted.id

    return make


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    needs: Role
    ok: int = 200


LINT_BODY = {
    "text": "不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。",
    "kind": "holding",
}
CALLS = [
    Call("GET", "/api/incidents/{id}/paper", None, Role.VIEWER),
    Call("GET", "/api/incidents/{id}/papers", None, Role.VIEWER),
    Call("PUT", "/api/incidents/{id}/paper", PAPER.model_dump(mode="json"), Role.ANALYST),
    Call("GET", "/api/incidents/{id}/statements", None, Role.VIEWER),
    Call("POST", "/api/incidents/{id}/statements", {"kind": "holding"}, Role.ANALYST, 201),
    Call("GET", "/api/statements/{sid}", None, Role.VIEWER),
    Call("PUT", "/api/statements/{sid}", {"text": "新しい本文です。", "note": "差し替え"}, Role.ANALYST),
    Call("POST", "/api/statements/{sid}/submit", None, Role.ANALYST),
    Call("POST", "/api/statements/lint", LINT_BODY, Role.ANALYST),
    Call("GET", "/api/incidents/{id}/inquiries", None, Role.VIEWER),
    Call("POST", "/api/incidents/{id}/inquiries", {"question": "返金はありますか"}, Role.ANALYST, 201),
]


def _path(call: Call, incident_id: int, statement_id: int) -> str:
    return call.path.replace("{id}", str(incident_id)).replace("{sid}", str(statement_id))


@pytest.mark.parametrize("call", CALLS, ids=[f"{c.method} {c.path}" for c in CALLS])
def test_each_role_may_do_what_the_issue_says(
    call: Call, clients: dict[Role | None, TestClient], fresh: Callable[..., tuple[int, int]]
) -> None:
    for role in ROLES:
        incident_id, statement_id = fresh()
        answer = clients[role].request(call.method, _path(call, incident_id, statement_id), json=call.body)
        expected = 401 if role is None else call.ok if role.allows(call.needs) else 403
        assert answer.status_code == expected, (role, answer.text[:300])
        if expected in (401, 403):
            assert answer.json()["detail"]


@pytest.mark.parametrize(
    ("who", "step", "body", "expected"),
    [
        ((None, Role.VIEWER), "approve", None, 403),
        ((None, Role.ANALYST), "approve", None, 403),
        ((PR, Role.ANALYST), "approve", None, 403),
        ((READER, Role.VIEWER), "approve", None, 403),
        ((EXECUTIVE, Role.VIEWER), "approve", None, 200),
        ((None, Role.ADMIN), "approve", None, 200),
        ((None, Role.ANALYST), "send-back", {"reason": "原因の期日がない"}, 403),
        ((EXECUTIVE, Role.VIEWER), "send-back", {"reason": "原因の期日がない"}, 200),
    ],
)
def test_only_an_admin_or_the_executive_approves(
    shared: Shared,
    fresh: Callable[..., tuple[int, int]],
    who: tuple[str | None, Role],
    step: str,
    body: dict[str, str] | None,
    expected: int,
) -> None:
    _incident_id, statement_id = fresh(StatementStatus.REVIEW)
    client = shared.clients[who[1]] if who[0] is None else shared.named[(who[0], who[1])]
    answer = client.post(f"/api/statements/{statement_id}/{step}", json=body)
    assert answer.status_code == expected, answer.text
    if expected == 403:
        assert (
            "承認できるのは管理者か、このインシデントの経営の担当（minato さん）" in answer.json()["detail"]
        )
    else:
        assert answer.json()["status"] == ("approved" if step == "approve" else "draft")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ((None, Role.ANALYST), 403),
        ((READER, Role.VIEWER), 403),
        ((PR, Role.ANALYST), 200),
        ((None, Role.ADMIN), 200),
    ],
)
def test_only_an_admin_or_the_pr_lead_publishes(
    shared: Shared, fresh: Callable[..., tuple[int, int]], who: tuple[str | None, Role], expected: int
) -> None:
    incident_id, statement_id = fresh(StatementStatus.APPROVED)
    client = shared.clients[who[1]] if who[0] is None else shared.named[(who[0], who[1])]
    if who[0] == READER:  # 広報 on this incident, but a viewer account: viewers never write
        IncidentStore(shared.store).assign_role(incident_id, IncidentRole.PR, READER, "setup")
    answer = client.post(f"/api/statements/{statement_id}/publish", json={"channel": "x"})
    assert answer.status_code == expected, answer.text
    if expected == 200:
        assert answer.json()["status"] == "published" and answer.json()["publications"][0]["channel"] == "x"
        [event] = IncidentStore(shared.store).events(incident_id, kinds=[EventKind.STATEMENT])
        assert event.data == {"statement_id": statement_id, "kind": "holding", "channel": "x"}
    elif who[1] == Role.ANALYST:
        assert "広報の担当（hirose さん）" in answer.json()["detail"]
    else:
        assert "分析担当以上の権限が必要です" in answer.json()["detail"]


def test_the_whole_flow_draft_edit_submit_approve_publish(
    shared: Shared, fresh: Callable[..., tuple[int, int]]
) -> None:
    incident_id, _ = fresh(paper=False)
    analyst, admin = shared.clients[Role.ANALYST], shared.clients[Role.ADMIN]
    saved = analyst.put(f"/api/incidents/{incident_id}/paper", json=PAPER.model_dump(mode="json"))
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert saved.json()["body"]["incident_id"] == incident_id
    drafted = analyst.post(f"/api/incidents/{incident_id}/statements", json={"kind": "statement"})
    assert drafted.status_code == 201, drafted.text
    statement = drafted.json()
    assert statement["paper_version"] == 1 and statement["lint"]["level"] in ("ok", "caution")
    dodge = statement["text"].replace(
        "深くお詫び申し上げます", "ご不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます", 1
    )
    edited = analyst.put(f"/api/statements/{statement['id']}", json={"text": dodge, "note": "試し"})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert "conditional_apology" in {f["category"] for f in edited.json()["lint"]["result"]["findings"]}
    again = analyst.put(f"/api/statements/{statement['id']}", json={"text": dodge})
    assert again.status_code == 200 and again.json()["version"] == 2  # the same words: nothing stored twice
    assert analyst.post(f"/api/statements/{statement['id']}/submit").status_code == 200
    assert analyst.post(f"/api/statements/{statement['id']}/submit").status_code == 409
    approved = admin.post(f"/api/statements/{statement['id']}/approve")
    assert approved.status_code == 200 and approved.json()["approver"] == "api-admin"
    for channel in ("x", "website"):
        assert (
            admin.post(f"/api/statements/{statement['id']}/publish", json={"channel": channel}).status_code
            == 200
        )
    twice = admin.post(f"/api/statements/{statement['id']}/publish", json={"channel": "x"})
    assert twice.status_code == 409 and "公表済み" in twice.json()["detail"]
    frozen = analyst.put(f"/api/statements/{statement['id']}", json={"text": "訂正します。"})
    assert frozen.status_code == 409 and "訂正は新しい声明" in frozen.json()["detail"]
    detail = shared.clients[Role.VIEWER].get(f"/api/statements/{statement['id']}").json()
    assert [v["version"] for v in detail["versions"]] == [1, 2] and detail["versions"][1]["note"] == "試し"
    summaries = [e.summary for e in IncidentStore(shared.store).events(incident_id)]
    assert any("ポジションペーパー第 1 版を保存しました" in s for s in summaries)
    assert sum("で公表しました" in s for s in summaries) == 2


def test_a_danger_text_is_approved_only_with_a_reason(
    shared: Shared, fresh: Callable[..., tuple[int, int]]
) -> None:
    _incident_id, statement_id = fresh()
    analyst, admin = shared.clients[Role.ANALYST], shared.clients[Role.ADMIN]
    text = "不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。一部の従業員が誤解を招いた。"
    revised = analyst.put(f"/api/statements/{statement_id}", json={"text": text})
    assert revised.json()["lint"]["level"] == "danger"
    analyst.post(f"/api/statements/{statement_id}/submit")
    refused = admin.post(f"/api/statements/{statement_id}/approve")
    assert refused.status_code == 409 and "理由を添えて上書き承認" in refused.json()["detail"]
    reason = "法務確認済み。30 分以内に差し替える前提で第一報を優先する"
    approved = admin.post(f"/api/statements/{statement_id}/approve", json={"override_reason": reason})
    assert approved.status_code == 200 and approved.json()["override_reason"] == reason


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "/api/incidents/{id}/paper", None, "ポジションペーパーはありません"),
        ("POST", "/api/incidents/{id}/statements", {"kind": "holding"}, "statement paper save"),
        (
            "POST",
            "/api/statements/lint",
            {"text": "お詫びします。", "facts": "{id}"},
            "ポジションペーパーはありません",
        ),
        ("GET", "/api/statements/99999", None, "声明 #99999 はありません"),
        ("POST", "/api/statements/99999/approve", None, "声明 #99999 はありません"),
        ("GET", "/api/incidents/99999/statements", None, "インシデント 99999 はありません"),
    ],
)
def test_missing_things_are_404_in_japanese(
    clients: dict[Role | None, TestClient],
    fresh: Callable[..., tuple[int, int]],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    message: str,
) -> None:
    incident_id, _ = fresh(paper=False)
    if body and body.get("facts") == "{id}":
        body = {**body, "facts": incident_id}
    answer = clients[Role.ADMIN].request(method, path.replace("{id}", str(incident_id)), json=body)
    assert answer.status_code == 404, answer.text
    assert message in answer.json()["detail"]


BROKEN_CAUSE = PAPER.model_dump(mode="json") | {"cause": {"status": "investigating"}}
BLANK_NAME = PAPER.model_dump(mode="json") | {"company": {"name": "   "}}


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", "/api/incidents/{id}/paper", BROKEN_CAUSE, "調査中（investigating）なら method, owner, due"),
        ("PUT", "/api/incidents/{id}/paper", BLANK_NAME, "空欄です"),
        ("PUT", "/api/incidents/{id}/paper", {"company": {"name": "ナミキ"}}, "必須の項目です"),
        ("POST", "/api/statements/lint", {"text": "あ" * 20_001}, "長すぎます"),
        ("POST", "/api/statements/lint", {"text": "   "}, "入力が正しくありません"),
        ("POST", "/api/statements/lint", {"text": "お詫び", "kind": "poem"}, "次のいずれか"),
        ("PUT", "/api/statements/{sid}", {"text": "本文\x07"}, "入力が正しくありません"),
        ("POST", "/api/incidents/{id}/statements", {"kind": "tweet"}, "次のいずれか"),
        ("POST", "/api/incidents/{id}/inquiries", {"question": "  "}, "入力が正しくありません"),
    ],
)
def test_bad_input_is_422_in_japanese(
    clients: dict[Role | None, TestClient],
    fresh: Callable[..., tuple[int, int]],
    method: str,
    path: str,
    body: dict[str, Any],
    message: str,
) -> None:
    incident_id, statement_id = fresh()
    url = path.replace("{id}", str(incident_id)).replace("{sid}", str(statement_id))
    answer = clients[Role.ADMIN].request(method, url, json=body)
    assert answer.status_code == 422, answer.text
    assert message in answer.json()["detail"]


LINT_CASES = [
    (
        "conditional",
        "このたびは不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。",
        "holding",
        "danger",
    ),
    ("sincere", "当社の投稿で、ご不快な思いをおかけし、誠に申し訳ございません。", "sns", "ok"),
    ("negative_list", "佐々木様には直接お詫び申し上げました。", "statement", "danger"),
]


@pytest.mark.parametrize(("record_id", "text", "kind", "level"), LINT_CASES, ids=[c[0] for c in LINT_CASES])
def test_lint_answers_what_the_cli_writes_for_the_same_line(
    shared: Shared,
    fresh: Callable[..., tuple[int, int]],
    tmp_path: Path,
    record_id: str,
    text: str,
    kind: str,
    level: str,
) -> None:
    incident_id, _ = fresh()
    line = {"id": record_id, "text": text, "kind": kind, "facts": str(EXAMPLE)}
    source = tmp_path / "lines.jsonl"
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert run_jsonl(str(source), out, FactsCache())
    expected = json.loads(out.getvalue())
    assert expected["level"] == level
    analyst = shared.clients[Role.ANALYST]
    by_incident = analyst.post("/api/statements/lint", json={**line, "facts": incident_id})
    inline = analyst.post("/api/statements/lint", json={**line, "facts": PAPER.model_dump(mode="json")})
    assert by_incident.status_code == 200 and inline.status_code == 200
    assert by_incident.json() == expected == inline.json()


def test_lint_from_a_browser_session_needs_the_csrf_header(shared: Shared) -> None:
    browser = TestClient(shared.app, follow_redirects=False)
    token = log_in(browser, "suzuki", "statement-session-pass")
    refused = browser.post("/api/statements/lint", json=LINT_BODY)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = browser.post("/api/statements/lint", json=LINT_BODY, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 200
    assert "conditional_apology" in {finding["category"] for finding in accepted.json()["findings"]}


def test_an_inquiry_joins_the_next_qa_draft(shared: Shared, fresh: Callable[..., tuple[int, int]]) -> None:
    incident_id, _ = fresh()
    analyst = shared.clients[Role.ANALYST]
    logged = analyst.post(
        f"/api/incidents/{incident_id}/inquiries",
        json={"question": "返金や補償はありますか。", "caller": "customer", "repeat": True},
    )
    assert logged.status_code == 201 and logged.json()["logged_by"] == "api-analyst"
    qa = analyst.post(f"/api/incidents/{incident_id}/statements", json={"kind": "qa"}).json()
    assert "返金や補償はありますか。" in qa["text"]


def test_a_one_megabyte_statement_is_refused_before_it_is_read(
    clients: dict[Role | None, TestClient],
) -> None:
    answer = clients[Role.ANALYST].post("/api/statements/lint", json={"text": "お詫び" * 120_000})
    assert answer.status_code == 413
    assert "大きすぎ" in answer.json()["detail"]
