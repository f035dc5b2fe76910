"""The monitoring daemon: poll each watch's sources on schedule, ingest, detect, save signals and alert.

`Monitor(store, settings, client, analyzer, alerter=...)` with `run_once()` (one round of every source) or
`run()` (until its stop event is set); `schedule` is the pure part that decides which source is due.
"""

from hikeshi.monitor.daemon import CycleReport, Monitor
from hikeshi.monitor.detection import LiveDetection
from hikeshi.monitor.poll import PollContext, PollOutcome, mentions, poll_source
from hikeshi.monitor.schedule import backoff_factor, due_at, due_sources, is_due, next_due, seconds_until
from hikeshi.monitor.status import SourceStatus, WatchStatus, monitor_status

__all__ = [
    "CycleReport",
    "LiveDetection",
    "Monitor",
    "PollContext",
    "PollOutcome",
    "SourceStatus",
    "WatchStatus",
    "backoff_factor",
    "due_at",
    "due_sources",
    "is_due",
    "mentions",
    "monitor_status",
    "next_due",
    "poll_source",
    "seconds_until",
]
