"""Incremental detection for the daemon: one live `DetectorRunner` per watch, fed only what is new.

On first use the runner replays the watch's stored posts (after a restart this rebuilds the baseline and the
episode exactly as a replay would); afterwards each cycle feeds the posts stored since the oldest one just
fetched (the runner skips those it has seen) and moves the virtual clock to now, so timer-based detectors
such as ``calmed`` fire even when nothing new arrives. The runner dedups posts by key and counts a late post
at the current time, as a live system would.
"""

from __future__ import annotations

import datetime as dt

from hikeshi.detect import DetectorConfig, DetectorRunner
from hikeshi.records import Signal, Watch
from hikeshi.store import Store


class LiveDetection:
    def __init__(self, store: Store, config: DetectorConfig | None = None) -> None:
        self._store = store
        self._config = config
        self._runners: dict[str, tuple[Watch, DetectorRunner]] = {}

    def update(self, watch: Watch, since: dt.datetime | None, now: dt.datetime) -> list[Signal]:
        """Signals raised by posts stored since `since` (all stored posts on a watch's first update)."""
        known = self._runners.get(watch.name)
        if known is None or known[0] != watch:  # new, or the watch's thresholds changed: rebuild from history
            runner = DetectorRunner(watch, self._config)
            self._runners[watch.name] = (watch, runner)
            since = None
        else:
            runner = known[1]
            if since is None:
                return runner.advance(now)
        signals: list[Signal] = []
        for post, analysis in self._store.iter_analyzed_posts(watch.name, since=since):
            signals.extend(runner.feed(post, analysis))
        signals.extend(runner.advance(now))
        return signals

    def forget(self, watch_name: str) -> None:
        self._runners.pop(watch_name, None)
