"""The incident pages: the list (open ones first) and the incident room, with the forms that change an incident.

Every form posts a CSRF token and makes one library call (`IncidentStore`, `open_from_signal`); after a change
the browser is sent back to the room (303) with a fixed message key, so a link can never put arbitrary text on
the page. A refused change re-renders the room with the library's Japanese message: 409 when someone else was
first (a task already completed), 404 for an unknown task or event, 422 for bad input.

Roles (as in the API): viewers read; analysts add notes, pin, complete and assign tasks and capture evidence;
admins open and close incidents, assign the response roles and change status, severity and type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hikeshi.errors import ConflictError, HikeshiError, InputError, NotFoundError
from hikeshi.records import SignalKind
from hikeshi.report.signals import find_signal
from hikeshi.respond.incidents.manual import open_from_signal
from hikeshi.respond.incidents.records import (
    INCIDENT_STATUS_LABELS,
    INCIDENT_TYPE_LABELS,
    ROLE_LABELS,
    SEVERITY_LABELS,
    IncidentStatus,
    IncidentType,
)
from hikeshi.respond.incidents.records import Role as IncidentRole
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import load_playbook
from hikeshi.store.accounts import Role
from hikeshi.timezones import utc_now
from hikeshi.web.api.incident_bodies import MAX_ID
from hikeshi.web.auth import CurrentUser, settings_of, verify_csrf
from hikeshi.web.pages_support import Admin, Analyst, Viewer, render, store_of
from hikeshi.web.views.incidents import incident_list, incident_room

router = APIRouter(include_in_schema=False)
csrf = [Depends(verify_csrf)]

DONE_MESSAGES = {
    "opened": "インシデントを開きました。まず責任者と広報を決めてください。",
    "existing": "このウォッチには対応中のインシデントがあるので、そちらを開きました。",
    "note": "メモをタイムラインに記録しました。",
    "pinned": "ピン留めしました。",
    "unpinned": "ピン留めを外しました。",
    "task_done": "タスクを完了にしました。",
    "task_assigned": "タスクの担当を変えました。",
    "role": "役割を割り当てました。",
    "status": "状態を変えました。",
    "severity": "深刻度を変えました。",
    "type": "種類を変えました。",
    "closed": "インシデントを終了しました。",
    "evidence": "証拠を保全しました（SHA-256 は下の一覧にあります）。",
}
ANCHORS = {"note": "timeline", "pinned": "timeline", "unpinned": "timeline", "role": "roles"}
ANCHORS.update(task_done="tasks", task_assigned="tasks", evidence="evidence")
IncidentId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _choice(value: str, options: dict[Any, str], what: str) -> str:
    for code in options:
        if value == str(code):
            return str(code)
    raise InputError(f"{what}の指定が正しくありません（{value}）。")


def room_page(
    request: Request,
    user: CurrentUser,
    incident_id: int,
    *,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The room; 404 when the incident does not exist."""
    try:
        room = incident_room(store_of(request), incident_id, utc_now())
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    return render(
        request,
        "incident.html",
        user,
        {
            "room": room,
            "message": message,
            "error": error,
            "role_labels": ROLE_LABELS,
            "status_labels": INCIDENT_STATUS_LABELS,
            "type_labels": INCIDENT_TYPE_LABELS,
            "severity_labels": SEVERITY_LABELS,
            "can_work": user.role.allows(Role.ANALYST),
            "is_admin": user.role.allows(Role.ADMIN),
        },
        status_code=status_code,
    )


def change(
    request: Request, user: CurrentUser, incident_id: int, action: Callable[[], object], done: str
) -> Response:
    """Run one library call; back to the room on success, the room with the reason when it is refused."""
    try:
        action()
    except HikeshiError as refused:
        code = (
            status.HTTP_404_NOT_FOUND
            if isinstance(refused, NotFoundError)
            else status.HTTP_409_CONFLICT
            if isinstance(refused, ConflictError)
            else status.HTTP_422_UNPROCESSABLE_CONTENT
        )
        return room_page(request, user, incident_id, error=str(refused), status_code=code)
    anchor = ANCHORS.get(done, "top")
    return RedirectResponse(
        f"/incidents/{incident_id}?done={done}#{anchor}", status_code=status.HTTP_303_SEE_OTHER
    )


# --- reading --------------------------------------------------------------------------------------------------


@router.get("/incidents", response_class=HTMLResponse)
def incidents_page(
    request: Request,
    user: Viewer,
    watch: str = "",
    show_all: Annotated[str, Query(alias="all")] = "",
) -> Response:
    store = store_of(request)
    include_drills = show_all in ("1", "true", "on")
    chosen = watch if watch and store.find_watch(watch) is not None else None
    return render(
        request,
        "incidents.html",
        user,
        {
            "items": incident_list(store, utc_now(), watch=chosen, include_drills=include_drills),
            "watches": [known.name for known in store.list_watches()],
            "chosen": chosen or "",
            "include_drills": include_drills,
            "is_admin": user.role.allows(Role.ADMIN),
            "severity_labels": SEVERITY_LABELS,
        },
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: IncidentId, user: Viewer, done: str = "") -> Response:
    return room_page(request, user, incident_id, message=DONE_MESSAGES.get(done))


# --- opening --------------------------------------------------------------------------------------------------


