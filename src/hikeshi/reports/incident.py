"""The incident report: what happened, how fast the team answered, and what the statements did.

SCENARIO.md, day 3–4: 「The incident report (PDF, Japanese, charts with signals and statements marked, angles,
spread, timeline, tasks, evidence) goes to the executives」. `build_incident_report` gathers everything into
one view model; `render_incident_html` and `render_incident_pdf` only lay it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from hikeshi.records import SIGNAL_KIND_LABELS, Signal, SignalKind
from hikeshi.reports.charts import Marker, negativity_chart, volume_chart
from hikeshi.reports.fit import statement_fits
from hikeshi.reports.metrics import response_metrics
from hikeshi.reports.pdf import html_to_pdf
from hikeshi.reports.records import PostGroup, ResponseMetrics, SpreadView, StatementFit
from hikeshi.reports.render import jst_short, render
from hikeshi.reports.spread import signal_evidence, spread_view
from hikeshi.respond.evidence import Evidence, EvidenceStore
from hikeshi.respond.incidents.records import ROLE_LABELS, EventKind, Incident, IncidentEvent, Task
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store
from hikeshi.store.queries import post_timeseries
from hikeshi.timezones import utc_now

CHART_BEFORE = dt.timedelta(hours=12)  # the usual level before the onset, for comparison
CHART_AFTER = dt.timedelta(hours=6)
MAX_BARS = 120
BUCKET_HOURS = (1, 2, 3, 6, 12, 24)
ANGLE_POSTS = 2
ANGLE_TERM_POSTS = 30  # the report shows two posts per angle: the thirty seen most per term are plenty


@dataclass(frozen=True)
class NumberedSignal:
    """A signal of the incident with the number that marks it on the charts."""

    number: int
    signal: Signal

    @property
    def kind_label(self) -> str:
        return SIGNAL_KIND_LABELS.get(self.signal.kind, self.signal.kind.value)


@dataclass(frozen=True)
class AngleChange:
    """A new_angle signal with the posts that show the new terms."""

    signal: NumberedSignal
    posts: list[PostGroup]


@dataclass(frozen=True)
class TaskLine:
    task: Task
    state: str  # done, overdue, open

    @property
    def state_label(self) -> str:
        return {"done": "完了", "overdue": "期限切れ", "open": "未完了"}[self.state]


@dataclass(frozen=True)
class IncidentReport:
    incident: Incident
    generated_at: dt.datetime
    roles: list[tuple[str, str]]
    metrics: ResponseMetrics
    bucket_label: str
    volume_chart: Markup
    negativity_chart: Markup
    signals: list[NumberedSignal]
    statements: list[IncidentEvent]
    fits: list[StatementFit]
    angles: list[AngleChange]
    spread: SpreadView
    events: list[IncidentEvent]
    tasks: list[TaskLine]
    evidence: list[Evidence]


def incident_signals(store: Store, incident: Incident, events: list[IncidentEvent]) -> list[Signal]:
    """The stored signals that joined this incident's timeline (matched on kind and window start)."""
    joined = {
        (str(event.data.get("kind")), str(event.data.get("window_start")))
        for event in events
        if event.kind == EventKind.SIGNAL
    }
    return [
        signal
        for signal in store.list_signals(incident.watch)
        if (signal.kind.value, signal.window_start.isoformat()) in joined
    ]


def chart_period(
    incident: Incident, last_post_at: dt.datetime | None, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime, int]:
    """From half a day before the onset to a few hours after calm (or the latest post), in ≤ MAX_BARS bars."""
    start = (incident.onset_at or incident.opened_at) - CHART_BEFORE
    end = incident.calmed_at or incident.closed_at or last_post_at or now
    end = max(end, incident.opened_at) + CHART_AFTER
    if last_post_at is not None:
        end = min(end, max(last_post_at, incident.opened_at) + CHART_AFTER)
    hours = (end - start).total_seconds() / 3600
    bucket = next((h for h in BUCKET_HOURS if hours / h <= MAX_BARS), BUCKET_HOURS[-1])
    return start, end, bucket * 3600


def build_incident_report(
    store: Store, incident_id: int, *, now: dt.datetime | None = None
) -> IncidentReport:
    now = now or utc_now()
    incidents = IncidentStore(store)
    detail = incidents.detail(incident_id)
    incident, events = detail.incident, detail.events
    signals = incident_signals(store, incident, events)
    numbered = [NumberedSignal(number, signal) for number, signal in enumerate(signals, start=1)]
    statements = [event for event in events if event.kind == EventKind.STATEMENT]
    markers = [
        Marker(
            at=item.signal.detected_at,
            label=str(item.number),
            severity=item.signal.severity,
            title=f"{item.number}. {item.kind_label}（深刻度 {item.signal.severity}）{jst_short(item.signal.detected_at)}",
        )
        for item in numbered
    ]
    markers += [Marker(at=event.at, label="声明", title=event.summary) for event in statements]
    last_post_at = store.watch_summary(incident.watch).last_post_at
    start, end, bucket_seconds = chart_period(incident, last_post_at, now)
    series = post_timeseries(store, incident.watch, bucket_seconds, since=start, until=end)
    bucket = dt.timedelta(seconds=bucket_seconds)
    bucket_label = f"{bucket_seconds // 3600} 時間ごと"
    angle_signals = [item for item in numbered if item.signal.kind == SignalKind.NEW_ANGLE]
    return IncidentReport(
        incident=incident,
        generated_at=now,
        roles=[(label, incident.roles.get(role.value, "未定")) for role, label in ROLE_LABELS.items()],
        metrics=response_metrics(incident, events),
        bucket_label=bucket_label,
        volume_chart=volume_chart(
            series.buckets, bucket, markers, f"{incident.watch}の投稿数の推移（{bucket_label}）"
        ),
        negativity_chart=negativity_chart(
            series.buckets, bucket, markers, f"{incident.watch}の否定的な投稿の割合の推移（{bucket_label}）"
        ),
        signals=numbered,
        statements=statements,
        fits=statement_fits(store, events, incident.watch, signals=signals),
        angles=[
            AngleChange(
                item, signal_evidence(store, item.signal, limit=ANGLE_POSTS, per_term=ANGLE_TERM_POSTS)
            )
            for item in angle_signals
        ],
        spread=spread_view(store, incident, signals=signals, now=now),
        events=events,
        tasks=[
            TaskLine(task, "done" if task.done else "overdue" if task.overdue(now) else "open")
            for task in detail.tasks
        ],
        evidence=EvidenceStore(store).list(incident_id),
    )


def render_incident_html(store: Store, incident_id: int, *, now: dt.datetime | None = None) -> str:
    """The incident report as one self-contained HTML page (no scripts, no external files)."""
    return render("incident.html", report=build_incident_report(store, incident_id, now=now))


def render_incident_pdf(store: Store, incident_id: int, *, now: dt.datetime | None = None) -> bytes:
    """The incident report as a PDF with selectable Japanese text (WeasyPrint prints the same HTML)."""
    return html_to_pdf(render_incident_html(store, incident_id, now=now))
