"""/api/incidents/{id}/evidence and /report: preserve evidence, export it as a ZIP, download the report.

Thin shells over `hikeshi.respond.evidence` (capture, custody log, export) and `hikeshi.reports` (the incident
report as HTML or PDF). Viewers read the evidence list and the report; analysts capture and export (an export
is written to the custody log under their name). A page that cannot be fetched is answered 400 with the reason
(nothing is stored); a PDF without Chromium on the server is answered 503 with what to install.
"""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from hikeshi.reports import PdfUnavailableError, render_incident_html, render_incident_pdf
from hikeshi.respond.evidence import (
    Evidence,
    EvidenceStore,
    capture_post,
    capture_top,
    capture_url,
    export_zip,
)
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import Role
from hikeshi.web.api.common import SettingsDep, StoreDep
from hikeshi.web.api.incident_bodies import CapturePost, CaptureTop, CaptureUrl, EvidenceCapture, IncidentId
from hikeshi.web.auth import CurrentUser, require_api_user
from hikeshi.web.schemas import ErrorBody

router = APIRouter(prefix="/incidents", tags=["インシデント"])
Viewer = Annotated[CurrentUser, Depends(require_api_user(Role.VIEWER))]
Analyst = Annotated[CurrentUser, Depends(require_api_user(Role.ANALYST))]
MISSING: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "インシデントがない"}}


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


def capture(
    store: Store,
    settings: Settings,
    incident_id: int,
    body: CapturePost | CaptureUrl | CaptureTop,
    actor: str,
) -> list[Evidence]:
    """One capture of the three kinds (shared by the API and the incident room's form)."""
    if isinstance(body, CapturePost):
        return capture_post(store, incident_id, body.post_key, actor)
    if isinstance(body, CaptureUrl):
        return capture_url(store, settings, incident_id, body.url, actor, screenshot=body.screenshot)
    return capture_top(store, incident_id, body.top, actor)


def export_file(store: Store, incident_id: int, actor: str) -> FileResponse:
    """The evidence ZIP as a download; the temporary file is removed once it has been sent."""
    handle, name = tempfile.mkstemp(prefix="hikeshi-evidence-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        export_zip(store, incident_id, path, actor)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"hikeshi-incident-{incident_id}-evidence.zip",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


def report_response(store: Store, incident_id: int, chosen: ReportFormat) -> Response:
    """The report as an attachment named after the incident (ASCII, so every browser keeps the name)."""
    filename = f"hikeshi-incident-{incident_id}-report.{chosen.value}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if chosen == ReportFormat.HTML:
        html = render_incident_html(store, incident_id)
        return Response(html, media_type="text/html; charset=utf-8", headers=disposition)
    IncidentStore(store).get(incident_id)  # 404 before starting a browser
    try:
        pdf = render_incident_pdf(store, incident_id)
    except PdfUnavailableError as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(error)) from None
    return Response(pdf, media_type="application/pdf", headers=disposition)


@router.get("/{incident_id}/evidence", summary="保全した証拠の一覧（SHA-256 付き）", responses=MISSING)
def list_evidence(incident_id: IncidentId, _user: Viewer, store: StoreDep) -> list[Evidence]:
    IncidentStore(store).get(incident_id)
    return EvidenceStore(store).list(incident_id)


@router.post(
    "/{incident_id}/evidence",
    summary="証拠を保全する（分析担当以上）",
    description=(
        "`post_key`（保存済みの投稿 1 件）、`url`（ページ: HTML・本文・ヘッダー・スクリーンショット）、`top`"
        "（拡散の大きい投稿の上位 N 件）のどれか 1 つ。保全した証拠をそれぞれの SHA-256 とともに返し、"
        "保全の記録（custody）に残します。ページを取得できなければ 400（何も保存しません）。"
    ),
    status_code=status.HTTP_201_CREATED,
    responses={**MISSING, 404: {"model": ErrorBody, "description": "インシデントまたは投稿がない"}},
)
def capture_evidence(
    incident_id: IncidentId, body: EvidenceCapture, user: Analyst, store: StoreDep, settings: SettingsDep
) -> list[Evidence]:
    return capture(store, settings, incident_id, body, user.name)


@router.get(
    "/{incident_id}/evidence/export",
    summary="証拠を ZIP で書き出す（分析担当以上）",
    description=(
        "成果物・manifest.json（各 SHA-256）・custody.json（保全の記録）・弁護士向けの一覧 CSV を含む ZIP。"
        "`hikeshi evidence verify FILE.zip` で改ざんがないことを確かめられます。書き出しは保全の記録に残ります。"
    ),
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}, "description": "ZIP"}, **MISSING},
)
def export_evidence(incident_id: IncidentId, user: Analyst, store: StoreDep) -> FileResponse:
    return export_file(store, incident_id, user.name)


@router.get(
    "/{incident_id}/report",
    summary="インシデント報告書（HTML または PDF）",
    response_class=Response,
    responses={
        200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "報告書"},
        **MISSING,
        503: {"model": ErrorBody, "description": "PDF を作る Chromium がサーバーにない"},
    },
)
def incident_report(
    incident_id: IncidentId,
    _user: Viewer,
    store: StoreDep,
    requested: Annotated[
        ReportFormat, Query(alias="format", description="html または pdf")
    ] = ReportFormat.HTML,
) -> Response:
    return report_response(store, incident_id, requested)
