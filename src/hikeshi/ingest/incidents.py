"""After an import: run the detectors over the watch, save the signals, and open or update incidents.

DESIGN.md: whenever signals are produced (`ingest` or `monitor run`), a signal at or above the playbook's
opening severity opens an incident. Detection replays the watch's whole stored stream, so the signals (and the
incidents' `opened_at`) are those a live monitor would have raised, whatever order the files came in.
"""

from __future__ import annotations

from dataclasses import dataclass

from hikeshi.detect import DetectorConfig, run_detectors
from hikeshi.records import Signal
from hikeshi.respond.incidents.flows import SignalOutcome, apply_signals
from hikeshi.respond.playbooks import Playbook
from hikeshi.store import Store


@dataclass(frozen=True)
class DetectionOutcome:
    signals: list[Signal]
    new_signals: int
    incidents: SignalOutcome


def detect_and_respond(store: Store, watch_name: str, playbook: Playbook) -> DetectionOutcome:
    """Replay detection for one watch and hand its signals to the incident flows.

    The calm clock is the newest stored post: on a replay of last month, "now" is the end of that month.
    """
    watch = store.get_watch(watch_name)
    signals = run_detectors(watch, store.iter_analyzed_posts(watch_name), DetectorConfig.for_watch(watch))
    new_signals = store.save_signals(signals) if signals else 0
    latest = store.watch_summary(watch_name).last_post_at
    outcome = apply_signals(store, signals, playbook, now=latest)
    return DetectionOutcome(signals=signals, new_signals=new_signals, incidents=outcome)
