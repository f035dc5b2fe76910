"""Records of a drill: what was run (kept on the incident's timeline) and how the team did (the score)."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.drills.clock import TimeMap

DRILL_ACTOR = "訓練"
INJECT_ACTOR = "訓練（状況付与）"
START_KEY = "drill:start"
END_KEY = "drill:end"


class PlannedInject(BaseModel):
    """An inject as the scenario schedules it (the run keeps the list; the timeline shows what landed)."""

    model_config = ConfigDict(frozen=True)

    index: int
    at: AwareDatetime
    kind: str
    caller: str
    title: str
    expects: str | None = None


class DrillRun(BaseModel):
    """One replay of a scenario: which one, on which watch, when its flame began, and its clock."""

    model_config = ConfigDict(frozen=True)

    scenario: str
    title: str
    kind: str
    watch: str
    seed: int
    onset_at: AwareDatetime
    history_from: AwareDatetime = Field(description="where the scenario's everyday talk begins")
    started_at: AwareDatetime = Field(description="the drill time the monitor started at")
    end_at: AwareDatetime = Field(description="the drill time the replay stops at")
    posts: int = Field(description="posts the scenario serves, everyday talk included")
    flame_posts: int
    news: int
    injects: list[PlannedInject] = Field(default_factory=list)
    targets: dict[str, float] = Field(default_factory=dict, description="detect_min, open_min, statement_min")
    clock: TimeMap

    @property
    def speed_label(self) -> str:
        return "最速" if self.clock.speed is None else f"{self.clock.speed:g} 倍速"


class TaskScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    title: str
    role: str
    due_at: AwareDatetime | None
    done_at: AwareDatetime | None = Field(default=None, description="on the drill's time line")
    done_by: str | None = None
    on_time: bool | None = Field(default=None, description="None: not due yet and not done")


class StatementScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    statement_id: int
    kind: str
    title: str
    published_at: AwareDatetime | None
    level: str
    findings: list[dict[str, Any]] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class InjectScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: AwareDatetime
    kind: str
    caller: str
    title: str
    expects: str | None = None
    on_timeline: bool


class SignalScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    severity: int
    detected_at: AwareDatetime
    summary: str


class DrillScore(BaseModel):
    """The drill's figures (DESIGN.md: `drill run --format json`); minutes are from the scenario's onset."""

    model_config = ConfigDict(frozen=True)

    scenario: str
    title: str
    kind: str
    watch: str
    incident_id: int | None
    drill: bool = True
    speed: str
    onset_at: AwareDatetime
    detected_at: AwareDatetime | None = None
    opened_at: AwareDatetime | None = None
    first_statement_at: AwareDatetime | None = None
    time_to_detect_min: float | None = None
    time_to_incident_min: float | None = None
    time_to_statement_min: float | None = None
    max_severity: int | None = None
    signals: list[SignalScore] = Field(default_factory=list)
    false_alarms: int = Field(default=0, description="signals on the everyday talk before the onset")
    tasks_due: int = 0
    tasks_done_on_time: int = 0
    tasks_done_late: int = 0
    tasks: list[TaskScore] = Field(default_factory=list)
    statements_published: int = 0
    statement_lint: list[StatementScore] = Field(default_factory=list)
    worst_lint_level: str | None = None
    injects: list[InjectScore] = Field(default_factory=list)
    posts: int = 0
    flame_posts: int = 0
    targets: dict[str, float] = Field(default_factory=dict)
    scored_at: AwareDatetime = Field(description="the drill time the score was taken at")
    run_seconds: float | None = Field(default=None, description="wall-clock seconds the replay took")
    debrief: dict[str, str] = Field(default_factory=dict, description="format → path of the debrief written")
