"""What the stream has shown so far: sliding windows of distinct authors and an hour-of-day baseline.

Everything is counted in *distinct authors*, so one angry customer posting ten times is one voice, and the
baseline is learned only from hours outside alert episodes, so a flame does not teach the detector that
flames are normal.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, deque
from dataclasses import dataclass, field

from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.observe import Observation
from hikeshi.detect.stats import mad, median

Slot = tuple[int, int]  # (local day ordinal, local hour)
MAX_BUSY_FACTOR = 2.5


def reach_weight(followers: int) -> float:
    """1 for an ordinary account, 2 at 10k followers, 3 at 100k, 4 at 1M and above (log scale, capped)."""
    return min(4.0, 1.0 + math.log10(1.0 + followers / 1000.0))


class SlidingWindow:
    """Posts in (now - width, now], with incremental distinct-author counts."""

    def __init__(self, width: dt.timedelta) -> None:
        self.width = width
        self.posts: deque[Observation] = deque()
        self._authors: Counter[str] = Counter()
        self._negative: Counter[str] = Counter()
        self._positive: Counter[str] = Counter()
        self._weights: dict[str, float] = {}
        self.reach = 0.0
        self.negative_reach = 0.0

    def add(self, observation: Observation) -> None:
        self.posts.append(observation)
        author = observation.author
        if self._authors[author] == 0:
            weight = reach_weight(observation.followers)
            self._weights[author] = weight
            self.reach += weight
        self._authors[author] += 1
        if observation.negative:
            if self._negative[author] == 0:
                self.negative_reach += self._weights[author]
            self._negative[author] += 1
        if observation.positive:
            self._positive[author] += 1

    def advance(self, now: dt.datetime) -> None:
        while self.posts and self.posts[0].time <= now - self.width:
            old = self.posts.popleft()
            author = old.author
            if old.negative:
                self._negative[author] -= 1
                if self._negative[author] == 0:
                    del self._negative[author]
                    self.negative_reach -= self._weights[author]
            if old.positive:
                self._positive[author] -= 1
                if self._positive[author] == 0:
                    del self._positive[author]
            self._authors[author] -= 1
            if self._authors[author] == 0:
                del self._authors[author]
                self.reach -= self._weights.pop(author)

    @property
    def authors(self) -> int:
        return len(self._authors)

    @property
    def negative_authors(self) -> int:
        return len(self._negative)

    @property
    def positive_authors(self) -> int:
        return len(self._positive)

    @property
    def start(self) -> dt.datetime | None:
        return self.posts[0].time if self.posts else None


@dataclass
class _SlotCounts:
    authors: set[str] = field(default_factory=set)
    negative: set[str] = field(default_factory=set)
    weight: float = 0.0
    weight_squared: float = 0.0


@dataclass(frozen=True, slots=True)
class DayModel:
    """The baseline as of the start of a local day: expected distinct authors per hour of day, and more."""

    hourly: tuple[float, ...]
    negative_share: float
    dispersion: float
    mean_weight: float
    weight_ratio: float  # E[w²]/E[w]: scales a reach-weighted sum back to a count-like quantity
    daily_level: float


class HourlyBaseline:
    """Robust, time-of-day-aware rate: median daily level (MAD gives the dispersion) × smoothed hourly profile."""

    def __init__(self, config: DetectorConfig) -> None:
        self._config = config
        self._offset = dt.timedelta(hours=config.utc_offset_hours)
        self._slots: dict[Slot, _SlotCounts] = {}
        self._masked: set[Slot] = set()
        self._start: dt.datetime | None = None
        self._model_day: int | None = None
        self._model: DayModel | None = None
        self._factor_slot: Slot | None = None
        self._factor = 1.0

    def slot(self, time: dt.datetime) -> Slot:
        local = time.astimezone(dt.UTC) + self._offset
        return (local.toordinal(), local.hour)

    def hours_observed(self, now: dt.datetime) -> float:
        return 0.0 if self._start is None else (now - self._start).total_seconds() / 3600

    def add(self, observation: Observation) -> None:
        if self._start is None:
            self._start = observation.time
        counts = self._slots.setdefault(self.slot(observation.time), _SlotCounts())
        if observation.author not in counts.authors:
            counts.authors.add(observation.author)
            weight = reach_weight(observation.followers)
            counts.weight += weight
            counts.weight_squared += weight * weight
        if observation.negative:
            counts.negative.add(observation.author)

    def mask(self, start: dt.datetime, end: dt.datetime) -> None:
        """Leave the hours of an alert episode out of the baseline."""
        cursor = start
        while cursor <= end:
            slot = self.slot(cursor)
            self._masked.add(slot)
            self._factor_slot = None
            if self._model_day is not None and slot[0] < self._model_day:
                self._model_day = None
            cursor += dt.timedelta(hours=1)
        self._masked.add(self.slot(end))

    def model(self, now: dt.datetime) -> DayModel:
        day = self.slot(now)[0]
        if self._model is None or self._model_day != day:
            self._model = self._build(day)
            self._model_day = day
        return self._model

    def busy_factor(self, now: dt.datetime) -> float:
        """How much busier than the baseline the last day has been (1.0 or more), leaving out the most recent
        hours: a busy Sunday raises the bar for everything, while a flame's own first hours do not."""
        slot = self.slot(now)
        if slot == self._factor_slot:
            return self._factor
        config = self._config
        model = self.model(now)
        first_slot = self.slot(self._start) if self._start is not None else slot
        observed = expected = 0.0
        for back in range(config.day_factor_lag_hours, 24):
            past = self.slot(now - dt.timedelta(hours=back))
            if past < first_slot or past in self._masked:
                continue
            counts = self._slots.get(past)
            observed += len(counts.authors) if counts else 0
            expected += model.hourly[past[1]]
        pseudo = config.day_factor_pseudo
        self._factor = min(MAX_BUSY_FACTOR, max(1.0, (observed + pseudo) / (expected + pseudo)))
        self._factor_slot = slot
        return self._factor

    def expected(self, now: dt.datetime, width: dt.timedelta) -> float:
        """Expected distinct authors in (now - width, now], integrating the hourly rates."""
        model = self.model(now)
        total = 0.0
        cursor = now - width
        while cursor < now:
            local = cursor.astimezone(dt.UTC) + self._offset
            next_hour = (
                local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
            ) - self._offset
            piece_end = min(now, next_hour)
            total += model.hourly[local.hour] * (piece_end - cursor).total_seconds() / 3600
            cursor = piece_end
        return total * self.busy_factor(now)

    def _build(self, today: int) -> DayModel:
        config = self._config
        floor = config.rate_floor_per_hour
        first_slot = self.slot(self._start) if self._start is not None else (today, 0)
        hour_sums = [0.0] * 24
        hour_days = [0] * 24
        day_levels: list[float] = []
        authors = negatives = 0
        weight = weight_squared = 0.0
        for day in range(today - config.baseline_days, today):
            day_total = 0.0
            day_hours = 0
            for hour in range(24):
                slot = (day, hour)
                if slot < first_slot or slot in self._masked:
                    continue
                counts = self._slots.get(slot)
                count = len(counts.authors) if counts else 0
                hour_sums[hour] += count
                hour_days[hour] += 1
                day_total += count
                day_hours += 1
                if counts:
                    authors += count
                    negatives += len(counts.negative)
                    weight += counts.weight
                    weight_squared += counts.weight_squared
            if day_hours >= 6:
                day_levels.append(day_total * 24 / day_hours)
        observed_hours = sum(hour_days)
        mean_rate = sum(hour_sums) / observed_hours if observed_hours else floor
        raw = [hour_sums[h] / hour_days[h] if hour_days[h] else mean_rate for h in range(24)]
        smoothed = [0.25 * raw[h - 1] + 0.5 * raw[h] + 0.25 * raw[(h + 1) % 24] for h in range(24)]
        prior = config.profile_prior_days
        shrunk = [
            (smoothed[h] * hour_days[h] + prior * mean_rate) / (hour_days[h] + prior)
            if hour_days[h] + prior > 0
            else mean_rate
            for h in range(24)
        ]
        level = median(day_levels) if day_levels else mean_rate * 24
        profile_total = sum(shrunk)
        scale = level / profile_total if profile_total > 0 else 0.0
        hourly = tuple(max(floor, rate * scale) for rate in shrunk)
        if len(day_levels) >= 3 and level > 0:
            variation = (mad(day_levels) / level) ** 2
        else:
            variation = config.dispersion_max / 2
        dispersion = min(config.dispersion_max, max(config.dispersion_min, variation))
        mean_weight = weight / authors if authors else 1.0
        weight_ratio = weight_squared / weight if weight > 0 else 1.0
        return DayModel(
            hourly=hourly,
            negative_share=(negatives + 1.0) / (authors + 4.0),
            dispersion=dispersion,
            mean_weight=mean_weight,
            weight_ratio=weight_ratio,
            daily_level=level,
        )
