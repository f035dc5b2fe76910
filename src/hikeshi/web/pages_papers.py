"""The position paper page of an incident: the form, its versions, and YAML upload and download.

Saving makes one library call (`StatementStore.save_paper`), which stores a new version and writes the incident's
timeline entry. A refused form is shown again with every value typed and each error beside its field (422); a
refused YAML file names its line. Viewers read; analysts save.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hikeshi.errors import ConfigError, HikeshiError, NotFoundError
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.statements.papers import (
    MAX_PAPER_BYTES,
    PositionPaper,
    paper_from_yaml_text,
    paper_to_yaml,
)
from hikeshi.respond.statements.store import StatementStore
from hikeshi.store.accounts import Role
from hikeshi.timezones import utc_now
from hikeshi.web.auth import CurrentUser, verify_csrf
from hikeshi.web.pages_incidents import IncidentId
from hikeshi.web.pages_support import Analyst, Viewer, render, store_of
from hikeshi.web.views.paper_fields import GROUPS
from hikeshi.web.views.papers import (
    MORE_ROWS,
    PaperForm,
    form_rows,
    paper_form,
    sent_rows,
    validate_form,
)

router = APIRouter(include_in_schema=False)
csrf = [Depends(verify_csrf)]
SKIPPED_FIELDS = frozenset({"csrf_token", "action"})
DONE_MESSAGES = {"saved": "ポジションペーパーを新しい版として保存しました（タイムラインに記録しました）。"}


async def form_values(request: Request) -> dict[str, str]:
    """Every text input of the posted form by name (the CSRF token and the button left out)."""
    form = await request.form()
    return {
        name: value
        for name, value in form.multi_items()
        if isinstance(value, str) and name not in SKIPPED_FIELDS
    }


FormValues = Annotated[dict[str, str], Depends(form_values)]


def paper_page(
    request: Request,
    user: CurrentUser,
    incident_id: int,
    form: PaperForm | None = None,
    *,
    version: int | None = None,
    message: str | None = None,
    yaml_error: str | None = None,
    yaml_text: str = "",
    status_code: int = 200,
) -> Response:
    """The page; the form shows `form` (a refused one), else the paper of `version` (latest when None)."""
    statements = StatementStore(store_of(request))
    try:
        incident = IncidentStore(store_of(request)).get(incident_id)
        versions = statements.papers(incident_id)
        shown = next((v for v in versions if v.version == version), None) if version else None
        if version is not None and shown is None:
            raise NotFoundError(
                f"インシデント {incident_id} にポジションペーパー第 {version} 版はありません。"
            )
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    source = shown or (versions[-1] if versions else None)
    if form is None:
        paper = PositionPaper.model_validate(source.body) if source else None
        form = paper_form(paper, title=incident.title, now=utc_now())
    return render(
        request,
        "paper.html",
        user,
        {
            "incident": incident,
            "versions": list(reversed(versions)),
            "latest": versions[-1].version if versions else None,
            "shown": shown.version if shown else None,
            "form": form,
            "groups": GROUPS,
            "message": message,
            "yaml_error": yaml_error,
            "yaml_text": yaml_text,
            "can_work": user.role.allows(Role.ANALYST),
        },
        status_code=status_code,
    )


@router.get("/incidents/{incident_id}/paper", response_class=HTMLResponse)
def paper_view(
    request: Request, incident_id: IncidentId, user: Viewer, version: int | None = None, done: str = ""
) -> Response:
    return paper_page(request, user, incident_id, version=version, message=DONE_MESSAGES.get(done))


@router.post("/incidents/{incident_id}/paper", dependencies=csrf)
def paper_save(
    request: Request,
    incident_id: IncidentId,
    user: Analyst,
    values: FormValues,
    action: Annotated[str, Form()] = "save",
) -> Response:
    if action == "rows":
        form = PaperForm(values=values, rows=form_rows(values, extra=MORE_ROWS), sent=sent_rows(values))
        return paper_page(
            request, user, incident_id, form, message="空き行を増やしました（まだ保存していません）。"
        )
    paper, form = validate_form(values, incident_id)
    if paper is None:
        return paper_page(request, user, incident_id, form, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    try:
        StatementStore(store_of(request)).save_paper(incident_id, paper, user.name)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    except HikeshiError as refused:
        form.summary.append(str(refused))
        return paper_page(request, user, incident_id, form, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    return RedirectResponse(
        f"/incidents/{incident_id}/paper?done=saved", status_code=status.HTTP_303_SEE_OTHER
    )


@router.post("/incidents/{incident_id}/paper/yaml", dependencies=csrf)
def paper_upload(
    request: Request,
    incident_id: IncidentId,
    user: Analyst,
    file: Annotated[UploadFile | None, File()] = None,
    yaml_text: Annotated[str, Form()] = "",
) -> Response:
    """A YAML file (or pasted YAML) saved as the next version, exactly as written (it is kept as the source)."""
    name = "貼り付けた YAML"
    source = yaml_text
    try:
        if file is not None and file.filename:
            name = file.filename
            content = file.file.read(MAX_PAPER_BYTES + 1)
            if len(content) > MAX_PAPER_BYTES:
                raise ConfigError(name, None, f"大きすぎます（上限 {MAX_PAPER_BYTES:,} バイト）。")
            try:
                source = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ConfigError(name, None, "UTF-8 として読めません。UTF-8 で保存してください。") from None
        paper = paper_from_yaml_text(source, name)
        paper = paper.model_copy(update={"incident_id": incident_id})
        StatementStore(store_of(request)).save_paper(incident_id, paper, user.name, source=source)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    except HikeshiError as refused:
        return paper_page(
            request,
            user,
            incident_id,
            yaml_error=str(refused),
            yaml_text=source[:MAX_PAPER_BYTES],
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    return RedirectResponse(
        f"/incidents/{incident_id}/paper?done=saved", status_code=status.HTTP_303_SEE_OTHER
    )


@router.get("/incidents/{incident_id}/paper.yaml")
def paper_download(
    request: Request, incident_id: IncidentId, _user: Viewer, version: int | None = None
) -> Response:
    """The paper as YAML (the uploaded file as written, or the saved form written out), to edit and upload again."""
    try:
        saved = StatementStore(store_of(request)).paper(incident_id, version)
    except NotFoundError as missing:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(missing)) from None
    body = saved.source or paper_to_yaml(PositionPaper.model_validate(saved.body))
    filename = f"hikeshi-incident-{incident_id}-position-paper-v{saved.version}.yaml"
    return Response(
        body,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
