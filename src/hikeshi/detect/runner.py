"""One incremental runner: posts in event-time order, a virtual clock between them, and one place for
cooldown and grouping, so one flame gives a handful of signals rather than one per post.

A signal's `detected_at` is the event time of the post (or clock tick) at which it was decided; nothing after
that instant has been seen, so it is when a live system would have fired.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Sequence

from hikeshi.detect.angle import NewAngleDetector
from hikeshi.detect.base import Candidate, Detector, DetectorContext, Episode
from hikeshi.detect.calmed import CalmedDetector
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.early import EarlyNegativityDetector
from hikeshi.detect.history import HourlyBaseline, SlidingWindow
from hikeshi.detect.influencer import InfluencerPostDetector
from hikeshi.detect.negativity import SCOPE_LIMIT, NegativityRiseDetector
from hikeshi.detect.observe import TermExtractor, observe
from hikeshi.detect.volume import VolumeSpikeDetector
from hikeshi.records import Analysis, Post, Signal, SignalKind, Watch

DetectorFactory = Callable[[DetectorConfig], Detector]

REGISTRY: dict[str, DetectorFactory] = {
    "volume_spike": VolumeSpikeDetector,
    "negativity_rise": NegativityRiseDetector,
    "early_negativity": EarlyNegativityDetector,
    "new_angle": NewAngleDetector,
    "influencer_post": InfluencerPostDetector,
    "calmed": CalmedDetector,
}

ALERT_KINDS = frozenset({SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE})
RECENT_SPAN = dt.timedelta(hours=24)
MAX_INFLUENCERS_PER_EPISODE = 3
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def register(name: str, factory: DetectorFactory) -> None:
    """Add a detector; its candidates go through the same cooldown as the built-in ones."""
    REGISTRY[name] = factory


class DetectorRunner:
    """Feed posts one at a time (live) or through `run_detectors` (replay); both give the same signals."""

    def __init__(
        self, watch: Watch, config: DetectorConfig | None = None, detectors: Sequence[str] | None = None
    ) -> None:
        self.watch = watch
        self.config = DetectorConfig.for_watch(watch, config)
        names = list(detectors) if detectors is not None else list(REGISTRY)
        self.detectors: list[Detector] = [REGISTRY[name](self.config) for name in names]
        widths = sorted(
            {
                *self.config.volume_windows_minutes,
                *self.config.negativity_windows_minutes,
                *self.config.early_windows_minutes,
            }
        )
        self.context = DetectorContext(
            watch=watch,
            config=self.config,
            extractor=TermExtractor(watch),
            baseline=HourlyBaseline(self.config),
            windows={minutes: SlidingWindow(dt.timedelta(minutes=minutes)) for minutes in widths},
            recent=deque(),
        )
        self._clock: dt.datetime | None = None
        self._seen: set[str] = set()
        self._influencer_seen: dict[str, dt.datetime] = {}
        self._emitted: set[tuple[SignalKind, dt.datetime]] = set()

    def feed(self, post: Post, analysis: Analysis) -> list[Signal]:
        """Process one post; a post older than the clock (late arrival) is counted at the clock's time."""
        if post.key in self._seen:
            return []
        self._seen.add(post.key)
        if self._clock is not None and post.created_at < self._clock:
            post = post.model_copy(update={"created_at": self._clock})
        now = post.created_at
        signals = self.advance(now)
        observation = observe(post, analysis, self.config, self.context.extractor)
        context = self.context
        self._set_clock(now)
        for window in context.windows.values():
            window.add(observation)
        if context.episode_window is not None:
            context.episode_window.add(observation)
        context.recent.append(observation)
        candidates = [
            candidate for detector in self.detectors for candidate in detector.on_post(observation, context)
        ]
        signals.extend(self._admit(candidates))
        context.baseline.add(observation)
        return signals

    def advance(self, until: dt.datetime) -> list[Signal]:
        """Run the virtual clock's ticks strictly before `until` (timer-based detectors such as calmed)."""
        if self._clock is None:
            return []
        step = dt.timedelta(minutes=self.config.tick_minutes)
        ticks_done = (self._clock - _EPOCH) // step
        tick = _EPOCH + (ticks_done + 1) * step
        signals: list[Signal] = []
        while tick < until:
            self._set_clock(tick)
            candidates = [c for detector in self.detectors for c in detector.on_tick(tick, self.context)]
            signals.extend(self._admit(candidates))
            tick += step
        return signals

    def _set_clock(self, now: dt.datetime) -> None:
        context = self.context
        self._clock = now
        context.now = now
        for window in context.windows.values():
            window.advance(now)
        if context.episode_window is not None:
            context.episode_window.advance(now)
        while context.recent and context.recent[0].time <= now - RECENT_SPAN:
            context.recent.popleft()
        if context.episode is not None:
            context.baseline.mask(now, now)

    def _admit(self, candidates: list[Candidate]) -> list[Signal]:
        admitted = []
        for candidate in sorted(candidates, key=lambda c: (c.kind not in ALERT_KINDS, -c.severity)):
            if not self._accept(candidate):
                continue
            # The store keeps one signal per (watch, kind, window start): an escalation whose window starts
            # at the same post as an earlier signal is filed under its own moment instead.
            window_start = candidate.window_start
            if (candidate.kind, window_start) in self._emitted:
                window_start = candidate.detected_at
            if (candidate.kind, window_start) in self._emitted:
                continue
            self._emitted.add((candidate.kind, window_start))
            admitted.append(
                Signal(
                    watch=self.watch.name,
                    kind=candidate.kind,
                    window_start=window_start,
                    detected_at=candidate.detected_at,
                    severity=candidate.severity,
                    evidence=candidate.evidence,
                    summary=candidate.summary,
                )
            )
        return admitted

    def _episode_window(self, started: dt.datetime, now: dt.datetime) -> SlidingWindow:
        """The episode's posts of the last `SCOPE_LIMIT`, seeded from the recent posts, then kept current."""
        window = SlidingWindow(SCOPE_LIMIT)
        for post in self.context.posts_since(max(started, now - SCOPE_LIMIT)):
            window.add(post)
        return window

    def _worth_another_alert(self, episode: Episode, candidate: Candidate) -> bool:
        """Inside an episode, volume_spike and negativity_rise are one family: another one is worth sending only
        when the severity climbs, when the other kind first reaches the episode's severity (never within
        minutes of the last alert), or as a reminder after `refire_hours` of the same kind."""
        now = candidate.detected_at
        last_any = max(when for when, _ in episode.last_by_kind.values()) if episode.last_by_kind else None
        hold = dt.timedelta(minutes=self.config.escalation_hold_minutes)
        last = episode.last_by_kind.get(candidate.kind)
        held = last_any is not None and now - last_any < hold
        if candidate.severity > episode.max_severity and not held:
            return True
        if last is None and candidate.severity >= episode.max_severity and not held:
            return True  # the first of the other kind, once it is as serious as the episode already is
        refire = dt.timedelta(hours=self.config.refire_hours)
        return last is not None and now - last[0] >= refire and candidate.severity >= last[1]

    def _accept(self, candidate: Candidate) -> bool:
        context = self.context
        episode = context.episode
        now = candidate.detected_at
        if candidate.kind in ALERT_KINDS:
            if episode is None:
                episode = Episode(started=candidate.window_start, opened_at=now)
                context.episode = episode
                context.episode_window = self._episode_window(candidate.window_start, now)
                context.baseline.mask(candidate.window_start, now)
            elif not self._worth_another_alert(episode, candidate):
                return False
            episode.last_by_kind[candidate.kind] = (now, candidate.severity)
            episode.max_severity = max(episode.max_severity, candidate.severity)
            episode.negative = episode.negative or candidate.negative
            return True
        if candidate.kind == SignalKind.CALMED:
            if episode is None:
                return False
            context.episode = None
            context.episode_window = None
            return True
        if candidate.kind == SignalKind.INFLUENCER_POST and candidate.author is not None:
            last_seen = self._influencer_seen.get(candidate.author)
            if last_seen is not None and now - last_seen < RECENT_SPAN:
                return False
            if episode is not None:
                if len(episode.influencers) >= MAX_INFLUENCERS_PER_EPISODE and candidate.severity < 3:
                    return False
                episode.influencers.add(candidate.author)
            self._influencer_seen[candidate.author] = now
            return True
        if candidate.kind == SignalKind.NEW_ANGLE and episode is not None:
            episode.reported_terms.extend(candidate.terms)
        return True


def run_detectors(
    watch: Watch, stream: Iterable[tuple[Post, Analysis]], config: DetectorConfig | None = None
) -> list[Signal]:
    """Replay a stream through every registered detector, in event-time (created_at) order.

    >>> run_detectors(watch, store.iter_analyzed_posts("ミナト住建"))  # doctest: +SKIP
    """
    runner = DetectorRunner(watch, config)
    signals: list[Signal] = []
    for post, analysis in sorted(stream, key=lambda item: item[0].created_at):
        signals.extend(runner.feed(post, analysis))
    return signals
