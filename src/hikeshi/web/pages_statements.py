"""The statement pages: an incident's statements with the draft form, and the editor of one statement.

Its router also carries the position paper page (`pages_papers`) and the Q&A and call-script pages
(`pages_statement_docs`), so the app mounts the PR desk's pages with one include.

The editor shows the text, the linter's findings marked in it (server-rendered, so it works without JavaScript;
static/statement_lint.js re-lints through /api/statements/lint as the person types), the sections present and
missing, the negative-list hits, the versions, and the approval steps: submit (analysts), approve or send back
(an admin or the incident's 経営; a danger lint needs an override reason), publish with a channel (an admin or
the incident's 広報). Every step is one library call and the library writes the timeline; a refused step shows
the page again with the library's Japanese reason (404, 409 or 422), a done one redirects (303) with a fixed
message key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hikeshi.errors import ConflictError, HikeshiError, InputError, NotFoundError
from hikeshi.respond.statements import approval
from hikeshi.respond.statements.export import render_bytes
from hikeshi.respond.statements.markup import parse, spans
from hikeshi.respond.statements.records import (
    DRAFT_KIND_LABELS,
    PUBLISH_CHANNEL_LABELS,
    STATEMENT_STATUS_LABELS,
    DraftKind,
    PublishChannel,
    Statement,
)
from hikeshi.respond.statements.store import StatementStore
from hikeshi.store.accounts import Role
from hikeshi.web.api.incident_bodies import MAX_ID
from hikeshi.web.app import templates
from hikeshi.web.auth import CurrentUser, settings_of, verify_csrf
from hikeshi.web.pages_incidents import IncidentId
from hikeshi.web.pages_papers import router as papers_router
from hikeshi.web.pages_statement_docs import router as docs_router
from hikeshi.web.pages_support import Analyst, Viewer, render, store_of
from hikeshi.web.views import statements as actions

router = APIRouter(include_in_schema=False)
router.include_router(papers_router)
router.include_router(docs_router)
csrf = [Depends(verify_csrf)]
templates.env.globals.update(spans=spans)
StatementId = Annotated[int, Path(ge=1, le=MAX_ID)]
DOWNLOADS = {"md": ".md", "docx": ".docx", "pdf": ".pdf"}
MEDIA_TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}
DONE_MESSAGES = {
    "drafted": "下書きを作りました（文面チェック済み）。直してから確認に回してください。",
    "saved": "新しい版として保存しました。",
    "submitted": "確認（承認待ち）に回しました。",
    "approved": "承認しました。",
    "sent_back": "下書きに差し戻しました。",
    "published": "公表を記録しました（タイムラインに記録しました）。",
}


def _code(refused: HikeshiError) -> int:
    if isinstance(refused, NotFoundError):
        return status.HTTP_404_NOT_FOUND
    if isinstance(refused, ConflictError):
        return status.HTTP_409_CONFLICT
    return status.HTTP_422_UNPROCESSABLE_CONTENT


# --- the list and the draft form --------------------------------------------------------------------------------


def list_page(
    request: Request, user: CurrentUser, incident_id: int, *, error: str | None = None, status_code: int = 200
) -> Response:
    statements = StatementStore(store_of(request))
    try:
        incident = statements.incidents.get(incident_id)
        found = statements.list(incident_id)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    paper = actions.latest_paper(statements, incident_id)
    return render(
        request,
        "statements.html",
        user,
        {
            "incident": incident,
            "statements": list(reversed(found)),
            "paper_version": paper[1] if paper else None,
            "kinds": DRAFT_KIND_LABELS,
            "channels": PUBLISH_CHANNEL_LABELS,
            "level_labels": actions.LEVEL_LABELS,
            "level_classes": actions.LEVEL_CLASSES,
            "error": error,
            "can_work": user.role.allows(Role.ANALYST),
        },
        status_code=status_code,
    )


@router.get("/incidents/{incident_id}/statements", response_class=HTMLResponse)
def statements_page(request: Request, incident_id: IncidentId, user: Viewer) -> Response:
    return list_page(request, user, incident_id)


@router.post("/incidents/{incident_id}/statements", dependencies=csrf)
def draft_page(
    request: Request, incident_id: IncidentId, user: Analyst, kind: Annotated[str, Form()] = ""
) -> Response:
    statements = StatementStore(store_of(request))
    try:
        statements.incidents.get(incident_id)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    try:
        chosen = _draft_kind(kind)
        drafted = actions.draft_statement(statements, settings_of(request), incident_id, chosen, user.name)
    except HikeshiError as refused:
        code = status.HTTP_409_CONFLICT if isinstance(refused, NotFoundError) else _code(refused)
        return list_page(request, user, incident_id, error=str(refused), status_code=code)
    return RedirectResponse(f"/statements/{drafted.id}?done=drafted", status_code=status.HTTP_303_SEE_OTHER)


def _draft_kind(value: str) -> DraftKind:
    try:
        return DraftKind(value)
    except ValueError:
        raise InputError(f"下書きの種類の指定が正しくありません（{value}）。") from None


# --- the editor -------------------------------------------------------------------------------------------------


def editor_page(
    request: Request,
    user: CurrentUser,
    statement_id: int,
    *,
    message: str | None = None,
    error: str | None = None,
    text: str | None = None,
    checked: bool = False,
    status_code: int = 200,
) -> Response:
    statements = StatementStore(store_of(request))
    try:
        lint = None
        if checked and text is not None:
            lint = actions.fresh_lint_view(statements, statements.get(statement_id), text)
        view = actions.editor_view(statements, statement_id, user, text=text, lint=lint)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    return render(
        request,
        "statement.html",
        user,
        {
            "view": view,
            "incident": view.incident,
            "statement": view.statement,
            "blocks": parse(view.statement.text),
            "has_paper": view.statement.paper_version is not None
            or actions.latest_paper(statements, view.incident.id) is not None,
            "channels": PUBLISH_CHANNEL_LABELS,
            "status_labels": STATEMENT_STATUS_LABELS,
            "labels": actions.labels_for_script(),
            "message": message,
            "error": error,
            "checked": checked,
        },
        status_code=status_code,
    )


@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_page(request: Request, statement_id: StatementId, user: Viewer, done: str = "") -> Response:
    return editor_page(request, user, statement_id, message=DONE_MESSAGES.get(done))


def step(
    request: Request,
    user: CurrentUser,
    statement_id: int,
    action: Callable[[StatementStore], Statement],
    done: str,
    *,
    text: str | None = None,
) -> Response:
    """Run one library step; back to the editor (303) when done, the editor with the reason when refused."""
    statements = StatementStore(store_of(request))
    try:
        statements.get(statement_id)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    try:
        action(statements)
    except HikeshiError as refused:
        return editor_page(
            request, user, statement_id, error=str(refused), text=text, status_code=_code(refused)
        )
    return RedirectResponse(f"/statements/{statement_id}?done={done}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/statements/{statement_id}/text", dependencies=csrf)
def save_text(
    request: Request,
    statement_id: StatementId,
    user: Analyst,
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "save",
) -> Response:
    """「保存する」 stores a new version; 「チェックだけする」 shows the lint of the typed text without saving."""
    if action == "check":
        return editor_page(request, user, statement_id, text=text, checked=True)
    return step(
        request,
        user,
        statement_id,
        lambda statements: actions.revise_statement(
            statements, statement_id, text, user.name, title=title or None, note=note.strip() or None
        ),
        "saved",
        text=text,
    )


@router.post("/statements/{statement_id}/submit", dependencies=csrf)
def submit(request: Request, statement_id: StatementId, user: Analyst) -> Response:
    return step(
        request, user, statement_id, lambda s: approval.submit(s, statement_id, user.name), "submitted"
    )


def _as_approver(statements: StatementStore, statement_id: int, user: CurrentUser) -> None:
    incident = statements.incidents.get(statements.get(statement_id).incident_id)
    if not actions.may_approve(incident, user):
        raise approval.ApprovalError(actions.approve_refusal(incident, user))


@router.post("/statements/{statement_id}/approve", dependencies=csrf)
def approve(
    request: Request,
    statement_id: StatementId,
    user: Viewer,
    override_reason: Annotated[str, Form()] = "",
) -> Response:
    def action(statements: StatementStore) -> Statement:
        _as_approver(statements, statement_id, user)
        return approval.approve(
            statements, statement_id, actions.approver_of(user), override_reason=override_reason or None
        )

    return step(request, user, statement_id, action, "approved")


@router.post("/statements/{statement_id}/send-back", dependencies=csrf)
def send_back(
    request: Request, statement_id: StatementId, user: Viewer, reason: Annotated[str, Form()] = ""
) -> Response:
    def action(statements: StatementStore) -> Statement:
        _as_approver(statements, statement_id, user)
        return approval.send_back(statements, statement_id, user.name, reason)

    return step(request, user, statement_id, action, "sent_back")


@router.post("/statements/{statement_id}/publish", dependencies=csrf)
def publish(
    request: Request, statement_id: StatementId, user: Analyst, channel: Annotated[str, Form()] = ""
) -> Response:
    def action(statements: StatementStore) -> Statement:
        incident = statements.incidents.get(statements.get(statement_id).incident_id)
        if not actions.may_publish(incident, user):
            raise approval.ApprovalError(actions.publish_refusal(incident, user))
        try:
            where = PublishChannel(channel)
        except ValueError:
            raise InputError(f"公表した場所の指定が正しくありません（{channel}）。") from None
        return approval.publish(statements, statement_id, where, user.name)

    return step(request, user, statement_id, action, "published")


@router.get("/statements/{statement_id}/download")
def download(
    request: Request,
    statement_id: StatementId,
    _user: Viewer,
    requested: Annotated[str, Query(alias="format")] = "md",
) -> Response:
    """The statement as Markdown, Word or PDF (the library's export, the same files as `statement draft --out`)."""
    suffix = DOWNLOADS.get(requested)
    if suffix is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "形式は md・docx・pdf のどれかです。")
    try:
        statement = StatementStore(store_of(request)).get(statement_id)
        content = render_bytes(statement.text, statement.title, suffix, settings_of(request))
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    except HikeshiError as refused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(refused)) from None
    filename = f"hikeshi-statement-{statement_id}-v{statement.version}{suffix}"
    return Response(
        content,
        media_type=MEDIA_TYPES[suffix],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
