"""The incident room's evidence forms and downloads: capture (a post, a page, the top N), the evidence ZIP and
the report (HTML, PDF).

The same library calls as /api/incidents/{id}/evidence and /report (`hikeshi.web.api.incident_files`). Capturing
and exporting need an analyst and a CSRF token (both write the custody log); the report is for every reader.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, status
from fastapi.responses import Response
from pydantic import ValidationError

from hikeshi.errors import HikeshiError, NotFoundError
from hikeshi.web.api.incident_bodies import CapturePost, CaptureTop, CaptureUrl
from hikeshi.web.api.incident_files import ReportFormat, capture, export_file, report_response
from hikeshi.web.auth import settings_of, verify_csrf
from hikeshi.web.pages_incidents import IncidentId, change, room_page
from hikeshi.web.pages_support import Analyst, Viewer, store_of

router = APIRouter(include_in_schema=False)


@router.post("/incidents/{incident_id}/evidence", dependencies=[Depends(verify_csrf)])
def capture_evidence(
    request: Request,
    incident_id: IncidentId,
    user: Analyst,
    post_key: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    top: Annotated[str, Form()] = "",
) -> Response:
    """One of the three capture buttons: the form sends exactly one of post_key, url and top."""
    try:
        body: CapturePost | CaptureUrl | CaptureTop
        if top.strip():
            body = CaptureTop(top=int(top) if top.strip().isdigit() else 0)
        elif url.strip():
            body = CaptureUrl(url=url.strip())
        else:
            body = CapturePost(post_key=post_key.strip())
    except ValidationError:
        return room_page(
            request,
            user,
            incident_id,
            error="保全の指定が正しくありません。投稿のキー（例: x:1234567890）、http(s) の URL、または件数（1〜100）を入れてください。",
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    store, settings = store_of(request), settings_of(request)
    return change(
        request, user, incident_id, lambda: capture(store, settings, incident_id, body, user.name), "evidence"
    )


@router.post("/incidents/{incident_id}/evidence/export", dependencies=[Depends(verify_csrf)])
def export_evidence(request: Request, incident_id: IncidentId, user: Analyst) -> Response:
    try:
        return export_file(store_of(request), incident_id, user.name)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    except HikeshiError as refused:
        return room_page(request, user, incident_id, error=str(refused), status_code=422)


@router.get("/incidents/{incident_id}/report")
def download_report(
    request: Request,
    incident_id: IncidentId,
    _user: Viewer,
    requested: Annotated[str, Query(alias="format")] = "html",
) -> Response:
    try:
        chosen = ReportFormat(requested)
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "報告書の形式は html か pdf です。") from None
    try:
        return report_response(store_of(request), incident_id, chosen)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
