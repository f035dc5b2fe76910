"""/api/statements and the statement routes of /api/incidents: the position paper, drafts, approval, the linter.

Roles: viewers read; analysts save the paper, draft, edit, submit, log inquiries and run the linter; an admin or
the person the incident names as 経営 approves (or sends back); an admin or the incident's 広報 publishes
(`hikeshi.web.views.statements` says why). Each route is one call of `hikeshi.respond.statements`; the library
writes the timeline. Errors: 404 for a missing incident, statement or paper, 409 when the statement is not in
the state the step needs (or someone else changed it first), 422 for input the library refuses, each with the
library's Japanese message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status

from hikeshi.errors import ConflictError, HikeshiError, NotFoundError
from hikeshi.respond.statements import approval
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import Inquiry, PaperVersion, Statement, StatementStatus
from hikeshi.respond.statements.store import StatementStore
from hikeshi.store.accounts import Role
from hikeshi.timezones import utc_now
from hikeshi.web.api.common import SettingsDep, StoreDep
from hikeshi.web.api.incident_bodies import MAX_ID, IncidentId
from hikeshi.web.api.statement_bodies import (
    ApproveIn,
    DraftIn,
    InquiryIn,
    LintIn,
    LintOut,
    PublishIn,
    SendBackIn,
    StatementDetail,
    StatementId,
    TextIn,
    detail_of,
)
from hikeshi.web.auth import CurrentUser, require_api_user
from hikeshi.web.schemas import ErrorBody
from hikeshi.web.views import statements as actions

router = APIRouter(tags=["声明"])
Viewer = Annotated[CurrentUser, Depends(require_api_user(Role.VIEWER))]
Analyst = Annotated[CurrentUser, Depends(require_api_user(Role.ANALYST))]

MISSING: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "インシデント・声明・ポジションペーパーがない"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    **MISSING,
    409: {
        "model": ErrorBody,
        "description": "今の状態ではできない（承認待ちでない、公表済み）か、ほかの人が先に変更した",
    },
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    **REFUSED,
    403: {"model": ErrorBody, "description": "この人には承認・公表の権限がない"},
}


def statement_store(store: StoreDep) -> StatementStore:
    return StatementStore(store)


Statements = Annotated[StatementStore, Depends(statement_store)]


@contextmanager
def library_errors() -> Iterator[None]:
    """404 and 409 pass to the app's handlers; any other refusal of the library is input it cannot take (422)."""
    try:
        yield
    except (NotFoundError, ConflictError):
        raise
    except HikeshiError as refused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(refused)) from None


# --- the linter -------------------------------------------------------------------------------------------------


@router.post(
    "/statements/lint",
    summary="声明文の文面チェック（分析担当以上）",
    description="`hikeshi statement lint --jsonl` の 1 行と同じ入力を受け取り、同じ形の結果を返します。",
    responses=MISSING,
)
def lint_statement(body: LintIn, _user: Analyst, statements: Statements) -> LintOut:
    with library_errors():
        facts = actions.lint_facts(statements, body.facts, body.facts_version)
        result = actions.lint(body.text, body.kind, facts)
    return LintOut.model_validate(actions.lint_payload(body.id, result))


# --- the position paper -------------------------------------------------------------------------------------------


@router.get(
    "/incidents/{incident_id}/paper",
    summary="ポジションペーパー（最新版、または指定の版）",
    responses=MISSING,
)
def get_paper(
    incident_id: IncidentId,
    _user: Viewer,
    statements: Statements,
    version: Annotated[int | None, Query(ge=1, le=MAX_ID, description="版（省略時は最新版）")] = None,
) -> PaperVersion:
    return statements.paper(incident_id, version)


@router.get("/incidents/{incident_id}/papers", summary="ポジションペーパーのすべての版", responses=MISSING)
def list_papers(incident_id: IncidentId, _user: Viewer, statements: Statements) -> list[PaperVersion]:
    return statements.papers(incident_id)


@router.put(
    "/incidents/{incident_id}/paper",
    summary="ポジションペーパーを新しい版として保存する（分析担当以上）",
    description="保存するたびに版が 1 つ増え、インシデントのタイムラインに記録されます。",
    responses=MISSING,
)
def put_paper(
    incident_id: IncidentId, body: PositionPaper, user: Analyst, statements: Statements
) -> PaperVersion:
    with library_errors():
        paper = body.model_copy(update={"incident_id": incident_id})
        return statements.save_paper(incident_id, paper, user.name)


# --- statements -----------------------------------------------------------------------------------------------


@router.get("/incidents/{incident_id}/statements", summary="インシデントの声明の一覧", responses=MISSING)
def list_statements(incident_id: IncidentId, _user: Viewer, statements: Statements) -> list[Statement]:
    return statements.list(incident_id)


