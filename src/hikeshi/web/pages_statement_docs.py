"""The 想定問答 and call-centre script pages of an incident, and the form that logs a call.

Both are rendered from the incident's latest position paper and its inquiry log by the library (`build_qa`,
`render_template`), with the negative list kept out as in every draft (`redact_negative`), so what the call
centre reads on screen or on paper is what a stored draft would say. A logged question the Q&A does not answer
yet appears at once in 聞かれたら言う, marked for the team to complete. Viewers read and print; analysts log calls.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from hikeshi.errors import HikeshiError, NotFoundError
from hikeshi.respond.statements.drafts import redact_negative, render_template
from hikeshi.respond.statements.inquiries import parse_time
from hikeshi.respond.statements.markup import parse
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.qa import BUCKET_LABELS, FRAME_LABELS, TOPIC_LABELS, QAEntry, build_qa
from hikeshi.respond.statements.records import DraftKind, Inquiry
from hikeshi.respond.statements.store import StatementStore
from hikeshi.store.accounts import Role
from hikeshi.timezones import utc_now
from hikeshi.web.auth import CurrentUser, settings_of, verify_csrf
from hikeshi.web.pages_incidents import IncidentId
from hikeshi.web.pages_support import Analyst, Viewer, render, store_of
from hikeshi.web.views.statements import latest_paper

router = APIRouter(include_in_schema=False)
CHANNELS = {"phone": "電話", "email": "メール", "form": "問い合わせフォーム", "sns": "SNS"}
CALLERS = {"customer": "お客様", "public": "一般の方", "press": "報道", "other": "その他"}
RETURN_PAGES = {"qa": "qa", "script": "call-script"}


def _redacted_qa(paper: PositionPaper, inquiries: list[Inquiry]) -> list[QAEntry]:
    entries = []
    for entry in build_qa(paper, inquiries):
        question, _ = redact_negative(entry.question, paper)
        answer, _ = redact_negative(entry.answer, paper)
        entries.append(entry.model_copy(update={"question": question, "answer": answer}))
    return entries


def _docs_page(
    request: Request,
    user: CurrentUser,
    incident_id: int,
    template: str,
    *,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    statements = StatementStore(store_of(request))
    try:
        incident = statements.incidents.get(incident_id)
        inquiries = statements.inquiries(incident_id)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    found = latest_paper(statements, incident_id)
    context: dict[str, object] = {
        "incident": incident,
        "paper_version": found[1] if found else None,
        "inquiries": list(reversed(inquiries)),
        "channels": CHANNELS,
        "callers": CALLERS,
        "message": message,
        "error": error,
        "can_work": user.role.allows(Role.ANALYST),
        "back": "qa" if template == "statement_qa.html" else "script",
        "now": utc_now(),
    }
    if found is not None:
        paper = found[0]
        if template == "statement_qa.html":
            qa = _redacted_qa(paper, inquiries)
            context["groups"] = [
                (bucket, label, [entry for entry in qa if entry.bucket == bucket])
                for bucket, label in BUCKET_LABELS.items()
            ]
            context["topics"] = TOPIC_LABELS
            context["frames"] = FRAME_LABELS
            context["coverage"] = _coverage(qa)
        else:
            try:
                text = render_template(
                    paper,
                    DraftKind.CALL_SCRIPT,
                    inquiries=inquiries,
                    templates_dir=settings_of(request).statement_templates_dir,
                )
            except HikeshiError as broken:
                context["error"] = str(broken)
                text = ""
            context["blocks"] = parse(redact_negative(text, paper)[0])
    return render(request, template, user, context, status_code=status_code)


def _coverage(qa: list[QAEntry]) -> list[tuple[str, list[bool]]]:
    """For each topic of the five the issue names, whether the Q&A covers the past, the present and the future."""
    rows = []
    for topic in ("facts", "risk", "cause", "responsibility", "prevention"):
        frames = {entry.frame for entry in qa if entry.topic == topic}
        rows.append((TOPIC_LABELS[topic], [frame in frames for frame in FRAME_LABELS]))
    return rows


@router.get("/incidents/{incident_id}/qa", response_class=HTMLResponse)
def qa_page(request: Request, incident_id: IncidentId, user: Viewer, done: str = "") -> Response:
    message = (
        "問い合わせを記録しました。想定問答にない質問は「聞かれたら言う」に加わります。" if done else None
    )
    return _docs_page(request, user, incident_id, "statement_qa.html", message=message)


@router.get("/incidents/{incident_id}/call-script", response_class=HTMLResponse)
def script_page(request: Request, incident_id: IncidentId, user: Viewer, done: str = "") -> Response:
    message = "問い合わせを記録しました。" if done else None
    return _docs_page(request, user, incident_id, "statement_script.html", message=message)


@router.post("/incidents/{incident_id}/inquiries", dependencies=[Depends(verify_csrf)])
def log_inquiry(
    request: Request,
    incident_id: IncidentId,
    user: Analyst,
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "phone",
    caller: Annotated[str, Form()] = "customer",
    at: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "",
    escalated: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "qa",
) -> Response:
    """One call logged on the incident; back to the page it came from (the Q&A or the script)."""
    page = RETURN_PAGES.get(back, "qa")
    template = "statement_qa.html" if page == "qa" else "statement_script.html"
    try:
        when = parse_time(at) if at.strip() else utc_now()
        inquiry = Inquiry(
            at=when,
            channel=channel if channel in CHANNELS else "phone",
            caller=caller if caller in CALLERS else "customer",
            question=question.strip(),
            answer=answer.strip() or None,
            repeat=bool(repeat),
            escalated=bool(escalated),
            logged_by=user.name,
        )
        StatementStore(store_of(request)).add_inquiry(incident_id, inquiry)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    except (ValidationError, ValueError, HikeshiError) as refused:
        message = (
            "ご質問を書いてください（2,000 文字以内）。回答は 4,000 文字以内です。"
            if isinstance(refused, ValidationError)
            else "受けた日時が読めません（2026-03-14 10:05 のように）。"
            if isinstance(refused, ValueError)
            else str(refused)
        )
        return _docs_page(
            request,
            user,
            incident_id,
            template,
            error=message,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    return RedirectResponse(
        f"/incidents/{incident_id}/{page}?done=inquiry#inquiries", status_code=status.HTTP_303_SEE_OTHER
    )
