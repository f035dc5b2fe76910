"""The PR desk's pages over real HTTP (TestClient): the position paper form and its YAML, the statement list and
editor (with the lint marked server-side, for browsers without JavaScript), approval and publication, the Q&A
and the call-centre script with the inquiry form.

One store per module; each test opens its own incident. Forms are posted by people signed in through the real
login form (CSRF token included) or by role tokens where only the role matters.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from hikeshi.records import Watch
from hikeshi.respond.incidents.records import Role as IncidentRole
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.statements.papers import PositionPaper, load_position_paper
from hikeshi.respond.statements.records import DraftKind, StatementStatus
from hikeshi.respond.statements.store import StatementStore
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from hikeshi.web.views.papers import paper_form
from hikeshi.web.views.statements import draft_statement
from tests.web.conftest import WATCH, form_csrf, log_in, make_token

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "position_paper.yaml"
PAPER = load_position_paper(EXAMPLE)
DODGE = "ご不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます"
PEOPLE = {"hirose": Role.ANALYST, "minato": Role.VIEWER, "ito": Role.ANALYST}
PASSWORD = "statement-pages-pass"


@dataclass(frozen=True)
class Desk:
    app: FastAPI
    store: Store
    settings: Settings
    tokens: dict[Role, str]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    folder = tmp_path_factory.mktemp("statement-pages")
    settings = Settings(database_url=f"sqlite:///{folder / 'hikeshi.sqlite3'}", _env_file=None)  # type: ignore[call-arg]
    with Store.open(settings) as store:
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
        accounts = AccountStore(store)
        for name, role in PEOPLE.items():
            security.create_user(accounts, name, role, PASSWORD)
        tokens = {role: make_token(accounts, role, f"desk-{role.value}") for role in Role}
        yield Desk(app=create_app(settings, store), store=store, settings=settings, tokens=tokens)


def _token(desk: Desk, role: Role) -> TestClient:
    return TestClient(
        desk.app, follow_redirects=False, headers={"Authorization": f"Bearer {desk.tokens[role]}"}
    )


def _person(desk: Desk, name: str) -> TestClient:
    client = TestClient(desk.app, follow_redirects=False)
    log_in(client, name, PASSWORD)
    return client


def _incident(desk: Desk, *, paper: bool = False) -> int:
    incidents = IncidentStore(desk.store)
    incident = incidents.open(WATCH, "ナミキ住宅: LINE 炎上", playbook=default_playbook(), severity=3)
    incidents.assign_role(incident.id, IncidentRole.PR, "hirose", "setup")
    incidents.assign_role(incident.id, IncidentRole.EXECUTIVE, "minato", "setup")
    if paper:
        StatementStore(desk.store).save_paper(incident.id, PAPER, "setup")
    return incident.id


def _post_form(client: TestClient, page: str, action: str, data: dict[str, str]) -> Response:
    token = form_csrf(client.get(page).text)
    answer: Response = client.post(action, data={**data, "csrf_token": token})
    return answer


def _error_of(html: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>([^<]*)<', html)
    assert found is not None, f"no error shown for {field_id}"
    return found.group(1)


# --- the position paper ---------------------------------------------------------------------------------------


def test_a_form_with_the_example_values_saves_the_example(desk: Desk) -> None:
    incident_id = _incident(desk)
    hirose = _person(desk, "hirose")
    page = f"/incidents/{incident_id}/paper"
    answer = _post_form(hirose, page, page, paper_form(PAPER).values)
    assert answer.status_code == 303 and answer.headers["location"] == f"{page}?done=saved"
    saved = StatementStore(desk.store).paper(incident_id)
    assert saved.author == "hirose" and saved.source is None
    assert PositionPaper.model_validate(saved.body) == PAPER.model_copy(update={"incident_id": incident_id})
    shown = hirose.get(f"{page}?done=saved").text
    assert "新しい版として保存しました" in shown and "第 1 版" in shown
    assert 'value="ミナト住建株式会社"' in shown  # the form shows the latest version again
    downloaded = hirose.get(f"/incidents/{incident_id}/paper.yaml")
    assert downloaded.status_code == 200 and "attachment" in downloaded.headers["content-disposition"]
    again = PositionPaper.model_validate(yaml.safe_load(downloaded.text))
    assert again == PAPER.model_copy(update={"incident_id": incident_id})


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"company.name": ""}, "f-company-name", "必須の項目です。"),
        ({"impact.count": "数名"}, "f-impact-count", "整数で指定してください。"),
        ({"timeline.2.at": "2026-02-30T10:00"}, "f-timeline-2-at", "日時として読めません"),
        ({"measures.1.due": ""}, "f-measures-1-due", "必須の項目です。"),
        ({"facts.why": "   "}, "f-facts-why", "必須の項目です。"),
    ],
)
def test_a_refused_form_names_each_field_in_japanese_and_keeps_what_was_typed(
    desk: Desk, changes: dict[str, str], field_id: str, message: str
) -> None:
    incident_id = _incident(desk)
    values = paper_form(PAPER).values | changes
    if "timeline.2.at" in changes:  # rows 0 and 1 left blank: the error still points at the row typed in
        values |= {f"timeline.{row}.{name}": "" for row in (0, 1) for name in ("at", "what", "public")}
    answer = _token(desk, Role.ANALYST).post(f"/incidents/{incident_id}/paper", data=values)
    assert answer.status_code == 422
    assert message in _error_of(answer.text, field_id)
    assert "保存できませんでした" in answer.text
    assert "当社横浜北営業所の営業担当者が、ご契約に至らなかったお客様に対し" in answer.text  # kept
    assert StatementStore(desk.store).papers(incident_id) == []


def test_a_cause_under_investigation_without_a_date_is_refused_at_the_cause(desk: Desk) -> None:
    incident_id = _incident(desk)
    values = paper_form(PAPER).values | {"cause.due": "", "cause.owner": ""}
    answer = _token(desk, Role.ANALYST).post(f"/incidents/{incident_id}/paper", data=values)
    assert answer.status_code == 422
    assert "調査中（investigating）なら owner, due を書いてください" in answer.text


def test_more_rows_are_offered_without_saving(desk: Desk) -> None:
    incident_id = _incident(desk)
    values = paper_form(PAPER).values | {"action": "rows"}
    answer = _token(desk, Role.ANALYST).post(f"/incidents/{incident_id}/paper", data=values)
    assert answer.status_code == 200 and "空き行を増やしました" in answer.text
    assert 'name="timeline.11.at"' in answer.text  # 7 filled + 2 blank + 3 more
    assert StatementStore(desk.store).papers(incident_id) == []


def test_a_yaml_file_is_saved_as_written_and_a_broken_one_names_its_line(desk: Desk) -> None:
    incident_id = _incident(desk)
    analyst = _token(desk, Role.ANALYST)
    source = EXAMPLE.read_text(encoding="utf-8")
    upload = f"/incidents/{incident_id}/paper/yaml"
    ok = analyst.post(upload, files={"file": ("minato.yaml", source.encode(), "text/yaml")})
    assert ok.status_code == 303
    assert StatementStore(desk.store).paper(incident_id).source == source
    assert analyst.get(f"/incidents/{incident_id}/paper.yaml").text == source
    broken = source.replace("  count: 3\n", "  count: 三名\n")
    line = source[: source.index("  count: 3\n")].count("\n") + 1
    refused = analyst.post(upload, files={"file": ("minato.yaml", broken.encode(), "text/yaml")})
    assert refused.status_code == 422
    assert f"minato.yaml:{line}" in refused.text and "数（整数）で書いてください" in refused.text
    pasted = analyst.post(upload, data={"yaml_text": "company: [\n"})
    assert pasted.status_code == 422 and "貼り付けた YAML" in pasted.text
    assert "company: [" in pasted.text  # the pasted text is shown again
    assert [v.version for v in StatementStore(desk.store).papers(incident_id)] == [1]


def test_viewers_read_the_paper_but_cannot_save_it(desk: Desk) -> None:
    incident_id = _incident(desk, paper=True)
    viewer = _token(desk, Role.VIEWER)
    page = viewer.get(f"/incidents/{incident_id}/paper")
    assert page.status_code == 200 and "paper-save" not in page.text and "readonly" in page.text
    refused = viewer.post(f"/incidents/{incident_id}/paper", data=paper_form(PAPER).values)
    assert refused.status_code == 403
    assert viewer.get("/incidents/99999/paper").status_code == 404
    assert viewer.get(f"/incidents/{incident_id}/paper?version=7").status_code == 404


# --- statements -------------------------------------------------------------------------------------------------


def test_drafting_needs_a_paper_first(desk: Desk) -> None:
    incident_id = _incident(desk)
    hirose = _person(desk, "hirose")
    page = f"/incidents/{incident_id}/statements"
    assert "まだポジションペーパーがありません" in hirose.get(page).text
    refused = _post_form(hirose, page, page, {"kind": "holding"})
    assert refused.status_code == 409 and "ポジションペーパーはありません" in refused.text


def test_the_editor_marks_the_dodge_without_javascript_and_saves_nothing_on_check(desk: Desk) -> None:
    incident_id = _incident(desk, paper=True)
    hirose = _person(desk, "hirose")
    page = f"/incidents/{incident_id}/statements"
    drafted = _post_form(hirose, page, page, {"kind": "holding"})
    assert drafted.status_code == 303
    editor = drafted.headers["location"].split("?")[0]
    statement_id = int(editor.rsplit("/", 1)[1])
    text = StatementStore(desk.store).get(statement_id).text.replace("深くお詫び申し上げます", DODGE, 1)
    checked = _post_form(hirose, editor, f"{editor}/text", {"text": text, "action": "check"})
    assert checked.status_code == 200
    assert re.search(
        r'<mark class="sev-2"[^>]*>不快な思いをされた方がいらっしゃったのであれば<sup>1</sup>', checked.text
    )
    assert "直し方: 条件を外し" in checked.text and "まだ保存していません" in checked.text
    assert StatementStore(desk.store).get(statement_id).version == 1
    saved = _post_form(hirose, editor, f"{editor}/text", {"text": text, "note": "試し", "action": "save"})
    assert saved.status_code == 303 and StatementStore(desk.store).get(statement_id).version == 2
    same = _post_form(hirose, editor, f"{editor}/text", {"text": text, "action": "save"})
    assert same.status_code == 422 and "本文も題名も変わっていません" in same.text


def test_approval_and_publication_follow_the_incident_roles(desk: Desk) -> None:
    incident_id = _incident(desk, paper=True)
    statement = draft_statement(
        StatementStore(desk.store), desk.settings, incident_id, DraftKind.HOLDING, "hirose"
    )
    editor = f"/statements/{statement.id}"
    hirose, minato, ito = (_person(desk, name) for name in ("hirose", "minato", "ito"))
    assert _post_form(hirose, editor, f"{editor}/submit", {}).status_code == 303
    assert 'id="approve-form"' not in ito.get(editor).text
    refused = _post_form(ito, editor, f"{editor}/approve", {})
    assert refused.status_code == 409 and "ito さんは承認できません" in refused.text
    assert 'id="approve-form"' in minato.get(editor).text
    assert _post_form(minato, editor, f"{editor}/approve", {}).status_code == 303
    assert 'id="publish-form"' not in ito.get(editor).text
    not_pr = _post_form(ito, editor, f"{editor}/publish", {"channel": "x"})
    assert not_pr.status_code == 409 and "ito さんは公表を記録できません" in not_pr.text
    viewer = minato.post(
        f"{editor}/publish", data={"channel": "x", "csrf_token": form_csrf(minato.get(editor).text)}
    )
    assert viewer.status_code == 403
    for channel in ("x", "website"):
        assert _post_form(hirose, editor, f"{editor}/publish", {"channel": channel}).status_code == 303
    published = StatementStore(desk.store).get(statement.id)
    assert published.status == StatementStatus.PUBLISHED and published.approver == "minato"
    room = hirose.get(f"/incidents/{incident_id}").text
    assert "をXで公表しました" in room and "をウェブサイトで公表しました" in room
    shown = hirose.get(editor).text
    assert "Xで公表" in shown and "readonly" in shown and 'id="save-text"' not in shown
    listed = hirose.get(f"/incidents/{incident_id}/statements").text
    assert "公表済み" in listed and f'href="/statements/{statement.id}"' in listed


def test_a_danger_statement_asks_the_approver_for_a_reason(desk: Desk) -> None:
    incident_id = _incident(desk, paper=True)
    statements = StatementStore(desk.store)
    statement = draft_statement(statements, desk.settings, incident_id, DraftKind.HOLDING, "hirose")
    editor = f"/statements/{statement.id}"
    hirose, minato = _person(desk, "hirose"), _person(desk, "minato")
    text = "不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。一部の従業員が誤解を招いた。"
    _post_form(hirose, editor, f"{editor}/text", {"text": text, "action": "save"})
    _post_form(hirose, editor, f"{editor}/submit", {})
    page = minato.get(editor).text
    assert 'id="override-reason"' in page and "上書き承認する" in page
    refused = _post_form(minato, editor, f"{editor}/approve", {})
    assert refused.status_code == 409 and "上書き承認" in refused.text
    reason = "第一報を優先し、30 分以内に差し替える"
    assert _post_form(minato, editor, f"{editor}/approve", {"override_reason": reason}).status_code == 303
    assert statements.get(statement.id).override_reason == reason


def test_a_statement_downloads_as_markdown_and_word(desk: Desk) -> None:
    incident_id = _incident(desk, paper=True)
    statement = draft_statement(
        StatementStore(desk.store), desk.settings, incident_id, DraftKind.STATEMENT, "hirose"
    )
    viewer = _token(desk, Role.VIEWER)
    markdown = viewer.get(f"/statements/{statement.id}/download?format=md")
    assert markdown.status_code == 200 and markdown.text == statement.text
    word = viewer.get(f"/statements/{statement.id}/download?format=docx")
    with zipfile.ZipFile(io.BytesIO(word.content)) as document:
        assert "再発防止策" in document.read("word/document.xml").decode("utf-8")
    assert viewer.get(f"/statements/{statement.id}/download?format=exe").status_code == 404
    assert viewer.get("/statements/99999").status_code == 404


# --- Q&A and the call script ----------------------------------------------------------------------------------


def test_a_logged_call_joins_the_qa_and_the_script(desk: Desk) -> None:
    incident_id = _incident(desk, paper=True)
    hirose = _person(desk, "hirose")
    qa = f"/incidents/{incident_id}/qa"
    page = hirose.get(qa).text
    for bucket in ("聞かれなくても言う", "聞かれたら言う", "聞かれても言えない"):
        assert bucket in page
    assert "お客様のお名前を教えてください。" in page and "佐々木" not in page  # the topic, never the name
    question = "営業所に直接行けば説明してもらえますか。"
    logged = _post_form(
        hirose, qa, f"/incidents/{incident_id}/inquiries", {"question": question, "back": "qa", "repeat": "1"}
    )
    assert logged.status_code == 303 and logged.headers["location"].startswith(qa)
    page = hirose.get(qa).text
    asked = page[page.index('id="bucket-asked"') : page.index('id="bucket-cannot"')]
    assert question in asked and "答えを決める" in asked
    script = hirose.get(f"/incidents/{incident_id}/call-script").text
    assert "コールセンター対応スクリプト" in script and question in script and "カスハラ" in script
    [inquiry] = StatementStore(desk.store).inquiries(incident_id)
    assert inquiry.repeat and inquiry.logged_by == "hirose"
    empty = _post_form(hirose, qa, f"/incidents/{incident_id}/inquiries", {"question": " ", "back": "script"})
    assert empty.status_code == 422 and "ご質問を書いてください" in empty.text


def test_the_qa_and_script_wait_for_a_paper(desk: Desk) -> None:
    incident_id = _incident(desk)
    viewer = _token(desk, Role.VIEWER)
    for path in ("qa", "call-script"):
        page = viewer.get(f"/incidents/{incident_id}/{path}")
        assert page.status_code == 200 and "まだポジションペーパーがありません" in page.text
        assert 'id="inquiry-form"' not in page.text  # viewers do not log calls


def test_the_room_links_to_the_pr_pages(desk: Desk) -> None:
    incident_id = _incident(desk)
    room = _token(desk, Role.VIEWER).get(f"/incidents/{incident_id}").text
    for path in ("paper", "statements", "qa", "call-script"):
        assert f'href="/incidents/{incident_id}/{path}"' in room
