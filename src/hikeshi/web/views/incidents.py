"""The incident list and the incident room as view models (pure reads of `IncidentStore` and `Store`).

The room answers what the on-call 広報 needs on a phone at 23:00: how bad (severity, status), for how long (the
clock since onset), who does what (roles), what is due and what is late (tasks), what happened (timeline, pinned
entries first), how it is moving (the chart of posts and negativity over the incident, with its signals), where
it started and travelled (`hikeshi.reports.spread_view`, the same posts the report shows), and what has been
preserved (`hikeshi.respond.evidence`, with each artefact's SHA-256).
"""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict

from hikeshi.records import Signal
from hikeshi.report.dashboard import ChartData, bucket_label, build_chart, choose_bucket, display_zone
from hikeshi.reports import SpreadView, spread_view
from hikeshi.respond.evidence import Evidence, EvidenceStore
from hikeshi.respond.incidents.records import (
    ROLE_LABELS,
    EventKind,
    Incident,
    IncidentEvent,
    Role,
    Task,
)
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store
from hikeshi.store.queries import post_timeseries

CHART_LEAD = dt.timedelta(hours=6)
"""The chart starts this long before onset, so the usual level before the flame is visible."""
CHART_MAX_SPAN = dt.timedelta(days=14)


class IncidentListItem(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    incident: Incident
    open_tasks: int
    overdue_tasks: int
    zone: dt.timezone


def incident_list(
    store: Store, now: dt.datetime, *, watch: str | None = None, include_drills: bool = False
) -> list[IncidentListItem]:
    """Open incidents first (the most severe, then the newest), then closed ones, newest first."""
    incidents = IncidentStore(store)
    zones: dict[str, dt.timezone] = {}
    items = []
    for incident in incidents.list_incidents(watch, include_drills=include_drills):
        if incident.watch not in zones:
            zones[incident.watch] = display_zone(store.get_watch(incident.watch))
        tasks = incidents.tasks(incident.id)
        items.append(
            IncidentListItem(
                incident=incident,
                open_tasks=sum(1 for task in tasks if not task.done),
                overdue_tasks=sum(1 for task in tasks if task.overdue(now)) if incident.is_open else 0,
                zone=zones[incident.watch],
            )
        )
    return sorted(items, key=_list_order)


def _list_order(item: IncidentListItem) -> tuple[int, int, float]:
    incident = item.incident
    if incident.is_open:
        return (0, -incident.severity, -incident.opened_at.timestamp())
    return (1, 0, -incident.opened_at.timestamp())


def open_incidents_by_watch(store: Store) -> dict[str, Incident]:
    """The newest open (not 終了) real incident of each watch, for the links on the overview and dashboards."""
    found: dict[str, Incident] = {}
    for incident in IncidentStore(store).list_incidents(open_only=True):
        found.setdefault(incident.watch, incident)
    return found


class RoleSlot(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Role
    label: str
    person: str | None


class TaskItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    task: Task
    overdue: bool


class TaskPhase(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    tasks: list[TaskItem]


class TimelineItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    event: IncidentEvent
    pinned: bool

    @property
    def pinnable(self) -> bool:
        return self.event.kind != EventKind.PIN


class IncidentRoom(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    incident: Incident
    zone: dt.timezone
    now: AwareDatetime
    clock_label: str
    clock_from: AwareDatetime
    elapsed: str
    roles: list[RoleSlot]
    phases: list[TaskPhase]
    open_tasks: int
    overdue_tasks: int
    pinned: list[TimelineItem]
    timeline: list[TimelineItem]
    signals: list[Signal]
    chart: ChartData | None
    bucket_label: str
    spread: SpreadView
    evidence: list[Evidence]

    @property
    def unfilled_roles(self) -> list[RoleSlot]:
        return [slot for slot in self.roles if slot.person is None]


def elapsed_label(span: dt.timedelta) -> str:
    """「2 時間 14 分」, 「3 日 4 時間」: the clock in the room header, coarse enough to read at a glance."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} 日 {hours} 時間"
    if hours:
        return f"{hours} 時間 {minutes} 分"
    return f"{minutes} 分"


def incident_room(store: Store, incident_id: int, now: dt.datetime) -> IncidentRoom:
    """Everything the room shows; raises NotFoundError for an unknown incident."""
    detail = IncidentStore(store).detail(incident_id)
    incident = detail.incident
    zone = display_zone(store.get_watch(incident.watch))
    pinned_ids = detail.pinned_event_ids
    timeline = [TimelineItem(event=event, pinned=event.id in pinned_ids) for event in reversed(detail.events)]
    phases: list[TaskPhase] = []
    for task in detail.tasks:
        item = TaskItem(task=task, overdue=incident.is_open and task.overdue(now))
        if not phases or phases[-1].title != task.phase:
            phases.append(TaskPhase(title=task.phase, tasks=[]))
        phases[-1].tasks.append(item)
    clock_from = incident.onset_at or incident.opened_at
    clock_to = incident.closed_at or now
    signals, chart, width = _incident_chart(store, incident, zone)
    return IncidentRoom(
        incident=incident,
        zone=zone,
        now=now,
        clock_label="発生から" if incident.onset_at else "開始から",
        clock_from=clock_from,
        elapsed=elapsed_label(clock_to - clock_from),
        roles=[
            RoleSlot(role=role, label=label, person=incident.roles.get(role.value))
            for role, label in ROLE_LABELS.items()
        ],
        phases=phases,
        open_tasks=sum(1 for task in detail.tasks if not task.done),
        overdue_tasks=sum(1 for phase in phases for item in phase.tasks if item.overdue),
        pinned=[item for item in timeline if item.pinned],
        timeline=timeline,
        signals=signals,
        chart=chart,
        bucket_label=bucket_label(width),
        spread=spread_view(store, incident, signals=signals, now=now),
        evidence=EvidenceStore(store).list(incident_id),
    )


def _incident_chart(
    store: Store, incident: Incident, zone: dt.timezone
) -> tuple[list[Signal], ChartData | None, dt.timedelta]:
    """Posts and negativity from a little before onset to the close (or the newest post), with the signals."""
    start = (incident.onset_at or incident.opened_at) - CHART_LEAD
    last_post = store.watch_summary(incident.watch).last_post_at
    end = incident.closed_at or last_post or incident.opened_at
    end = min(max(end, incident.opened_at) + dt.timedelta(hours=1), start + CHART_MAX_SPAN)
    width = choose_bucket(end - start)
    signals = [
        signal for signal in store.list_signals(incident.watch, since=start) if signal.detected_at < end
    ]
    buckets = post_timeseries(store, incident.watch, int(width.total_seconds()), start, end).buckets
    if not any(bucket.posts for bucket in buckets):
        return signals, None, width
    return signals, build_chart(buckets, signals, width, zone), width
