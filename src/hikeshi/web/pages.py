"""HTML pages in Japanese: overview, a watch's dashboard, mentions explorer, signal detail and the guard; the
settings pages (`pages_settings`) and the incident pages (`pages_incidents`) are mounted here too.

Each handler translates the request into one call of the library (`hikeshi.report`, `hikeshi.guard`, the
store) and renders a template. Everything from posts, reviews, signal summaries and watch names reaches the
browser through autoescaped templates; chart data goes in as JSON through `|tojson` (which escapes ``<``
``>`` ``&`` ``'``); links are rendered only for http(s) URLs.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import FileResponse, HTMLResponse, Response

from hikeshi.errors import InputError
from hikeshi.guard import CheckContext, check
from hikeshi.guard.lexicon import category_labels
from hikeshi.records import Audience, Channel, SignalKind
from hikeshi.report import dashboard as dashboard_view
from hikeshi.report.explorer import PAGE_SIZE, ExplorerFilters, explore
from hikeshi.report.highlight import highlight_segments
from hikeshi.report.signals import find_signal, neighbours
from hikeshi.reports import signal_evidence
from hikeshi.respond.incidents.manual import incident_for_signal
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store
from hikeshi.store.accounts import Role
from hikeshi.web.auth import CurrentUser, verify_csrf
from hikeshi.web.pages_incident_files import router as incident_files_router
from hikeshi.web.pages_incidents import router as incidents_router
from hikeshi.web.pages_settings import router as settings_router
from hikeshi.web.pages_statements import router as statements_router
from hikeshi.web.pages_support import Analyst, Viewer, local_time, render, store_of
from hikeshi.web.pages_training import router as training_router
from hikeshi.web.views.incidents import open_incidents_by_watch

router = APIRouter(include_in_schema=False)
router.include_router(settings_router)
router.include_router(incidents_router)
router.include_router(incident_files_router)
router.include_router(training_router)
router.include_router(statements_router)
CHANNEL_LABELS = {
    Channel.LINE: "LINE",
    Channel.DM: "DM",
    Channel.EMAIL: "メール",
    Channel.X: "X（旧 Twitter）",
    Channel.INSTAGRAM: "Instagram",
    Channel.REVIEW_REPLY: "口コミへの返信",
    Channel.PRESS: "プレスリリース・公式発表",
}
AUDIENCE_LABELS = {Audience.CUSTOMER: "お客様", Audience.PUBLIC: "一般の人々", Audience.INTERNAL: "社内"}
GUARD_LEVEL_LABELS = {"ok": "問題なし", "caution": "注意", "danger": "危険"}
FINDING_SEVERITY_LABELS = {1: "参考", 2: "要注意", 3: "危険"}
MAX_DRAFT_CHARS = 20_000


def _watch_or_404(store: Store, name: str) -> None:
    if store.find_watch(name) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"ウォッチ「{name}」はありません。")


# --- reading --------------------------------------------------------------------------------------------------


# Watch names may hold any character (「/」 too), so they are matched with the path convertor; the dashboard
# route comes after the longer ones so that …/posts and …/signals/… are not taken for part of a name.


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, user: Viewer) -> Response:
    store = store_of(request)
    return render(
        request,
        "overview.html",
        user,
        {"rows": dashboard_view.overview(store), "incidents": open_incidents_by_watch(store)},
    )


@router.get("/watches/{name:path}/posts", response_class=HTMLResponse)
def explorer_page(
    request: Request,
    name: str,
    user: Viewer,
    q: str = "",
    sentiment: str = "",
    source: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> Response:
    store = store_of(request)
    _watch_or_404(store, name)
    zone = dashboard_view.display_zone(store.get_watch(name))
    filters = ExplorerFilters(
        q=q[:200], sentiment=sentiment, source=source, since=since, until=until, page=page
    )
    error = None
    try:
        result = explore(store, name, filters, zone)
    except InputError as problem:
        error = str(problem)
        result = explore(store, name, ExplorerFilters(), zone)
    query = {key: value for key, value in filters.model_dump().items() if value and key != "page"}
    return render(
        request,
        "posts.html",
        user,
        {
            "name": name,
            "result": result,
            "filters": filters,
            "error": error,
            "zone": zone,
            "query": query,
            "page_size": PAGE_SIZE,
        },
        status_code=422 if error else 200,
    )


@router.get("/watches/{name:path}/signals/{kind}/{epoch}", response_class=HTMLResponse)
def signal_page(request: Request, name: str, kind: str, epoch: int, user: Viewer) -> Response:
    store = store_of(request)
    _watch_or_404(store, name)
    signals = store.list_signals(name)
    signal = find_signal(signals, kind, epoch)
    if signal is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "このシグナルは見つかりません。")
    before, after = neighbours(signals, signal)
    zone = dashboard_view.display_zone(store.get_watch(name))
    window_end = signal.detected_at + dt.timedelta(minutes=1)
    return render(
        request,
        "signal.html",
        user,
        {
            "name": name,
            "signal": signal,
            "groups": signal_evidence(store, signal),
            "before": before,
            "after": after,
            "zone": zone,
            "explore_since": local_time(signal.window_start, zone, "%Y-%m-%dT%H:%M"),
            "explore_until": local_time(window_end, zone, "%Y-%m-%dT%H:%M"),
            "is_alert": signal.kind in (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE),
            "incident": incident_for_signal(IncidentStore(store), signal),
            "can_open_incident": user.role.allows(Role.ADMIN) and signal.kind != SignalKind.CALMED,
        },
    )


@router.get("/watches/{name:path}", response_class=HTMLResponse)
def dashboard_page(request: Request, name: str, user: Viewer, period: str = "") -> Response:
    store = store_of(request)
    _watch_or_404(store, name)
    try:
        chosen = dashboard_view.Period(period) if period else dashboard_view.DEFAULT_PERIOD
    except ValueError:
        chosen = dashboard_view.DEFAULT_PERIOD
    board = dashboard_view.build_dashboard(store, name, chosen)
    return render(
        request,
        "dashboard.html",
        user,
        {
            "board": board,
            "name": name,
            "periods": list(dashboard_view.Period),
            "chart": board.chart.model_dump(mode="json"),
            "bucket_label": dashboard_view.bucket_label(board.bucket),
            "incident": open_incidents_by_watch(store).get(name),
        },
    )


@lru_cache(maxsize=1)
def plotly_js_path() -> Path:
    """plotly.min.js inside the installed `plotly` Python package (its package_data), found once."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


