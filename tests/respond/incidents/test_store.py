"""IncidentStore: opening creates the playbook's tasks, every change is a timeline event, nothing is edited."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from hikeshi.errors import ConflictError, InputError, NotFoundError
from hikeshi.respond.incidents.records import EventKind, IncidentStatus, IncidentType, Role
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.timezones import JST
from tests.respond.incidents.conftest import WATCH

OPENED = dt.datetime(2026, 3, 12, 22, 56, tzinfo=JST)


def _open(incidents: IncidentStore, **extra: object) -> int:
    incident = incidents.open(
        WATCH,
        "営業担当の LINE が拡散",
        playbook=default_playbook(),
        severity=3,
        opened_at=OPENED,
        actor="佐藤",
        **extra,  # type: ignore[arg-type]
    )
    return incident.id


def test_open_creates_playbook_tasks_due_from_opening(incidents: IncidentStore) -> None:
    incident_id = _open(incidents)
    incident = incidents.get(incident_id)
    assert (incident.status, incident.severity, incident.opened_by) == (IncidentStatus.ACTIVE, 3, "佐藤")
    due = {task.key: task.due_at for task in incidents.tasks(incident_id)}
    assert due["convene"] == OPENED + dt.timedelta(minutes=60)
    assert due["preserve_evidence"] == OPENED + dt.timedelta(minutes=60)
    assert due["position_paper"] == OPENED + dt.timedelta(minutes=120)
    assert due["holding_statement"] == OPENED + dt.timedelta(minutes=180)
    assert due["press_conference_decision"] == OPENED + dt.timedelta(hours=24)
    assert due["call_centre_qa"] == dt.datetime(2026, 3, 13, 18, 0, tzinfo=JST)  # Thursday night → Friday
    assert due["calm_decision"] is None
    [opened] = incidents.events(incident_id)
    assert opened.kind == EventKind.OPENED and opened.at == OPENED


def test_every_change_is_an_event_in_order(incidents: IncidentStore) -> None:
    incident_id = _open(incidents)
    incidents.assign_role(incident_id, Role.COMMANDER, "田中部長", "佐藤")
    incidents.assign_role(incident_id, Role.PR, "鈴木", "佐藤")
    incidents.complete_task(incident_id, "convene", "田中部長", note="23:20 に全員招集")
    incidents.set_type(incident_id, IncidentType.CRITICISM, "田中部長")
    incidents.set_severity(incident_id, 4, "田中部長", reason="報道あり")
    incidents.note(incident_id, "顧客への個別連絡は法務確認後", "鈴木")
    incidents.close(incident_id, "田中部長")
    kinds = [event.kind for event in incidents.events(incident_id)]
    assert kinds == [
        EventKind.OPENED,
        EventKind.ROLE,
        EventKind.ROLE,
        EventKind.TASK_DONE,
        EventKind.TYPE,
        EventKind.SEVERITY,
        EventKind.NOTE,
        EventKind.CLOSED,
    ]
    incident = incidents.get(incident_id)
    assert incident.roles == {"commander": "田中部長", "pr": "鈴木"}
    assert incident.type == IncidentType.CRITICISM and incident.severity == 4
    assert incident.status == IncidentStatus.CLOSED and incident.closed_at is not None
    done = next(task for task in incidents.tasks(incident_id) if task.key == "convene")
    assert (done.done_by, done.note) == ("田中部長", "23:20 に全員招集")


def test_completing_a_task_twice_names_who_did_it(incidents: IncidentStore) -> None:
    incident_id = _open(incidents)
    incidents.complete_task(incident_id, "preserve_evidence", "山本")
    with pytest.raises(ConflictError, match="山本 さんが"):
        incidents.complete_task(incident_id, "preserve_evidence", "鈴木")
    assert sum(1 for e in incidents.events(incident_id) if e.kind == EventKind.TASK_DONE) == 1


def test_two_people_completing_the_same_task_at_once(incidents: IncidentStore) -> None:
    incident_id = _open(incidents)
    outcomes: list[str] = []

    def complete(person: str) -> None:
        try:
            incidents.complete_task(incident_id, "position_paper", person)
            outcomes.append("done")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=complete, args=(name,)) for name in ("鈴木", "高橋")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "done"]
    assert sum(1 for e in incidents.events(incident_id) if e.kind == EventKind.TASK_DONE) == 1


def test_pins_are_events_and_the_pinned_set_is_derived(incidents: IncidentStore) -> None:
    incident_id = _open(incidents)
    note = incidents.note(incident_id, "発端の投稿は 21:10", "鈴木")
    incidents.pin(incident_id, note.id, "鈴木")
    assert incidents.detail(incident_id).pinned_event_ids == {note.id}
    incidents.pin(incident_id, note.id, "鈴木", pinned=False)
    assert incidents.detail(incident_id).pinned_event_ids == set()
    with pytest.raises(NotFoundError):
        incidents.pin(incident_id, 99_999, "鈴木")


def test_dedupe_key_adds_an_event_once(incidents: IncidentStore) -> None:
    incident_id = _open(incidents)
    first = incidents.add_event(incident_id, EventKind.SIGNAL, "投稿急増", "hikeshi", dedupe_key="signal:x")
    again = incidents.add_event(incident_id, EventKind.SIGNAL, "投稿急増", "hikeshi", dedupe_key="signal:x")
    assert first is not None and again is None
    assert incidents.has_event(WATCH, "signal:x")


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "タイトルが空"),
        ("   ", "タイトルが空"),
        ("炎" * 201, "200 文字以内"),
        ("改行\x00入り", "制御文字"),
    ],
)
def test_bad_titles_are_refused_and_nothing_is_stored(
    incidents: IncidentStore, title: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        incidents.open(WATCH, title, playbook=default_playbook())
    assert incidents.list_incidents(include_drills=True) == []


def test_unknown_things_are_not_found(incidents: IncidentStore) -> None:
    with pytest.raises(NotFoundError, match="インシデント 42 はありません"):
        incidents.get(42)
    incident_id = _open(incidents)
    with pytest.raises(NotFoundError, match="タスク「謝罪会見」"):
        incidents.complete_task(incident_id, "謝罪会見", "鈴木")
    with pytest.raises(InputError, match="ウォッチ「しろくま製菓」"):
        incidents.open("しろくま製菓", "別件", playbook=default_playbook())


def test_drills_are_listed_only_when_asked(incidents: IncidentStore) -> None:
    real = _open(incidents)
    drill = _open(incidents, drill=True)
    assert [i.id for i in incidents.list_incidents()] == [real]
    assert {i.id for i in incidents.list_incidents(include_drills=True)} == {real, drill}


def test_overdue_tasks_are_reported_and_notified_once(incidents: IncidentStore) -> None:
    incident_id = _open(incidents)
    now = OPENED + dt.timedelta(minutes=90)
    overdue = incidents.overdue_tasks(now)
    assert {task.key for _, task in overdue} == {"convene", "preserve_evidence"}
    incidents.mark_overdue_notified([task.id for _, task in overdue], now)
    incidents.mark_overdue_notified([task.id for _, task in overdue], now)
    assert incidents.overdue_tasks(now, unnotified_only=True) == []
    assert sum(1 for e in incidents.events(incident_id) if e.kind == EventKind.TASK_OVERDUE) == 2
