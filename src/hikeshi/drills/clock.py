"""The drill's clock: scenario time that runs N times faster than the wall clock, or as fast as the work allows.

The monitor takes its clock and its sleep from outside; a drill hands it this one. At ``--speed max`` the
clock moves only when the monitor sleeps (a sleep of ten minutes is over at once), so the run is as fast as
polling, analysis and detection are, and the same on every machine. At ``--speed N`` it follows the wall clock
N times faster, and a sleep really waits, so a team in the incident room lives the flame at that pace.

The drill's time is placed so that it ends when the run ends (at the latest), never in the future: what the
team does afterwards happens on the wall clock, which then simply continues the drill's. `TimeMap` is the
record of that placement, kept on the incident's timeline, so `drill score` can put a task the team finished
at 21:40 by the wall clock on the drill's time line.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Monotonic = Callable[[], float]


class TimeMap(BaseModel):
    """Where the drill's time was on the wall clock: its start, its pace and (once over) its end."""

    model_config = ConfigDict(frozen=True)

    wall_started_at: AwareDatetime
    drill_started_at: AwareDatetime
    speed: float | None = Field(default=None, description="None: as fast as possible (--speed max)")
    wall_finished_at: AwareDatetime | None = None
    drill_finished_at: AwareDatetime | None = None

    def finished(self, wall: dt.datetime, drill: dt.datetime) -> TimeMap:
        return self.model_copy(update={"wall_finished_at": wall, "drill_finished_at": drill})

    def to_drill(self, moment: dt.datetime) -> dt.datetime:
        """A wall-clock time (a task done, a statement published) on the drill's time line.

        Times before the run began are on the drill's time line already (the drill's time is never ahead of
        the wall clock, and people act after the run has started); after the run, the drill's time goes on
        at the wall clock's pace.
        """
        if moment < self.wall_started_at:
            return moment
        finished = self.wall_finished_at
        if finished is not None and self.drill_finished_at is not None and moment >= finished:
            return self.drill_finished_at + (moment - finished)
        speed = self.speed or 1.0
        return self.drill_started_at + (moment - self.wall_started_at) * speed


class DrillClock:
    """Scenario time for the monitor (`now`), with a `sleep` that advances it or waits for it."""

    def __init__(
        self,
        start: dt.datetime,
        speed: float | None,
        stop: threading.Event,
        *,
        end: dt.datetime | None = None,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        if speed is not None and speed <= 0:
            raise ValueError("speed must be positive")
        self.start = start
        self.end = end
        self.speed = speed
        self._stop = stop
        self._monotonic = monotonic
        self._began = monotonic()
        self._virtual = start

    def begin(self) -> None:
        """Start the wall-driven clock now (setting up the run must not eat into the drill's time)."""
        self._began = self._monotonic()

    def now(self) -> dt.datetime:
        """The drill's time; it never passes `end`, however long a poll at high speed takes."""
        if self.speed is None:
            return self._virtual
        elapsed = (self._monotonic() - self._began) * self.speed
        moment = self.start + dt.timedelta(seconds=elapsed)
        return min(moment, self.end) if self.end is not None else moment

    def sleep_until(self, target: dt.datetime) -> None:
        """Advance to `target` at once (max) or wait until the drill's time reaches it (a stop cuts it short)."""
        if self.speed is None:
            self._virtual = max(self._virtual, target)
            return
        remaining = (target - self.now()).total_seconds() / self.speed
        if remaining > 0:
            self._stop.wait(remaining)
