"""A playbook says what a team does, by when, once a flame is confirmed.

The bundled default (`data/default.yaml`) follows Japanese practice: convene within an hour, preserve evidence,
confirm the facts in a position paper, a holding statement within about an hour of that, decide on a press
conference within 24 hours, a call-centre Q&A by the next business day, then watch until calm and review.
A company may ship its own file (`HIKESHI_PLAYBOOK` or `--playbook`); a bad one is reported with file:line.

Due times are written `90m`, `3h`, `2d` (after opening) or `next_business_day` (18:00 JST of the next weekday).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.respond.incidents.records import Role
from hikeshi.timezones import JST

DEFAULT_PLAYBOOK = Path(__file__).with_name("data") / "default.yaml"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(m|min|h|d)$")
NEXT_BUSINESS_DAY = "next_business_day"
BUSINESS_DAY_END = dt.time(18, 0)


def _duration(text: str) -> dt.timedelta:
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"期限 {text!r} を読めません。90m・3h・2d・next_business_day のように書いてください")
    amount, unit = float(match.group(1)), match.group(2)
    return (
        dt.timedelta(minutes=amount)
        if unit in ("m", "min")
        else dt.timedelta(hours=amount * (24 if unit == "d" else 1))
    )


class PlaybookTask(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]{1,60}$", description="stable key, e.g. preserve_evidence")
    title: str = Field(min_length=1, max_length=200)
    role: Role
    due: str | None = Field(default=None, description="90m, 3h, 2d or next_business_day; none = no deadline")
    description: str = ""

    @field_validator("due")
    @classmethod
    def _check_due(cls, value: str | None) -> str | None:
        if value is not None and value != NEXT_BUSINESS_DAY:
            _duration(value)
        return value


class Phase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]{1,60}$")
    title: str = Field(min_length=1, max_length=100)
    tasks: list[PlaybookTask] = Field(min_length=1)


class CalmCriterion(BaseModel):
    """When an incident in 経過観察 counts as 沈静化, and how long a calmed one still takes new signals."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hours: float = Field(default=12.0, gt=0, description="quiet hours after the calmed signal")
    rejoin_days: float = Field(
        default=7.0, ge=0, description="a calmed incident absorbs a new flare-up for this long"
    )


class Playbook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=200)
    opening_severity: int = Field(default=3, ge=1, le=4)
    lookback_hours: float = Field(
        default=24.0, gt=0, description="lower signals this far before opening join the new timeline"
    )
    calm: CalmCriterion = CalmCriterion()
    phases: list[Phase] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_task_ids(self) -> Playbook:
        seen: set[str] = set()
        for phase in self.phases:
            for task in phase.tasks:
                if task.id in seen:
                    raise ValueError(f"タスク id {task.id!r} が重複しています")
                seen.add(task.id)
        return self

    def tasks(self) -> list[tuple[Phase, PlaybookTask]]:
        return [(phase, task) for phase in self.phases for task in phase.tasks]


def due_time(task: PlaybookTask, opened_at: dt.datetime) -> dt.datetime | None:
    """When `task` is due for an incident opened at `opened_at`.

    >>> due_time(PlaybookTask(id="qa", title="想定問答", role="support", due="next_business_day"),
    ...          dt.datetime(2026, 12, 4, 22, 56, tzinfo=JST)).isoformat()  # a Friday night
    '2026-12-07T18:00:00+09:00'
    """
    if task.due is None:
        return None
    if task.due == NEXT_BUSINESS_DAY:
        day = opened_at.astimezone(JST).date() + dt.timedelta(days=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, BUSINESS_DAY_END, tzinfo=JST)
    return opened_at + _duration(task.due)


def load_playbook(path: Path | str | None = None) -> Playbook:
    """The playbook at `path`, or the bundled default; raises ConfigError with file:line on a bad file."""
    if path is None or str(path) == "":
        return default_playbook()
    return load_yaml_model(Path(path), Playbook)


@lru_cache(maxsize=1)
def default_playbook() -> Playbook:
    return load_yaml_model(DEFAULT_PLAYBOOK, Playbook)
