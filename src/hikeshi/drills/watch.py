"""The drill watch: where a scenario's posts go, apart from the company's real watches.

It is 「訓練: ミナト住建」 (or the scenario's `watch`), created with the scenario's terms when missing. A watch
keeps its posts, and detectors read the last week of them as the usual level, so a run must not land on top of
an earlier run's flame: when the watch holds posts that recent, the run takes 「訓練: ミナト住建 (2)」 (and so
on) instead, with the same alert channels. Sources a crashed run left behind are removed (their server is
gone), and a drill incident an earlier run left open is closed, so the new run opens its own.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hikeshi.alerts import AlertBook
from hikeshi.detect import DetectorConfig
from hikeshi.drills.records import DRILL_ACTOR
from hikeshi.drills.scenario import Scenario
from hikeshi.records import Watch
from hikeshi.respond.incidents.records import IncidentStatus
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store

QUIET_MARGIN = dt.timedelta(days=1)


def prepare_watch(store: Store, scenario: Scenario, onset: dt.datetime, now: dt.datetime) -> Watch:
    """The drill watch for a run whose flame starts at `onset`, ready for new sources and a new incident."""
    history_start = onset - dt.timedelta(days=scenario.baseline.days)
    quiet_since = history_start - dt.timedelta(days=DetectorConfig().baseline_days) - QUIET_MARGIN
    base = scenario.watch_name
    for number in itertools.count(1):
        name = base if number == 1 else f"{base} ({number})"
        watch = store.find_watch(name)
        if watch is None:
            watch = store.add_watch(
                Watch(name=name, terms=list(scenario.company.terms), exclude=list(scenario.company.exclude))
            )
            if number > 1:
                _copy_channels(store, base, name, now)
            return watch
        newest = store.search_posts(name, limit=1)
        if not newest or newest[0].post.created_at < quiet_since:
            _clear(store, name)
            return watch
    raise AssertionError("unreachable")


def _clear(store: Store, watch: str) -> None:
    for source in store.list_sources(watch):
        store.remove_source(source.id)
    incidents = IncidentStore(store)
    for incident in incidents.list_incidents(watch, include_drills=True, open_only=True):
        if incident.drill:
            incidents.set_status(
                incident.id, IncidentStatus.CLOSED, DRILL_ACTOR, reason="新しい訓練を始めたため"
            )


def _copy_channels(store: Store, source_watch: str, target_watch: str, now: dt.datetime) -> None:
    book = AlertBook(store)
    for entry in book.channels(source_watch):
        book.add_channel(target_watch, entry.config, now)