@router.post("/incidents", dependencies=csrf)
def open_incident(
    request: Request,
    user: Admin,
    watch: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    severity: Annotated[int, Form()] = 3,
) -> Response:
    store = store_of(request)
    try:
        if store.find_watch(watch) is None:
            raise InputError(f"ウォッチ「{watch}」はありません。")
        incident = IncidentStore(store).open(
            watch,
            title,
            playbook=load_playbook(settings_of(request).playbook),
            severity=severity,
            actor=user.name,
        )
    except HikeshiError as refused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(refused)) from None
    return RedirectResponse(f"/incidents/{incident.id}?done=opened", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/incidents/from-signal", dependencies=csrf)
def open_from_signal_page(
    request: Request,
    user: Admin,
    watch: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    epoch: Annotated[int, Form()] = 0,
) -> Response:
    """The 「インシデントを開く」 button of a signal page."""
    store = store_of(request)
    if store.find_watch(watch) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"ウォッチ「{watch}」はありません。")
    signal = find_signal(store.list_signals(watch), kind, epoch)
    if signal is None or kind not in {member.value for member in SignalKind}:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "このシグナルは見つかりません。")
    try:
        result = open_from_signal(store, signal, load_playbook(settings_of(request).playbook), user.name)
    except HikeshiError as refused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(refused)) from None
    done = "opened" if result.opened else "existing"
    return RedirectResponse(
        f"/incidents/{result.incident.id}?done={done}", status_code=status.HTTP_303_SEE_OTHER
    )


# --- working the incident (analysts) --------------------------------------------------------------------------


@router.post("/incidents/{incident_id}/notes", dependencies=csrf)
def add_note(
    request: Request, incident_id: IncidentId, user: Analyst, text: Annotated[str, Form()] = ""
) -> Response:
    incidents = IncidentStore(store_of(request))
    return change(request, user, incident_id, lambda: incidents.note(incident_id, text, user.name), "note")


@router.post("/incidents/{incident_id}/pins", dependencies=csrf)
def pin_event(
    request: Request,
    incident_id: IncidentId,
    user: Analyst,
    event_id: Annotated[int, Form()] = 0,
    pinned: Annotated[str, Form()] = "1",
) -> Response:
    incidents = IncidentStore(store_of(request))
    keep = pinned != "0"
    return change(
        request,
        user,
        incident_id,
        lambda: incidents.pin(incident_id, event_id, user.name, pinned=keep),
        "pinned" if keep else "unpinned",
    )


@router.post("/incidents/{incident_id}/tasks/{task_key}/complete", dependencies=csrf)
def complete_task(
    request: Request,
    incident_id: IncidentId,
    task_key: str,
    user: Analyst,
    note: Annotated[str, Form()] = "",
) -> Response:
    incidents = IncidentStore(store_of(request))
    return change(
        request,
        user,
        incident_id,
        lambda: incidents.complete_task(incident_id, task_key, user.name, note=note or None),
        "task_done",
    )


@router.post("/incidents/{incident_id}/tasks/{task_key}/assign", dependencies=csrf)
def assign_task(
    request: Request,
    incident_id: IncidentId,
    task_key: str,
    user: Analyst,
    person: Annotated[str, Form()] = "",
) -> Response:
    incidents = IncidentStore(store_of(request))
    return change(
        request,
        user,
        incident_id,
        lambda: incidents.assign_task(incident_id, task_key, person or None, user.name),
        "task_assigned",
    )


# --- running the incident (admins) ----------------------------------------------------------------------------


@router.post("/incidents/{incident_id}/roles", dependencies=csrf)
def assign_role(
    request: Request,
    incident_id: IncidentId,
    user: Admin,
    role: Annotated[str, Form()] = "",
    person: Annotated[str, Form()] = "",
) -> Response:
    incidents = IncidentStore(store_of(request))

    def action() -> object:
        chosen = IncidentRole(_choice(role, ROLE_LABELS, "役割"))
        return incidents.assign_role(incident_id, chosen, person or None, user.name)

    return change(request, user, incident_id, action, "role")


@router.post("/incidents/{incident_id}/status", dependencies=csrf)
def set_status(
    request: Request, incident_id: IncidentId, user: Admin, value: Annotated[str, Form()] = ""
) -> Response:
    incidents = IncidentStore(store_of(request))

    def action() -> object:
        chosen = IncidentStatus(_choice(value, INCIDENT_STATUS_LABELS, "状態"))
        return incidents.set_status(incident_id, chosen, user.name)

    return change(request, user, incident_id, action, "status")


@router.post("/incidents/{incident_id}/severity", dependencies=csrf)
def set_severity(
    request: Request, incident_id: IncidentId, user: Admin, value: Annotated[int, Form()] = 0
) -> Response:
    incidents = IncidentStore(store_of(request))
    return change(
        request, user, incident_id, lambda: incidents.set_severity(incident_id, value, user.name), "severity"
    )


@router.post("/incidents/{incident_id}/type", dependencies=csrf)
def set_type(
    request: Request, incident_id: IncidentId, user: Admin, value: Annotated[str, Form()] = ""
) -> Response:
    incidents = IncidentStore(store_of(request))

    def action() -> object:
        chosen = IncidentType(_choice(value, INCIDENT_TYPE_LABELS, "種類"))
        return incidents.set_type(incident_id, chosen, user.name)

    return change(request, user, incident_id, action, "type")


@router.post("/incidents/{incident_id}/close", dependencies=csrf)
def close_incident(request: Request, incident_id: IncidentId, user: Admin) -> Response:
    incidents = IncidentStore(store_of(request))
    return change(request, user, incident_id, lambda: incidents.close(incident_id, user.name), "closed")
