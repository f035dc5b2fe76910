"""Records of the incident domain: the incident, its tasks and its append-only timeline."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class IncidentType(StrEnum):
    """The shape of a flame, set by a person once it is understood (the response differs for each)."""

    CRITICISM = "criticism"
    DEBATE = "debate"
    TROLLING = "trolling"
    UNKNOWN = "unknown"


INCIDENT_TYPE_LABELS = {
    IncidentType.CRITICISM: "批判集中型",
    IncidentType.DEBATE: "議論過熱型",
    IncidentType.TROLLING: "荒らし型",
    IncidentType.UNKNOWN: "不明",
}


class IncidentStatus(StrEnum):
    ACTIVE = "active"
    MONITORING = "monitoring"
    CALMED = "calmed"
    CLOSED = "closed"


INCIDENT_STATUS_LABELS = {
    IncidentStatus.ACTIVE: "対応中",
    IncidentStatus.MONITORING: "経過観察",
    IncidentStatus.CALMED: "沈静化",
    IncidentStatus.CLOSED: "終了",
}


class Role(StrEnum):
    COMMANDER = "commander"
    PR = "pr"
    LEGAL = "legal"
    SUPPORT = "support"
    EXECUTIVE = "executive"
    SCRIBE = "scribe"


ROLE_LABELS = {
    Role.COMMANDER: "責任者",
    Role.PR: "広報",
    Role.LEGAL: "法務",
    Role.SUPPORT: "お客様相談室",
    Role.EXECUTIVE: "経営（承認者）",
    Role.SCRIBE: "記録係",
}


class EventKind(StrEnum):
    OPENED = "opened"
    SIGNAL = "signal"
    ALERT = "alert"
    NOTE = "note"
    STATUS = "status"
    SEVERITY = "severity"
    TYPE = "type"
    ROLE = "role"
    TASK_DONE = "task_done"
    TASK_ASSIGNED = "task_assigned"
    TASK_OVERDUE = "task_overdue"
    EVIDENCE = "evidence"
    STATEMENT = "statement"
    PIN = "pin"
    CLOSED = "closed"


EVENT_KIND_LABELS = {
    EventKind.OPENED: "開始",
    EventKind.SIGNAL: "検知",
    EventKind.ALERT: "通知",
    EventKind.NOTE: "メモ",
    EventKind.STATUS: "状態の変更",
    EventKind.SEVERITY: "深刻度の変更",
    EventKind.TYPE: "種類の変更",
    EventKind.ROLE: "役割の割り当て",
    EventKind.TASK_DONE: "タスク完了",
    EventKind.TASK_ASSIGNED: "タスクの担当",
    EventKind.TASK_OVERDUE: "タスクの期限切れ",
    EventKind.EVIDENCE: "証拠保全",
    EventKind.STATEMENT: "声明の公表",
    EventKind.PIN: "ピン留め",
    EventKind.CLOSED: "終了",
}

SEVERITY_LABELS = {1: "注意", 2: "要注意", 3: "警戒", 4: "危険"}
"""The one 1–4 severity scale shared with signals."""


class Incident(BaseModel):
    """One flame: the unit a team responds to, opened by a signal or by a person."""

    model_config = ConfigDict(frozen=True)

    id: int
    watch: str
    title: str
    type: IncidentType = IncidentType.UNKNOWN
    severity: int = Field(ge=1, le=4)
    status: IncidentStatus = IncidentStatus.ACTIVE
    roles: dict[str, str] = Field(default_factory=dict, description="role → person")
    drill: bool = False
    opened_at: AwareDatetime = Field(description="event time: the opening signal's detected_at, or now")
    closed_at: AwareDatetime | None = None
    first_signal_at: AwareDatetime | None = Field(
        default=None, description="detected_at of the earliest signal on the timeline (any severity)"
    )
    onset_at: AwareDatetime | None = Field(
        default=None, description="window start of the earliest signal: the best guess of when it began"
    )
    monitoring_since: AwareDatetime | None = None
    calmed_at: AwareDatetime | None = None
    opened_by: str
    playbook: str

    @property
    def status_label(self) -> str:
        return INCIDENT_STATUS_LABELS[self.status]

    @property
    def type_label(self) -> str:
        return INCIDENT_TYPE_LABELS[self.type]

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def is_open(self) -> bool:
        return self.status != IncidentStatus.CLOSED

    def summary_json(self) -> dict[str, Any]:
        """The `incident list --format jsonl` line (DESIGN.md)."""
        return {
            "id": self.id,
            "watch": self.watch,
            "title": self.title,
            "status": self.status.value,
            "severity": self.severity,
            "opened_at": self.opened_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "drill": self.drill,
        }


class IncidentEvent(BaseModel):
    """One entry of the append-only timeline; a correction is a new event, never an edit."""

    model_config = ConfigDict(frozen=True)

    id: int
    incident_id: int
    at: AwareDatetime = Field(description="when it happened (event time for signals, wall clock otherwise)")
    recorded_at: AwareDatetime
    actor: str
    kind: EventKind
    summary: str
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return EVENT_KIND_LABELS[self.kind]


class Task(BaseModel):
    """A playbook task of one incident, with its role, due time and completion."""

    model_config = ConfigDict(frozen=True)

    id: int
    incident_id: int
    key: str
    phase: str
    title: str
    role: str
    due_at: AwareDatetime | None
    assignee: str | None = None
    done_at: AwareDatetime | None = None
    done_by: str | None = None
    note: str | None = None
    position: int = 0

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def overdue(self, now: Any) -> bool:
        return self.done_at is None and self.due_at is not None and self.due_at < now

    @property
    def role_label(self) -> str:
        return {role.value: label for role, label in ROLE_LABELS.items()}.get(self.role, self.role)


class IncidentDetail(BaseModel):
    """An incident with its tasks and timeline, as `incident show --format json` prints it."""

    model_config = ConfigDict(frozen=True)

    incident: Incident
    tasks: list[Task]
    events: list[IncidentEvent]

    @property
    def pinned_event_ids(self) -> set[int]:
        pinned: set[int] = set()
        for event in self.events:
            if event.kind == EventKind.PIN and isinstance(event.data.get("event_id"), int):
                if event.data.get("pinned", True):
                    pinned.add(event.data["event_id"])
                else:
                    pinned.discard(event.data["event_id"])
        return pinned
