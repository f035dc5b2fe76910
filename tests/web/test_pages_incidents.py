"""The incident pages over real HTTP (TestClient): the list, the room and its forms, the signal page's button,
the links from the overview and the dashboard, and hostile text escaped on every one of them.

One store per module; each test opens its own incidents (or its own watch where it counts them).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from hikeshi.ingest import intake_posts
from hikeshi.records import Signal, SignalEvidence, SignalKind, Watch
from hikeshi.respond.evidence import capture_post
from hikeshi.respond.incidents.records import IncidentStatus
from hikeshi.respond.incidents.records import Role as IncidentRole
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from tests.web.conftest import form_csrf, log_in, make_token
from tests.web.test_xss import CLOSE_SCRIPT, IMG, SCRIPT, TEMPLATE, audit

WATCH = "ナミキ住宅"
JST = dt.timezone(dt.timedelta(hours=9))
T0 = dt.datetime(2026, 11, 1, 21, 0, tzinfo=JST)
ADMIN, PASSWORD = "suzuki", "incident-pages-pass"


def _posts(prefix: str, texts: list[str], author: str = "user") -> list[dict[str, object]]:
    return [
        {
            "source": "x",
            "source_id": f"{prefix}{index}",
            "text": text,
            "author": f"{author}_{index}",
            "author_followers": 1000 * index,
            "url": f"https://example.invalid/{prefix}{index}",
            "created_at": (T0 + dt.timedelta(minutes=7 * index)).isoformat(),
            "metrics": {"likes": 5 * index, "reposts": index, "replies": 1, "views": 500 * index},
        }
        for index, text in enumerate(texts, start=1)
    ]


def _signal(watch: str, kind: SignalKind, minutes: int, severity: int, summary: str) -> Signal:
    return Signal(
        watch=watch,
        kind=kind,
        window_start=T0 + dt.timedelta(minutes=minutes - 30),
        detected_at=T0 + dt.timedelta(minutes=minutes),
        severity=severity,
        evidence=SignalEvidence(post_ids=[f"x:p{index}" for index in range(1, 4)]),
        summary=summary,
    )


@dataclass(frozen=True)
class Room:
    app: FastAPI
    store: Store
    tokens: dict[Role, str]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    folder = tmp_path_factory.mktemp("incident-pages")
    settings = Settings(database_url=f"sqlite:///{folder / 'hikeshi.sqlite3'}", _env_file=None)  # type: ignore[call-arg]
    with Store.open(settings) as store:
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
        texts = ["ナミキ住宅の営業、最悪。不買します", "ナミキ住宅の対応ひどい", "ナミキ住宅の LINE 見た？"]
        assert intake_posts(store, WATCH, _posts("p", texts)).inserted == 3
        accounts = AccountStore(store)
        security.create_user(accounts, ADMIN, Role.ADMIN, PASSWORD)
        tokens = {role: make_token(accounts, role, f"page-{role.value}") for role in Role}
        yield Room(app=create_app(settings, store), store=store, tokens=tokens)


def _client(room: Room, role: Role) -> TestClient:
    return TestClient(
        room.app, follow_redirects=False, headers={"Authorization": f"Bearer {room.tokens[role]}"}
    )


@pytest.fixture(scope="module")
def signed_in(room: Room) -> Iterator[TestClient]:
    with TestClient(room.app, follow_redirects=False) as client:
        log_in(client, ADMIN, PASSWORD)
        yield client


def _open(room: Room, watch: str = WATCH, title: str = "ナミキ住宅: 投稿急増", *, drill: bool = False) -> int:
    incident = IncidentStore(room.store).open(
        watch, title, playbook=default_playbook(), severity=3, opened_at=T0, drill=drill
    )
    return incident.id


# --- who may see and do what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/incidents", "/incidents/1"])
def test_anonymous_browsers_are_sent_to_login(room: Room, path: str) -> None:
    answer = TestClient(room.app, follow_redirects=False).get(path)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.VIEWER, ["報告書（PDF）"], ["/complete", "/notes", "/roles", "/close", '/evidence"']),
        (Role.ANALYST, ["/complete", "/notes", "/pins", '/evidence"'], ["/roles", "/close", "/status"]),
        (Role.ADMIN, ["/complete", "/notes", "/roles", "/close", "/status", "/severity", "/type"], []),
    ],
)
def test_the_room_offers_each_role_its_own_buttons(
    room: Room, role: Role, shown: list[str], hidden: list[str]
) -> None:
    incident_id = _open(room)
    html = _client(room, role).get(f"/incidents/{incident_id}").text
    for part in shown:
        assert part in html, part
    for part in hidden:
        assert f'action="/incidents/{incident_id}{part}' not in html, part


@pytest.mark.parametrize(
    ("role", "path", "data"),
    [
        (Role.VIEWER, "/notes", {"text": "メモ"}),
        (Role.VIEWER, "/tasks/convene/complete", {}),
        (Role.ANALYST, "/roles", {"role": "pr", "person": "広瀬"}),
        (Role.ANALYST, "/close", {}),
        (Role.ANALYST, "/severity", {"value": "4"}),
    ],
)
def test_a_form_beyond_the_role_is_refused(room: Room, role: Role, path: str, data: dict[str, str]) -> None:
    incident_id = _open(room)
    answer = _client(room, role).post(f"/incidents/{incident_id}{path}", data=data)
    assert answer.status_code == 403 and "権限が必要です" in answer.text
    assert IncidentStore(room.store).get(incident_id).status == IncidentStatus.ACTIVE


def test_a_form_without_its_csrf_token_is_refused(room: Room, signed_in: TestClient) -> None:
    incident_id = _open(room)
    answer = signed_in.post(f"/incidents/{incident_id}/notes", data={"text": "メモ"})
    assert answer.status_code == 403 and "フォームの有効期限が切れたか、不正な送信です" in answer.text


# --- working the incident in the room ---------------------------------------------------------------------------


def test_notes_roles_tasks_and_pins_through_the_forms(room: Room, signed_in: TestClient) -> None:
    incident_id = _open(room)
    base = f"/incidents/{incident_id}"
    token = form_csrf(signed_in.get(base).text)
    steps = [
        ("/roles", {"role": "commander", "person": "田中部長"}, "role"),
        ("/roles", {"role": "pr", "person": "広瀬"}, "role"),
        ("/tasks/convene/complete", {}, "task_done"),
        ("/tasks/position_paper/assign", {"person": "広瀬"}, "task_assigned"),
        ("/notes", {"text": "営業部長に事実確認を依頼（回答は 23:30 予定）"}, "note"),
        ("/type", {"value": "criticism"}, "type"),
        ("/severity", {"value": "4"}, "severity"),
    ]
    for path, data, done in steps:
        answer = signed_in.post(base + path, data={**data, "csrf_token": token})
        assert answer.status_code == 303, (path, answer.text[:300])
        assert answer.headers["location"].startswith(f"{base}?done={done}")
    store = IncidentStore(room.store)
    incident = store.get(incident_id)
    assert incident.roles == {"commander": "田中部長", "pr": "広瀬"}
    assert (incident.severity, incident.type.value) == (4, "criticism")
    tasks = {task.key: task for task in store.tasks(incident_id)}
    assert tasks["convene"].done_by == ADMIN and tasks["position_paper"].assignee == "広瀬"
    note = next(event for event in store.events(incident_id) if event.kind.value == "note")
    pinned = signed_in.post(
        base + "/pins", data={"event_id": str(note.id), "pinned": "1", "csrf_token": token}
    )
    assert pinned.status_code == 303
    html = signed_in.get(base + "?done=pinned").text
    assert "ピン留めしました。" in html
    pinned_list = html.split('class="timeline pinned-list"', 1)[1].split("</ol>", 1)[0]
    assert "営業部長に事実確認を依頼" in pinned_list
    assert 'li class="task done" data-task="convene"' in html
    assert "田中部長" in html.split('id="roles"', 1)[1].split("</section>", 1)[0]


def test_a_task_completed_twice_says_who_was_first(room: Room) -> None:
    incident_id = _open(room)
    first = _client(room, Role.ANALYST).post(f"/incidents/{incident_id}/tasks/preserve_evidence/complete")
    assert first.status_code == 303
    second = _client(room, Role.ADMIN).post(f"/incidents/{incident_id}/tasks/preserve_evidence/complete")
    assert second.status_code == 409
    assert "タスク「証拠保全」は page-analyst さんが" in second.text and 'role="alert"' in second.text


@pytest.mark.parametrize(
    ("path", "data", "status", "message"),
    [
        ("/notes", {"text": "   "}, 422, "メモが空です。"),
        ("/tasks/nothing/complete", {}, 404, "タスク「nothing」はありません"),
        ("/pins", {"event_id": "999999"}, 404, "イベント 999999 はありません"),
        ("/roles", {"role": "boss", "person": "社長"}, 422, "役割の指定が正しくありません"),
        ("/evidence", {"top": "500"}, 422, "保全の指定が正しくありません"),
        ("/evidence", {"post_key": "x:nothing"}, 404, "投稿「x:nothing」はウォッチ"),
    ],
)
def test_refused_changes_show_the_room_with_the_reason(
    room: Room, path: str, data: dict[str, str], status: int, message: str
) -> None:
    incident_id = _open(room)
    answer = _client(room, Role.ADMIN).post(f"/incidents/{incident_id}{path}", data=data)
    assert answer.status_code == status
    assert message in answer.text and 'id="incident-title"' in answer.text


def test_a_missing_incident_is_404(room: Room) -> None:
    admin = _client(room, Role.ADMIN)
    assert admin.get("/incidents/987654", headers={"Accept": "text/html"}).status_code == 404
    assert admin.post("/incidents/987654/notes", data={"text": "メモ"}).status_code == 404
    assert admin.get("/incidents/987654/report?format=html").status_code == 404


def test_evidence_capture_export_and_report_from_the_room(room: Room) -> None:
    incident_id = _open(room)
    analyst = _client(room, Role.ANALYST)
    captured = analyst.post(f"/incidents/{incident_id}/evidence", data={"top": "2"})
    assert captured.status_code == 303 and "done=evidence" in captured.headers["location"]
    html = analyst.get(f"/incidents/{incident_id}").text
    section = html.split('id="evidence"', 1)[1].split("</section>", 1)[0]
    assert section.count('<div class="sha">') == 2
    exported = analyst.post(f"/incidents/{incident_id}/evidence/export")
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        assert "manifest.json" in archive.namelist()
    report = _client(room, Role.VIEWER).get(f"/incidents/{incident_id}/report?format=html")
    assert report.status_code == 200 and WATCH in report.text
    assert _client(room, Role.VIEWER).get(f"/incidents/{incident_id}/report?format=doc").status_code == 404


# --- opening from a signal, and the links to an open incident ---------------------------------------------------


def test_the_signal_page_opens_an_incident_and_then_leads_to_it(room: Room, signed_in: TestClient) -> None:
    watch = "シグナル工務店"
    room.store.add_watch(Watch(name=watch, terms=[watch]))
    signal = _signal(watch, SignalKind.NEGATIVITY_RISE, 60, 2, "否定的な投稿をした人が 6 人")
    room.store.save_signals([signal])
    page = f"/watches/{quote(watch, safe='')}/signals/negativity_rise/{int(signal.window_start.timestamp())}"
    html = signed_in.get(page).text
    assert "インシデントを開く</button>" in html
    viewer_html = _client(room, Role.VIEWER).get(page).text
    assert "インシデントを開く</button>" not in viewer_html and "開けるのは管理者です" in viewer_html
    form = {
        "watch": watch,
        "kind": "negativity_rise",
        "epoch": str(int(signal.window_start.timestamp())),
        "csrf_token": form_csrf(html),
    }
    answer = signed_in.post("/incidents/from-signal", data=form)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=opened")
    [incident] = IncidentStore(room.store).list_incidents(watch)
    assert incident.opened_at == signal.detected_at and incident.opened_by == ADMIN
    assert signed_in.post("/incidents/from-signal", data=form).headers["location"].endswith("?done=existing")
    assert (
        f'href="/incidents/{incident.id}">インシデント #{incident.id} を開く</a>' in signed_in.get(page).text
    )
    board = signed_in.get(f"/watches/{quote(watch, safe='')}").text
    assert f'href="/incidents/{incident.id}"' in board and "対応中のインシデント" in board
    overview = signed_in.get("/").text
    assert f'<a href="/incidents/{incident.id}">インシデント #{incident.id}（対応中）</a>' in overview
    missing = dict(form, epoch="12345")
    assert signed_in.post("/incidents/from-signal", data=missing).status_code == 404


def test_the_list_puts_open_incidents_first_and_hides_drills(room: Room) -> None:
    watch = "リスト建設"
    room.store.add_watch(Watch(name=watch, terms=[watch]))
    incidents = IncidentStore(room.store)
    closed = _open(room, watch, "終わった件")
    incidents.close(closed, "suzuki")
    mild = _open(room, watch, "軽い件")
    incidents.set_severity(mild, 1, "suzuki")
    severe = _open(room, watch, "重い件")
    drill = _open(room, watch, "訓練の件", drill=True)
    html = _client(room, Role.VIEWER).get("/incidents", params={"watch": watch}).text
    order = [html.index(f'href="/incidents/{number}"') for number in (severe, mild, closed)]
    assert order == sorted(order)
    assert f'href="/incidents/{drill}"' not in html
    everything = _client(room, Role.VIEWER).get("/incidents", params={"watch": watch, "all": "1"}).text
    assert f'href="/incidents/{drill}"' in everything and ">訓練</span>" in everything


# --- hostile text -----------------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_on_every_incident_page(room: Room, signed_in: TestClient) -> None:
    watch = f"{SCRIPT}ミナト{TEMPLATE}"
    room.store.add_watch(Watch(name=watch, terms=["ミナト"]))
    texts = [f"ミナトの営業が最悪 {payload} 不買します" for payload in (SCRIPT, IMG, CLOSE_SCRIPT, TEMPLATE)]
    posts = _posts("h", texts, author=IMG)
    assert intake_posts(room.store, watch, posts).inserted == len(posts)
    signal = _signal(watch, SignalKind.VOLUME_SPIKE, 40, 2, f"「{CLOSE_SCRIPT}」と「{IMG}」が急増")
    room.store.save_signals(
        [signal.model_copy(update={"evidence": SignalEvidence(post_ids=["x:h1", "x:h2"])})]
    )
    store = IncidentStore(room.store)
    incident_id = _open(room, watch, f"{SCRIPT}{IMG} の件")
    store.note(incident_id, f"{CLOSE_SCRIPT} メモ {TEMPLATE}", IMG)
    store.assign_role(incident_id, IncidentRole.PR, SCRIPT, IMG)
    store.assign_task(incident_id, "position_paper", IMG, SCRIPT)
    store.complete_task(incident_id, "convene", SCRIPT, note=CLOSE_SCRIPT)
    capture_post(room.store, incident_id, "x:h2", SCRIPT)
    encoded = quote(watch, safe="")
    pages = [
        "/",
        "/incidents",
        "/incidents?all=1",
        f"/incidents?watch={encoded}",
        f"/incidents/{incident_id}",
        f"/incidents/{incident_id}?done=note",
        f"/watches/{encoded}",
        f"/watches/{encoded}/signals/volume_spike/{int(signal.window_start.timestamp())}",
    ]
    for path in pages:
        answer = signed_in.get(path)
        assert answer.status_code == 200, (path, answer.text[:200])
        found = audit(answer.text)
        assert found.problems == [], (path, found.problems)
    room_html = signed_in.get(f"/incidents/{incident_id}").text
    for payload in (SCRIPT, IMG, CLOSE_SCRIPT, TEMPLATE):
        assert str(escape(payload)) in room_html, payload
    refused = _client(room, Role.ADMIN).post(f"/incidents/{incident_id}/tasks/convene/complete")
    assert refused.status_code == 409 and audit(refused.text).problems == []
    assert str(escape(SCRIPT)) in refused.text
