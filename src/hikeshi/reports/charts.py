"""Charts of volume and negativity over time as inline SVG, drawn in Python.

Why SVG from Python: a report goes to executives as a PDF and into an archive, so its charts must render without
JavaScript and without network, print crisply at any size, and keep their Japanese text selectable. Every text
put into the SVG is escaped (a statement's summary is typed by a person; a post is written by anyone), and the
result is a `Markup`, so templates include it without `|safe`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from hikeshi.store.queries import TimeBucket
from hikeshi.timezones import JST

WIDTH, HEIGHT = 760, 230
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 26, 34
FONT = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
SEVERITY_COLOURS = {1: "#7c8da6", 2: "#d9a400", 3: "#e8710a", 4: "#c5221f"}
STATEMENT_COLOUR = "#1a56b0"
BAR, BAR_NEGATIVE, LINE, FAINT = "#c9d3e0", "#d66a5e", "#c5221f", "#b9b9c3"
MIN_SHARE_POSTS = 5


@dataclass(frozen=True)
class Marker:
    """A moment to mark on a chart: a signal (coloured by severity) or a statement."""

    at: dt.datetime
    label: str  # short: 「1」「声明」
    severity: int = 0  # 0 for a statement
    title: str = ""  # longer text for the tooltip


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


class _Frame:
    """Maps times and values to the plot area."""

    def __init__(self, start: dt.datetime, end: dt.datetime, top_value: float) -> None:
        self.start, self.end, self.top_value = start, end, top_value
        self.span = max((end - start).total_seconds(), 1.0)
        self.plot_width = WIDTH - LEFT - RIGHT
        self.plot_height = HEIGHT - TOP - BOTTOM

    def x(self, moment: dt.datetime) -> float:
        return LEFT + (moment - self.start).total_seconds() / self.span * self.plot_width

    def y(self, value: float) -> float:
        return TOP + self.plot_height * (1 - value / self.top_value)


def _axes(frame: _Frame, ticks: Sequence[tuple[float, str]]) -> list[str]:
    parts = []
    for value, label in ticks:
        y = frame.y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e7ee" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{escape(label)}</text>'
        )
    bottom = TOP + frame.plot_height
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#888"/>')
    parts.extend(_time_ticks(frame, bottom))
    return parts


def _time_ticks(frame: _Frame, bottom: float) -> list[str]:
    """Day labels at JST midnight (「3/13」) and, for spans under four days, 12時 in between."""
    parts = []
    hours = frame.span / 3600
    step = 6 if hours <= 48 else 12 if hours <= 96 else 24
    moment = frame.start.astimezone(JST).replace(minute=0, second=0, microsecond=0)
    moment += dt.timedelta(hours=(step - moment.hour % step) % step)
    while moment <= frame.end:
        x = frame.x(moment)
        label = f"{moment.month}/{moment.day}" if moment.hour == 0 else f"{moment.hour}時"
        weight = "bold" if moment.hour == 0 else "normal"
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="#888"/>'
            f'<text x="{x:.1f}" y="{bottom + 17}" text-anchor="middle" font-size="11" font-weight="{weight}" '
            f'fill="#444">{label}</text>'
        )
        if moment.hour == 0:
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom}" stroke="#d5dae2" stroke-dasharray="2,3"/>'
            )
        moment += dt.timedelta(hours=step)
    return parts


def _markers(frame: _Frame, markers: Sequence[Marker]) -> list[str]:
    parts = []
    bottom = TOP + frame.plot_height
    placed: list[float] = []
    for marker in sorted(markers, key=lambda m: m.at):
        if not frame.start <= marker.at <= frame.end:
            continue
        x = frame.x(marker.at)
        colour = SEVERITY_COLOURS.get(marker.severity, STATEMENT_COLOUR)
        dash = ' stroke-dasharray="5,3"' if marker.severity == 0 else ""
        width = 2 if marker.severity in (0, 4) else 1.4
        # Labels that would overlap move down a row, so a burst of signals stays readable.
        row = sum(1 for other in placed if abs(other - x) < 14 + 5 * len(marker.label)) % 3
        placed.append(x)
        label_y = TOP - 8 + row * 12
        parts.append(
            f"<g><title>{escape(marker.title or marker.label)}</title>"
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 4}" y2="{bottom}" stroke="{colour}" '
            f'stroke-width="{width}"{dash} opacity="0.85"/>'
            f'<text x="{x + 2:.1f}" y="{label_y}" font-size="10" font-weight="bold" fill="{colour}">'
            f"{escape(marker.label)}</text></g>"
        )
    return parts


def _svg(body: list[str], description: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(description)}" font-family="{FONT}">' + "".join(body) + "</svg>"
    )


def _span(buckets: Sequence[TimeBucket], bucket: dt.timedelta) -> tuple[dt.datetime, dt.datetime]:
    return buckets[0].start, buckets[-1].start + bucket


def volume_chart(
    buckets: Sequence[TimeBucket], bucket: dt.timedelta, markers: Sequence[Marker], description: str
) -> Markup:
    """Posts per bucket as bars, the negative ones in red at the bottom of each bar, with the markers."""
    if not buckets:
        return _svg([_empty_text()], description)
    start, end = _span(buckets, bucket)
    top = _nice_ceiling(max(b.posts for b in buckets) * 1.05)
    frame = _Frame(start, end, top)
    ticks = [(top * i / 4, f"{top * i / 4:,.0f}") for i in range(5)]
    body = _axes(frame, ticks)
    bar_width = max(frame.plot_width * bucket.total_seconds() / frame.span - 1, 0.8)
    for b in buckets:
        if not b.posts:
            continue
        x = frame.x(b.start)
        body.append(
            f'<rect x="{x:.1f}" y="{frame.y(b.posts):.1f}" width="{bar_width:.1f}" '
            f'height="{frame.y(0) - frame.y(b.posts):.1f}" fill="{BAR}"/>'
        )
        if b.negative:
            body.append(
                f'<rect x="{x:.1f}" y="{frame.y(b.negative):.1f}" width="{bar_width:.1f}" '
                f'height="{frame.y(0) - frame.y(b.negative):.1f}" fill="{BAR_NEGATIVE}"/>'
            )
    body.extend(_markers(frame, markers))
    return _svg(body, description)


def negativity_chart(
    buckets: Sequence[TimeBucket], bucket: dt.timedelta, markers: Sequence[Marker], description: str
) -> Markup:
    """The share of negative posts per bucket (0–100 %) as a line, with the markers.

    A quiet night hour with one post reads 0 % or 100 %, which says nothing; buckets with fewer than
    `MIN_SHARE_POSTS` analysed posts are drawn as faint dots outside the line instead of as jumps.
    """
    if not buckets:
        return _svg([_empty_text()], description)
    start, end = _span(buckets, bucket)
    frame = _Frame(start, end, 1.0)
    body = _axes(frame, [(i / 4, f"{i * 25}%") for i in range(5)])
    segments: list[list[str]] = [[]]
    for b in buckets:
        x = frame.x(b.start + bucket / 2)
        if b.negativity is None or b.analyzed < MIN_SHARE_POSTS:
            if b.negativity is not None:
                body.append(f'<circle cx="{x:.1f}" cy="{frame.y(b.negativity):.1f}" r="1.3" fill="{FAINT}"/>')
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(f"{x:.1f},{frame.y(b.negativity):.1f}")
    for points in segments:
        if len(points) == 1:
            cx, cy = points[0].split(",")
            body.append(f'<circle cx="{cx}" cy="{cy}" r="1.8" fill="{LINE}"/>')
        elif points:
            body.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="1.6" '
                'stroke-linejoin="round"/>'
            )
    body.extend(_markers(frame, markers))
    return _svg(body, description)


def _empty_text() -> str:
    return (
        f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="13" fill="#666">'
        "この期間の投稿はありません</text>"
    )


def sparkline(values: Sequence[int], width: int = 140, height: int = 28) -> Markup:
    """A tiny bar chart of daily posts for the weekly table (no axes: the numbers sit beside it)."""
    top = max(values, default=0) or 1
    bar = width / max(len(values), 1)
    bars = "".join(
        f'<rect x="{i * bar + 1:.1f}" y="{height - value / top * (height - 2):.1f}" width="{bar - 2:.1f}" '
        f'height="{value / top * (height - 2):.1f}" fill="#7c8da6"/>'
        for i, value in enumerate(values)
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="日ごとの投稿数">{bars}</svg>'
    )
