"""The pure scheduler: which source is due at time t, from its last poll, interval and recent failures.

A source that failed waits longer each time (interval × 2, × 4, up to × 8), so a dead feed is not hammered
while it is down and is still retried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from hikeshi.store import Source

MONITOR_KEY = "monitor"
"""Key of the monitor's own bookkeeping inside a source's saved state (the rest is the poller's cursor)."""
MAX_BACKOFF_FACTOR = 8


def bookkeeping(source: Source) -> dict[str, Any]:
    value = source.state.get(MONITOR_KEY)
    return dict(value) if isinstance(value, dict) else {}


def failures(source: Source) -> int:
    count: object = bookkeeping(source).get("failures", 0)
    return max(count, 0) if isinstance(count, int) else 0


def backoff_factor(consecutive_failures: int) -> int:
    """1 when healthy; 2, 4, 8, 8, ... after 1, 2, 3, 4, ... failures in a row."""
    if consecutive_failures <= 0:
        return 1
    return min(1 << min(consecutive_failures, 16), MAX_BACKOFF_FACTOR)


def due_at(source: Source) -> dt.datetime | None:
    """When the source should be polled next; None for a source never polled (due at once)."""
    if source.last_polled_at is None:
        return None
    wait = dt.timedelta(seconds=source.interval_seconds * backoff_factor(failures(source)))
    return source.last_polled_at + wait


def is_due(source: Source, now: dt.datetime) -> bool:
    when = due_at(source)
    return when is None or when <= now


def due_sources(sources: Iterable[Source], now: dt.datetime) -> list[Source]:
    """The sources due at `now`, most overdue first (never polled before all), ties by id."""
    due = [source for source in sources if is_due(source, now)]
    return sorted(due, key=lambda s: (due_at(s) is not None, due_at(s) or now, s.id))


def next_due(sources: Iterable[Source]) -> dt.datetime | None:
    """The earliest time any of `sources` becomes due (None when there are none)."""
    times = [due_at(source) for source in sources]
    if not times:
        return None
    if any(when is None for when in times):
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return min(when for when in times if when is not None)


def seconds_until(when: dt.datetime | None, now: dt.datetime, max_sleep_seconds: float) -> float:
    """How long to sleep before the next due source, capped so the loop re-reads the source list."""
    if when is None:
        return max_sleep_seconds
    return max(0.0, min((when - now).total_seconds(), max_sleep_seconds))
