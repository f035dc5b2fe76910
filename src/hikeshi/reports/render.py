"""The reports' Jinja2 environment: templates under `reports/templates`, autoescaped, with display filters.

Autoescape is on for every template whatever its name: post texts, authors and URLs come from anyone on the
internet, and a report is opened in a browser and printed by Chromium. Charts arrive as `Markup` built by
`hikeshi.reports.charts`, which escapes every text it draws, so no template needs `|safe`.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import jinja2

from hikeshi.reports.metrics import format_minutes
from hikeshi.timezones import JST

WEEKDAYS = "月火水木金土日"


def jst(moment: dt.datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A time as a Japanese reader expects it: Japan time, 「—」 when unknown."""
    if moment is None:
        return "—"
    return moment.astimezone(JST).strftime(pattern)


def jst_short(moment: dt.datetime | None) -> str:
    """「3/12(木) 21:13」: enough for a timeline within one flame."""
    if moment is None:
        return "—"
    local = moment.astimezone(JST)
    return f"{local.month}/{local.day}({WEEKDAYS[local.weekday()]}) {local:%H:%M}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def number(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 10_000:
        return f"{value / 10_000:.1f}万".replace(".0万", "万")
    return f"{value:,.0f}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hikeshi.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(jst=jst, jst_short=jst_short, minutes=format_minutes, percent=percent, number=number)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