@router.get("/assets/plotly.min.js")
def plotly_js() -> Response:
    """The chart library from the installed `plotly` package (no CDN: the machines have no internet)."""
    return FileResponse(
        plotly_js_path(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
    )


# --- guard ----------------------------------------------------------------------------------------------------


def _guard_page(
    request: Request,
    user: CurrentUser,
    form: dict[str, str],
    result: dict[str, Any] | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "guard.html",
        user,
        {
            "form": form,
            "result": result,
            "channels": CHANNEL_LABELS,
            "audiences": AUDIENCE_LABELS,
            "level_labels": GUARD_LEVEL_LABELS,
            "severity_labels": FINDING_SEVERITY_LABELS,
        },
        status_code=status_code,
    )


@router.get("/guard", response_class=HTMLResponse)
def guard_form(request: Request, user: Analyst) -> Response:
    return _guard_page(request, user, {"text": "", "channel": "", "audience": "", "date": ""}, None)


@router.post("/guard", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def guard_check(
    request: Request,
    user: Analyst,
    text: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "",
    audience: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
) -> Response:
    form = {"text": text, "channel": channel, "audience": audience, "date": date}
    try:
        if not text.strip():
            raise InputError("チェックする文面を入力してください。")
        if len(text) > MAX_DRAFT_CHARS:
            raise InputError(f"文面は {MAX_DRAFT_CHARS:,} 文字以内にしてください。")
        context = CheckContext(
            channel=Channel(channel) if channel else None,
            audience=Audience(audience) if audience else None,
            date=dt.date.fromisoformat(date) if date else None,
        )
    except (InputError, ValueError) as problem:
        message = (
            str(problem)
            if isinstance(problem, InputError)
            else "チャネル・相手・日付の指定が正しくありません。"
        )
        return _guard_page(request, user, form, {"error": message}, status_code=422)
    verdict = check(text, context)
    result = {
        "error": None,
        "verdict": verdict,
        "segments": highlight_segments(text, verdict.findings),
        "categories": category_labels(),
    }
    return _guard_page(request, user, form, result)
