"""The weekly report across watches: volume, negativity, signals, incidents and response times.

One page a 広報 manager reads on Monday: per company or brand, how much was said, how negative it was, what
the detectors raised, which incidents opened and closed, and how fast the team answered. Drills are left out
everywhere, so a week of training does not look like a week of flames.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from hikeshi.errors import InputError
from hikeshi.records import SIGNAL_KIND_LABELS, Signal
from hikeshi.reports.charts import sparkline
from hikeshi.reports.metrics import aggregate, response_metrics
from hikeshi.reports.pdf import html_to_pdf
from hikeshi.reports.queries import window_counts
from hikeshi.reports.records import AggregateMetrics, ResponseMetrics
from hikeshi.reports.render import render
from hikeshi.respond.incidents.records import EventKind, Incident
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store
from hikeshi.store.queries import post_timeseries
from hikeshi.timezones import JST, utc_now

DAY = 86_400


@dataclass(frozen=True)
class WeeklyWatch:
    watch: str
    posts: int
    analyzed: int
    negative: int
    daily_posts: list[int]
    daily_chart: Markup
    signals: list[Signal]
    opened: list[Incident]
    closed: list[Incident]
    metrics: list[ResponseMetrics]
    summary: AggregateMetrics

    @property
    def negativity(self) -> float | None:
        return self.negative / self.analyzed if self.analyzed else None

    @property
    def max_severity(self) -> int:
        return max((signal.severity for signal in self.signals), default=0)

    @property
    def signal_kinds(self) -> str:
        counts = Counter(SIGNAL_KIND_LABELS.get(signal.kind, signal.kind.value) for signal in self.signals)
        return "、".join(f"{label} {count}" for label, count in counts.most_common())


@dataclass(frozen=True)
class WeeklyReport:
    week_start: dt.date
    start: dt.datetime
    end: dt.datetime
    generated_at: dt.datetime
    watches: list[WeeklyWatch]
    overall: AggregateMetrics

    @property
    def last_day(self) -> dt.datetime:
        return self.end - dt.timedelta(days=1)


def week_bounds(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Seven Japanese calendar days from 0:00 JST of `week_start`."""
    start = dt.datetime.combine(week_start, dt.time(), tzinfo=JST)
    return start, start + dt.timedelta(days=7)


def parse_week(value: str) -> dt.date:
    """`--week 2026-03-09` → the date; anything else is a clear Japanese error."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"--week は週の初日を YYYY-MM-DD で指定してください（例: 2026-03-09。指定: {value!r}）。"
        ) from None


def _in(moment: dt.datetime | None, start: dt.datetime, end: dt.datetime) -> bool:
    return moment is not None and start <= moment < end


def _watch_week(
    store: Store, incidents: IncidentStore, watch: str, start: dt.datetime, end: dt.datetime
) -> WeeklyWatch:
    posts, analyzed, negative = window_counts(store, watch, start, end)
    series = post_timeseries(store, watch, DAY, since=start, until=end)
    daily = [bucket.posts for bucket in series.buckets]
    signals = [signal for signal in store.list_signals(watch, since=start) if signal.detected_at < end]
    real = incidents.list_incidents(watch, include_drills=False)
    opened = sorted((i for i in real if _in(i.opened_at, start, end)), key=lambda i: i.opened_at)
    closed = sorted((i for i in real if _in(i.closed_at, start, end)), key=lambda i: i.id)
    metrics = [
        response_metrics(incident, incidents.events(incident.id, kinds=[EventKind.STATEMENT]))
        for incident in opened
    ]
    return WeeklyWatch(
        watch=watch,
        posts=posts,
        analyzed=analyzed,
        negative=negative,
        daily_posts=daily,
        daily_chart=sparkline(daily),
        signals=signals,
        opened=opened,
        closed=closed,
        metrics=metrics,
        summary=aggregate(metrics),
    )


def build_weekly_report(store: Store, week_start: dt.date, *, now: dt.datetime | None = None) -> WeeklyReport:
    start, end = week_bounds(week_start)
    incidents = IncidentStore(store)
    watches = [_watch_week(store, incidents, watch.name, start, end) for watch in store.list_watches()]
    return WeeklyReport(
        week_start=week_start,
        start=start,
        end=end,
        generated_at=now or utc_now(),
        watches=watches,
        overall=aggregate(metric for watch in watches for metric in watch.metrics),
    )


def render_weekly_html(store: Store, week_start: dt.date, *, now: dt.datetime | None = None) -> str:
    return render("weekly.html", report=build_weekly_report(store, week_start, now=now))


def render_weekly_pdf(store: Store, week_start: dt.date, *, now: dt.datetime | None = None) -> bytes:
    return html_to_pdf(render_weekly_html(store, week_start, now=now))
