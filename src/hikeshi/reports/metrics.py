"""Response metrics: time from a flame's onset to detection, to opening, to the first statement and to calm.

These are the figures a company keeps for its yearly review (SCENARIO.md: 「Time to detect, to open, to the first
statement and to calm are kept for the yearly report」). Drills replay the same story on purpose, so they are
left out of every aggregate: a drill that detects in six minutes must not flatter the real record.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from hikeshi.reports.records import AggregateMetrics, MetricSummary, ResponseMetrics
from hikeshi.respond.incidents.records import EventKind, Incident, IncidentEvent
from hikeshi.respond.incidents.store import IncidentStore


def first_statement_at(events: Iterable[IncidentEvent]) -> IncidentEvent | None:
    """The earliest statement on the timeline (the timeline is in event order; ties by recording)."""
    statements = [event for event in events if event.kind == EventKind.STATEMENT]
    return min(statements, key=lambda event: (event.at, event.id), default=None)


def response_metrics(incident: Incident, events: Sequence[IncidentEvent]) -> ResponseMetrics:
    """The spans of one incident from its record and its timeline (pure: no database)."""
    statement = first_statement_at(events)
    return ResponseMetrics(
        incident_id=incident.id,
        watch=incident.watch,
        drill=incident.drill,
        onset_at=incident.onset_at,
        detected_at=incident.first_signal_at,
        opened_at=incident.opened_at,
        first_statement_at=statement.at if statement is not None else None,
        calmed_at=incident.calmed_at,
    )


def incident_metrics(incidents: IncidentStore, incident_id: int) -> ResponseMetrics:
    incident = incidents.get(incident_id)
    return response_metrics(incident, incidents.events(incident_id, kinds=[EventKind.STATEMENT]))


def _summary(values: Iterable[float | None]) -> MetricSummary:
    present = [value for value in values if value is not None]
    if not present:
        return MetricSummary(count=0)
    return MetricSummary(
        count=len(present), median_minutes=statistics.median(present), max_minutes=max(present)
    )


def aggregate(metrics: Iterable[ResponseMetrics]) -> AggregateMetrics:
    """Median and worst of each span over real incidents; drills are dropped here, whoever passed them in."""
    real = [metric for metric in metrics if not metric.drill]
    return AggregateMetrics(
        incidents=len(real),
        to_detect=_summary(metric.minutes_to_detect for metric in real),
        to_open=_summary(metric.minutes_to_open for metric in real),
        to_statement=_summary(metric.minutes_to_statement for metric in real),
        to_calm=_summary(metric.minutes_to_calm for metric in real),
    )


def format_minutes(minutes: float | None) -> str:
    """「1 時間 8 分」, 「2 日 3 時間」: how a Japanese reader says a span (「—」 when there is none)."""
    if minutes is None:
        return "—"
    if minutes < 0:
        return f"−{format_minutes(-minutes)}"
    total = round(minutes)
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} 日 {hours} 時間" if hours else f"{days} 日"
    if hours:
        return f"{hours} 時間 {mins} 分" if mins else f"{hours} 時間"
    return f"{mins} 分"
