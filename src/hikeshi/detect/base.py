"""The detector Protocol, the shared state detectors read, and candidate signals before deduplication.

A detector is told about each arriving post (`on_post`) and about the passing of time (`on_tick`, on a virtual
clock between posts), and proposes candidates; the runner decides which become signals, so cooldown and
grouping live in one place.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.history import HourlyBaseline, SlidingWindow
from hikeshi.detect.observe import Observation, TermExtractor
from hikeshi.records import SignalEvidence, SignalKind, Watch


@dataclass(frozen=True)
class Candidate:
    kind: SignalKind
    window_start: dt.datetime
    detected_at: dt.datetime
    severity: int
    evidence: SignalEvidence
    summary: str
    author: str | None = None
    terms: tuple[str, ...] = ()
    negative: bool = False


@dataclass
class Episode:
    """One alert episode (a flame or a buzz) from its first alert until `calmed`."""

    started: dt.datetime
    opened_at: dt.datetime
    last_by_kind: dict[SignalKind, tuple[dt.datetime, int]] = field(default_factory=dict)
    max_severity: int = 0
    negative: bool = False
    reported_terms: list[str] = field(default_factory=list)
    influencers: set[str] = field(default_factory=set)


@dataclass
class DetectorContext:
    """Shared, read-mostly state: windows over distinct authors, the baseline, the last day of posts."""

    watch: Watch
    config: DetectorConfig
    extractor: TermExtractor
    baseline: HourlyBaseline
    windows: dict[int, SlidingWindow]
    recent: deque[Observation] = field(default_factory=deque)
    now: dt.datetime | None = None
    episode: Episode | None = None
    episode_window: SlidingWindow | None = None
    """The open episode's posts of the last `SCOPE_LIMIT` (kept by the runner, so that checks of the whole
    episode cost nothing per post instead of a rebuild over every post of a flame)."""

    def window(self, minutes: int) -> SlidingWindow:
        return self.windows[minutes]

    def episode_scope(self) -> SlidingWindow | None:
        return self.episode_window if self.episode is not None else None

    def posts_since(self, start: dt.datetime) -> list[Observation]:
        return [post for post in self.recent if post.time >= start]

    def muted(self, kind: SignalKind) -> bool:
        """True when the runner would drop any candidate of this kind (the episode is already at severity 4 and
        no reminder is due), so a detector can skip the work during the loudest hours of a flame."""
        if self.episode is None or self.now is None:
            return False
        if self.episode.max_severity < 4:
            return False
        last = self.episode.last_by_kind.get(kind)
        refire = dt.timedelta(hours=self.config.refire_hours)
        return last is not None and self.now - last[0] < refire

    def warmed_up(self, now: dt.datetime) -> bool:
        return self.baseline.hours_observed(now) >= self.config.min_history_hours


class Detector(Protocol):
    """A pure detector: its only inputs are the observations and the virtual clock."""

    name: str

    def on_post(self, observation: Observation, context: DetectorContext) -> list[Candidate]: ...

    def on_tick(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]: ...
