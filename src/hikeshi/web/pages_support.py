"""What every HTML page shares: the template filters, the role dependencies and one way to render.

The templates are the app's (`hikeshi.web.app.templates`, autoescaped, StrictUndefined); the filters added here
format times in the watch's zone, numbers, URL path segments, and turn a post's URL into a link only when it
is http(s).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response

from hikeshi.report.explorer import SENTIMENT_LABELS
from hikeshi.report.highlight import safe_url
from hikeshi.report.signals import LEVEL_LABELS, kind_label, metric_label, metric_value, signal_epoch
from hikeshi.store import Store
from hikeshi.store.accounts import Role
from hikeshi.store.convert import sentiment_label
from hikeshi.timezones import JST
from hikeshi.web.app import templates
from hikeshi.web.auth import CurrentUser, require_page_user

Viewer = Annotated[CurrentUser, Depends(require_page_user(Role.VIEWER))]
Analyst = Annotated[CurrentUser, Depends(require_page_user(Role.ANALYST))]
Admin = Annotated[CurrentUser, Depends(require_page_user(Role.ADMIN))]


def local_time(moment: dt.datetime | None, zone: dt.tzinfo | None = None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if moment is None:
        return "—"
    return moment.astimezone(zone or JST).strftime(fmt)


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def path_segment(value: str) -> str:
    """A watch name as one URL path segment (「/」 and 「?」 included)."""
    return quote(value, safe="")


templates.env.filters.update(
    local_time=local_time,
    safe_url=safe_url,
    path=path_segment,
    num=number,
    kind_label=kind_label,
    metric_label=metric_label,
)
templates.env.globals.update(
    sentiment_label=sentiment_label,
    metric_value=metric_value,
    signal_epoch=signal_epoch,
    LEVEL_LABELS=LEVEL_LABELS,
    SENTIMENT_LABELS=SENTIMENT_LABELS,
)


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def render(
    request: Request, template: str, user: CurrentUser, context: dict[str, Any], status_code: int = 200
) -> Response:
    """The template with the signed-in user (for the navigation) and its own name (to mark the current tab)."""
    return templates.TemplateResponse(
        request, template, {"user": user, "nav": template, **context}, status_code=status_code
    )
