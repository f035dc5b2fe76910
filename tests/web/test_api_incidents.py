"""/api/incidents over real HTTP (TestClient) on a temporary SQLite store: who may do what, 404, 409, bad input.

Roles as the issue says: viewers read; analysts add notes, complete tasks and capture evidence; admins open,
close, assign roles and change status, severity and type. Anonymous callers get 401.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hikeshi.ingest import intake_posts
from hikeshi.records import Signal, SignalEvidence, SignalKind, Watch
from hikeshi.respond.evidence import capture_post
from hikeshi.respond.incidents.records import EventKind, IncidentStatus
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from tests.web.conftest import WATCH, log_in, make_token

T0 = dt.datetime(2026, 11, 1, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
POSTS = [
    {
        "source": "x",
        "source_id": str(index),
        "text": text,
        "created_at": (T0 + dt.timedelta(minutes=5 * index)).isoformat(),
        "url": f"https://example.invalid/x/{index}",
        "author": f"user_{index}",
        "metrics": {"likes": 10 * index, "reposts": 3 * index, "replies": 1, "views": 1000 * index},
    }
    for index, text in enumerate(
        [
            "ナミキ住宅の営業、本当に最悪。不買します",
            "ナミキ住宅の対応ひどすぎる、二度と頼まない",
            "ナミキ住宅の営業のLINE見た？ありえない",
            "ナミキ住宅 <script>alert(1)</script> 炎上してる",
        ],
        start=1,
    )
]
ROLES = [None, Role.VIEWER, Role.ANALYST, Role.ADMIN]


@dataclass(frozen=True)
class Call:
    """One API operation: method, path (with {id}), JSON body, and the least role that may call it."""

    method: str
    path: str
    body: dict[str, Any] | None
    needs: Role
    ok: int = 200


CALLS = [
    Call("GET", "/api/incidents", None, Role.VIEWER),
    Call("POST", "/api/incidents", {"watch": WATCH, "title": "営業担当の LINE が拡散"}, Role.ADMIN, 201),
    Call("GET", "/api/incidents/{id}", None, Role.VIEWER),
    Call("POST", "/api/incidents/{id}/notes", {"text": "事実確認を営業部長に依頼"}, Role.ANALYST, 201),
    Call("POST", "/api/incidents/{id}/pins", {"event_id": 0}, Role.ANALYST),
    Call("POST", "/api/incidents/{id}/tasks/convene/complete", None, Role.ANALYST),
    Call("POST", "/api/incidents/{id}/tasks/position_paper/assign", {"person": "佐藤"}, Role.ANALYST),
    Call("POST", "/api/incidents/{id}/roles", {"role": "pr", "person": "広瀬"}, Role.ADMIN),
    Call("POST", "/api/incidents/{id}/status", {"status": "monitoring"}, Role.ADMIN),
    Call("POST", "/api/incidents/{id}/severity", {"severity": 4}, Role.ADMIN),
    Call("POST", "/api/incidents/{id}/type", {"type": "criticism"}, Role.ADMIN),
    Call("POST", "/api/incidents/{id}/close", None, Role.ADMIN),
    Call("GET", "/api/incidents/{id}/evidence", None, Role.VIEWER),
    Call("POST", "/api/incidents/{id}/evidence", {"post_key": "x:1"}, Role.ANALYST, 201),
    Call("GET", "/api/incidents/{id}/evidence/export", None, Role.ANALYST),
    Call("GET", "/api/incidents/{id}/report?format=html", None, Role.VIEWER),
]


@dataclass(frozen=True)
class Shared:
    app: FastAPI
    store: Store
    clients: dict[Role | None, TestClient]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """One store and app for the module (each test opens its own incidents): migrations and the analysers
    are loaded once."""
    folder = tmp_path_factory.mktemp("api-incidents")
    settings = Settings(database_url=f"sqlite:///{folder / 'hikeshi.sqlite3'}", _env_file=None)  # type: ignore[call-arg]
    with Store.open(settings) as store:
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
        result = intake_posts(store, WATCH, POSTS)
        assert result.inserted == len(POSTS), result
        accounts = AccountStore(store)
        app = create_app(settings, store)
        clients: dict[Role | None, TestClient] = {None: TestClient(app, follow_redirects=False)}
        for role in Role:
            secret = make_token(accounts, role, f"api-{role.value}")
            clients[role] = TestClient(
                app, follow_redirects=False, headers={"Authorization": f"Bearer {secret}"}
            )
        tokens = {name: make_token(accounts, Role.ANALYST, name) for name in ("sato", "ito")}
        security.create_user(accounts, "suzuki", Role.ADMIN, "api-session-pass")
        yield Shared(app=app, store=store, clients=clients, tokens=tokens)


@pytest.fixture
def posts(shared: Shared) -> Store:
    return shared.store


@pytest.fixture
def clients(shared: Shared) -> dict[Role | None, TestClient]:
    return shared.clients


@pytest.fixture
def new_incident(posts: Store) -> Callable[[], int]:
    """Opens a fresh incident (with one captured post, so that export has something to write)."""

    def make() -> int:
        incident = IncidentStore(posts).open(
            WATCH, "ナミキ住宅: 投稿急増", playbook=default_playbook(), severity=3, opened_at=T0
        )
        capture_post(posts, incident.id, "x:2", "setup")
        return incident.id

    return make


def _send(client: TestClient, call: Call, incident_id: int, store: Store) -> Any:
    path = call.path.replace("{id}", str(incident_id))
    body = call.body
    if body is not None and body.get("event_id") == 0:
        body = {"event_id": IncidentStore(store).events(incident_id)[0].id}
    return client.request(call.method, path, json=body)


@pytest.mark.parametrize("call", CALLS, ids=[f"{c.method} {c.path}" for c in CALLS])
def test_each_role_may_do_what_the_issue_says(
    call: Call, clients: dict[Role | None, TestClient], new_incident: Callable[[], int], posts: Store
) -> None:
    for role in ROLES:
        answer = _send(clients[role], call, new_incident(), posts)
        if role is None:
            expected = 401
        elif not role.allows(call.needs):
            expected = 403
        else:
            expected = call.ok
        assert answer.status_code == expected, (role, answer.text[:300])
        if expected in (401, 403):
            assert answer.json()["detail"]  # a Japanese reason


@pytest.mark.parametrize(
    "call",
    [c for c in CALLS if "{id}" in c.path],
    ids=[f"{c.method} {c.path}" for c in CALLS if "{id}" in c.path],
)
def test_a_missing_incident_is_404(call: Call, clients: dict[Role | None, TestClient]) -> None:
    body = {"event_id": 1} if call.body == {"event_id": 0} else call.body
    answer = clients[Role.ADMIN].request(call.method, call.path.replace("{id}", "99999"), json=body)
    assert answer.status_code == 404, answer.text
    assert "インシデント 99999 はありません" in answer.json()["detail"]


def test_the_second_person_completing_a_task_gets_409_naming_the_first(
    shared: Shared, new_incident: Callable[[], int]
) -> None:
    incident_id = new_incident()
    headers = {name: {"Authorization": f"Bearer {secret}"} for name, secret in shared.tokens.items()}
    with TestClient(shared.app) as client:
        first = client.post(f"/api/incidents/{incident_id}/tasks/convene/complete", headers=headers["sato"])
        second = client.post(f"/api/incidents/{incident_id}/tasks/convene/complete", headers=headers["ito"])
    assert first.status_code == 200, first.text
    assert first.json()["done_by"] == "sato"
    assert second.status_code == 409
    assert "タスク「責任者を決めて招集」は sato さんが" in second.json()["detail"]
    assert "完了済みです" in second.json()["detail"]


def test_detail_has_tasks_timeline_and_pins(
    clients: dict[Role | None, TestClient], new_incident: Callable[[], int]
) -> None:
    incident_id = new_incident()
    analyst = clients[Role.ANALYST]
    note = analyst.post(
        f"/api/incidents/{incident_id}/notes", json={"text": "<script>alert(1)</script> 確認中"}
    )
    assert note.status_code == 201
    note_id = note.json()["id"]
    assert analyst.post(f"/api/incidents/{incident_id}/pins", json={"event_id": note_id}).status_code == 200
    detail = clients[Role.VIEWER].get(f"/api/incidents/{incident_id}").json()
    assert detail["incident"]["id"] == incident_id and detail["incident"]["status"] == "active"
    assert [task["key"] for task in detail["tasks"]][:4] == [
        "convene",
        "preserve_evidence",
        "position_paper",
        "holding_statement",
    ]
    assert detail["pinned"] == [note_id]
    kinds = [event["kind"] for event in detail["events"]]
    assert kinds[0] == "opened" and "note" in kinds and "pin" in kinds and "evidence" in kinds
    unpinned = analyst.post(f"/api/incidents/{incident_id}/pins", json={"event_id": note_id, "pinned": False})
    assert unpinned.status_code == 200
    assert clients[Role.VIEWER].get(f"/api/incidents/{incident_id}").json()["pinned"] == []


def test_list_leaves_drills_out_unless_all(clients: dict[Role | None, TestClient], posts: Store) -> None:
    posts.add_watch(Watch(name="クンレン工務店", terms=["クンレン工務店"]))
    admin = clients[Role.ADMIN]
    real = admin.post("/api/incidents", json={"watch": "クンレン工務店", "title": "本番"}).json()
    drill = admin.post(
        "/api/incidents", json={"watch": "クンレン工務店", "title": "訓練", "drill": True}
    ).json()
    mine = {"watch": "クンレン工務店"}
    listed = [item["id"] for item in admin.get("/api/incidents", params=mine).json()]
    assert listed == [real["id"]]
    everything = {item["id"] for item in admin.get("/api/incidents", params={**mine, "all": True}).json()}
    assert everything == {real["id"], drill["id"]}
    assert drill["id"] not in {item["id"] for item in admin.get("/api/incidents").json()}
    missing = admin.get("/api/incidents", params={"watch": "ない会社"})
    assert missing.status_code == 404 and "ない会社" in missing.json()["detail"]


def test_open_from_a_signal_then_the_same_incident_again(
    clients: dict[Role | None, TestClient], posts: Store
) -> None:
    posts.add_watch(Watch(name="シグナル住宅", terms=["シグナル住宅"]))
    signal = Signal(
        watch="シグナル住宅",
        kind=SignalKind.NEGATIVITY_RISE,
        window_start=T0,
        detected_at=T0 + dt.timedelta(minutes=40),
        severity=2,
        evidence=SignalEvidence(post_ids=["x:1", "x:2"]),
        summary="否定的な投稿をした人が 6 人",
    )
    posts.save_signals([signal])
    body = {"watch": "シグナル住宅", "signal": {"kind": "negativity_rise", "window_start": T0.isoformat()}}
    admin = clients[Role.ADMIN]
    opened = admin.post("/api/incidents", json=body)
    assert opened.status_code == 201, opened.text
    incident = opened.json()
    assert incident["severity"] == 2 and incident["opened_by"] == "api-admin"
    assert dt.datetime.fromisoformat(incident["opened_at"]) == signal.detected_at
    again = admin.post("/api/incidents", json=body)
    assert again.status_code == 200 and again.json()["id"] == incident["id"]
    other = {"watch": "シグナル住宅", "signal": {"kind": "volume_spike", "window_start": T0.isoformat()}}
    assert admin.post("/api/incidents", json=other).status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/notes", {"text": "   "}, "text"),
        ("/notes", {"text": "制御\x07文字"}, "text"),
        ("/severity", {"severity": 5}, "4 以下"),
        ("/roles", {"role": "spokesperson", "person": "広瀬"}, "次のいずれか"),
        ("/status", {"status": "finished"}, "次のいずれか"),
        ("/tasks/convene/assign", {"person": "佐藤", "extra": 1}, "受け付けていません"),
        ("/evidence", {"post_key": "x:1", "top": 3}, "本文"),
        ("/evidence", {"top": 0}, "本文"),
    ],
)
def test_bad_input_is_422_with_a_japanese_reason(
    clients: dict[Role | None, TestClient],
    new_incident: Callable[[], int],
    path: str,
    body: Any,
    message: str,
) -> None:
    incident_id = new_incident()
    answer = clients[Role.ADMIN].post(f"/api/incidents/{incident_id}{path}", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith("入力が正しくありません。")
    assert message in answer.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/tasks/no_such_task/complete", None, 404, "タスク「no_such_task」はありません"),
        ("/pins", {"event_id": 99999}, 404, "イベント 99999 はありません"),
        ("/evidence", {"post_key": "x:404"}, 404, "投稿「x:404」はウォッチ"),
    ],
)
def test_unknown_parts_of_an_incident_are_404(
    clients: dict[Role | None, TestClient],
    new_incident: Callable[[], int],
    path: str,
    body: Any,
    status: int,
    message: str,
) -> None:
    answer = clients[Role.ADMIN].post(f"/api/incidents/{new_incident()}{path}", json=body)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["detail"]


def test_evidence_capture_top_lists_hashes_and_exports_a_zip(
    clients: dict[Role | None, TestClient], new_incident: Callable[[], int], posts: Store
) -> None:
    incident_id = new_incident()
    analyst = clients[Role.ANALYST]
    captured = analyst.post(f"/api/incidents/{incident_id}/evidence", json={"top": 3})
    assert captured.status_code == 201, captured.text
    assert len(captured.json()) == 3
    listed = clients[Role.VIEWER].get(f"/api/incidents/{incident_id}/evidence").json()
    assert all(len(item["sha256"]) == 64 for item in listed)
    exported = analyst.get(f"/api/incidents/{incident_id}/evidence/export")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "application/zip"
    assert f"hikeshi-incident-{incident_id}-evidence.zip" in exported.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert {item["sha256"] for item in manifest["artefacts"]} == {item["sha256"] for item in listed}
    # One timeline entry per capture (the setup's post and the three of top) and one for the export.
    assert len(IncidentStore(posts).events(incident_id, kinds=[EventKind.EVIDENCE])) == 5


def test_close_ends_the_incident_and_the_report_names_the_watch(
    clients: dict[Role | None, TestClient], new_incident: Callable[[], int]
) -> None:
    incident_id = new_incident()
    closed = clients[Role.ADMIN].post(f"/api/incidents/{incident_id}/close")
    assert closed.status_code == 200 and closed.json()["status"] == IncidentStatus.CLOSED.value
    report = clients[Role.VIEWER].get(f"/api/incidents/{incident_id}/report", params={"format": "html"})
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert WATCH in report.text and "attachment" in report.headers["content-disposition"]
    assert "<script>alert(1)</script>" not in report.text


def test_a_browser_session_needs_its_csrf_token_to_write(
    shared: Shared, new_incident: Callable[[], int]
) -> None:
    incident_id = new_incident()
    browser = TestClient(shared.app, follow_redirects=False)
    token = log_in(browser, "suzuki", "api-session-pass")
    refused = browser.post(f"/api/incidents/{incident_id}/notes", json={"text": "メモ"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = browser.post(
        f"/api/incidents/{incident_id}/notes", json={"text": "メモ"}, headers={"X-CSRF-Token": token}
    )
    assert accepted.status_code == 201
