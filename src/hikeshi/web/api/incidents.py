"""/api/incidents: open, follow and close incidents; their tasks, roles, timeline, evidence and report.

Roles: viewers read; analysts add notes, pin, complete and assign tasks and capture evidence; admins open and
close incidents, assign the response roles and change status, severity and type. The library raises
NotFoundError (answered 404) and ConflictError (409: the second person completing a task is told who was
first); the app's exception handlers translate them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from hikeshi.respond.incidents.manual import open_from_signal
from hikeshi.respond.incidents.records import Incident, IncidentEvent, IncidentStatus, Task
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import load_playbook
from hikeshi.store import Store
from hikeshi.store.accounts import Role
from hikeshi.store.base import no_watch_message
from hikeshi.timezones import JST, utc_now
from hikeshi.web.api.common import SettingsDep, StoreDep
from hikeshi.web.api.incident_bodies import (
    AssignIn,
    CompleteIn,
    IncidentId,
    IncidentOpen,
    IncidentOut,
    NoteIn,
    PinIn,
    RoleIn,
    SeverityIn,
    StatusIn,
    TaskKey,
    TypeIn,
)
from hikeshi.web.auth import CurrentUser, require_api_user
from hikeshi.web.schemas import ErrorBody

router = APIRouter(prefix="/incidents", tags=["インシデント"])
Viewer = Annotated[CurrentUser, Depends(require_api_user(Role.VIEWER))]
Analyst = Annotated[CurrentUser, Depends(require_api_user(Role.ANALYST))]
Admin = Annotated[CurrentUser, Depends(require_api_user(Role.ADMIN))]

MISSING: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "インシデント（またはタスク・イベント）がない"}
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    **MISSING,
    409: {"model": ErrorBody, "description": "ほかの人が先に変更した（完了済みのタスクなど）"},
}


def incident_store(store: StoreDep) -> IncidentStore:
    return IncidentStore(store)


Incidents = Annotated[IncidentStore, Depends(incident_store)]


def detail_of(incidents: IncidentStore, incident_id: int) -> IncidentOut:
    detail = incidents.detail(incident_id)
    return IncidentOut(
        incident=detail.incident,
        tasks=detail.tasks,
        events=detail.events,
        pinned=sorted(detail.pinned_event_ids),
    )


def _require_watch(store: Store, name: str) -> None:
    if store.find_watch(name) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, no_watch_message(name))


@router.get("", summary="インシデントの一覧（新しい順）", responses={404: {"model": ErrorBody}})
def list_incidents(
    _user: Viewer,
    store: StoreDep,
    incidents: Incidents,
    watch: Annotated[
        str | None, Query(min_length=1, max_length=200, description="このウォッチのものだけ")
    ] = None,
    include_all: Annotated[bool, Query(alias="all", description="訓練のインシデントも含める")] = False,
) -> list[Incident]:
    if watch is not None:
        _require_watch(store, watch)
    return incidents.list_incidents(watch, include_drills=include_all)


@router.post(
    "",
    summary="インシデントを開く（管理者）",
    description=(
        "signal を指定すると、そのシグナルから開きます（開始時刻はシグナルの検知時刻）。そのシグナルが既に"
        "インシデントに含まれているか、ウォッチに対応中のインシデントがあれば、新しく開かずにそれを返します（200）。"
    ),
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": Incident, "description": "既にあるインシデント"}, 404: {"model": ErrorBody}},
)
def open_incident(
    body: IncidentOpen,
    user: Admin,
    store: StoreDep,
    settings: SettingsDep,
    incidents: Incidents,
    response: Response,
) -> Incident:
    _require_watch(store, body.watch)
    playbook = load_playbook(settings.playbook)
    if body.signal is not None:
        signal = next(
            (
                found
                for found in store.list_signals(body.watch, kind=body.signal.kind)
                if found.window_start == body.signal.window_start
            ),
            None,
        )
        if signal is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "指定のシグナルは見つかりません。")
        result = open_from_signal(store, signal, playbook, user.name, title=body.title, incidents=incidents)
        if not result.opened:
            response.status_code = status.HTTP_200_OK
        return result.incident
    title = body.title or f"{body.watch} の炎上対応（{utc_now().astimezone(JST):%m/%d %H:%M} 開始）"
    return incidents.open(
        body.watch,
        title,
        playbook=playbook,
        severity=body.severity,
        actor=user.name,
        drill=body.drill,
        incident_type=body.type,
    )


@router.get("/{incident_id}", summary="インシデントの詳細（タスクとタイムライン）", responses=MISSING)
def get_incident(incident_id: IncidentId, _user: Viewer, incidents: Incidents) -> IncidentOut:
    return detail_of(incidents, incident_id)


@router.post(
    "/{incident_id}/notes",
    summary="タイムラインにメモを残す（分析担当以上）",
    status_code=status.HTTP_201_CREATED,
    responses=MISSING,
)
def add_note(incident_id: IncidentId, body: NoteIn, user: Analyst, incidents: Incidents) -> IncidentEvent:
    return incidents.note(incident_id, body.text, user.name)


@router.post("/{incident_id}/pins", summary="イベントをピン留めする・外す（分析担当以上）", responses=MISSING)
def pin_event(incident_id: IncidentId, body: PinIn, user: Analyst, incidents: Incidents) -> IncidentEvent:
    incidents.get(incident_id)  # 404 names the incident before the event
    return incidents.pin(incident_id, body.event_id, user.name, pinned=body.pinned)


@router.post(
    "/{incident_id}/tasks/{task_key}/complete",
    summary="タスクを完了にする（分析担当以上）",
    description="既にほかの人が完了にしていれば 409（誰がいつ完了したかを detail で返します）。",
    responses=CONFLICT,
)
def complete_task(
    incident_id: IncidentId,
    task_key: TaskKey,
    user: Analyst,
    incidents: Incidents,
    body: CompleteIn | None = None,
) -> Task:
    return incidents.complete_task(incident_id, task_key, user.name, note=body.note if body else None)


@router.post(
    "/{incident_id}/tasks/{task_key}/assign",
    summary="タスクの担当者を決める（分析担当以上）",
    responses=MISSING,
)
def assign_task(
    incident_id: IncidentId, task_key: TaskKey, body: AssignIn, user: Analyst, incidents: Incidents
) -> Task:
    return incidents.assign_task(incident_id, task_key, body.person, user.name)


@router.post("/{incident_id}/roles", summary="役割に人を割り当てる（管理者）", responses=MISSING)
def assign_role(incident_id: IncidentId, body: RoleIn, user: Admin, incidents: Incidents) -> Incident:
    return incidents.assign_role(incident_id, body.role, body.person, user.name)


@router.post("/{incident_id}/status", summary="状態を変える（管理者）", responses=MISSING)
def set_status(incident_id: IncidentId, body: StatusIn, user: Admin, incidents: Incidents) -> Incident:
    return incidents.set_status(incident_id, body.status, user.name)


@router.post("/{incident_id}/severity", summary="深刻度を変える（管理者）", responses=MISSING)
def set_severity(incident_id: IncidentId, body: SeverityIn, user: Admin, incidents: Incidents) -> Incident:
    return incidents.set_severity(incident_id, body.severity, user.name)


@router.post("/{incident_id}/type", summary="種類を決める（管理者）", responses=MISSING)
def set_type(incident_id: IncidentId, body: TypeIn, user: Admin, incidents: Incidents) -> Incident:
    return incidents.set_type(incident_id, body.type, user.name)


@router.post("/{incident_id}/close", summary="インシデントを終了する（管理者）", responses=MISSING)
def close_incident(incident_id: IncidentId, user: Admin, incidents: Incidents) -> Incident:
    return incidents.set_status(incident_id, IncidentStatus.CLOSED, user.name)