@router.post(
    "/incidents/{incident_id}/statements",
    summary="ポジションペーパーから下書きを作る（分析担当以上）",
    description="ポジションペーパーがまだなければ 404 です。下書きは文面チェック済みで保存されます。",
    status_code=status.HTTP_201_CREATED,
    responses=MISSING,
)
def draft_statement(
    incident_id: IncidentId, body: DraftIn, user: Analyst, statements: Statements, settings: SettingsDep
) -> Statement:
    with library_errors():
        return actions.draft_statement(
            statements, settings, incident_id, body.kind, user.name, paper_version=body.paper_version
        )


@router.get("/statements/{statement_id}", summary="声明（すべての版つき）", responses=MISSING)
def get_statement(statement_id: StatementId, _user: Viewer, statements: Statements) -> StatementDetail:
    return detail_of(statements.get(statement_id), statements.versions(statement_id))


@router.put(
    "/statements/{statement_id}",
    summary="本文を新しい版にする（分析担当以上）",
    description="承認待ち・承認済みの声明は下書きに戻ります。公表済みは 409（訂正は新しい声明で）。",
    responses=REFUSED,
)
def put_text(statement_id: StatementId, body: TextIn, user: Analyst, statements: Statements) -> Statement:
    with library_errors():
        current = statements.get(statement_id)
        if current.status != StatementStatus.PUBLISHED and actions.unchanged(current, body.text, body.title):
            return current
        return actions.revise_statement(
            statements, statement_id, body.text, user.name, title=body.title, note=body.note
        )


@router.post(
    "/statements/{statement_id}/submit", summary="確認（承認待ち）に回す（分析担当以上）", responses=REFUSED
)
def submit(statement_id: StatementId, user: Analyst, statements: Statements) -> Statement:
    with library_errors():
        return approval.submit(statements, statement_id, user.name)


@router.post(
    "/statements/{statement_id}/approve",
    summary="承認する（管理者か、インシデントの経営の担当）",
    description="文面チェックが「危険」なら override_reason が要ります（ないと 409）。",
    responses=FORBIDDEN,
)
def approve(
    statement_id: StatementId, user: Viewer, statements: Statements, body: ApproveIn | None = None
) -> Statement:
    with library_errors():
        _require_approver(statements, statement_id, user)
        reason = body.override_reason if body else None
        return approval.approve(statements, statement_id, actions.approver_of(user), override_reason=reason)


@router.post(
    "/statements/{statement_id}/send-back",
    summary="下書きに差し戻す（管理者か、インシデントの経営の担当）",
    responses=FORBIDDEN,
)
def send_back(statement_id: StatementId, body: SendBackIn, user: Viewer, statements: Statements) -> Statement:
    with library_errors():
        _require_approver(statements, statement_id, user)
        return approval.send_back(statements, statement_id, user.name, body.reason)


@router.post(
    "/statements/{statement_id}/publish",
    summary="公表を記録する（管理者か、インシデントの広報の担当）",
    description="承認済みの声明だけ公表できます。チャネルごとにタイムラインに記録されます（X とウェブサイトなど）。",
    responses=FORBIDDEN,
)
def publish(statement_id: StatementId, body: PublishIn, user: Analyst, statements: Statements) -> Statement:
    with library_errors():
        incident = statements.incidents.get(statements.get(statement_id).incident_id)
        if not actions.may_publish(incident, user):
            raise HTTPException(status.HTTP_403_FORBIDDEN, actions.publish_refusal(incident, user))
        return approval.publish(statements, statement_id, body.channel, user.name, at=body.at)


def _require_approver(statements: StatementStore, statement_id: int, user: CurrentUser) -> None:
    incident = statements.incidents.get(statements.get(statement_id).incident_id)
    if not actions.may_approve(incident, user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, actions.approve_refusal(incident, user))


# --- the call centre's inquiries ----------------------------------------------------------------------------------


@router.get("/incidents/{incident_id}/inquiries", summary="問い合わせ記録", responses=MISSING)
def list_inquiries(incident_id: IncidentId, _user: Viewer, statements: Statements) -> list[Inquiry]:
    return statements.inquiries(incident_id)


@router.post(
    "/incidents/{incident_id}/inquiries",
    summary="問い合わせを 1 件記録する（分析担当以上）",
    status_code=status.HTTP_201_CREATED,
    responses=MISSING,
)
def add_inquiry(incident_id: IncidentId, body: InquiryIn, user: Analyst, statements: Statements) -> Inquiry:
    inquiry = Inquiry(
        at=body.at or utc_now(),
        channel=body.channel,
        caller=body.caller,
        question=body.question.strip(),
        answer=(body.answer or "").strip() or None,
        repeat=body.repeat,
        escalated=body.escalated,
        logged_by=user.name,
    )
    with library_errors():
        return statements.add_inquiry(incident_id, inquiry)
