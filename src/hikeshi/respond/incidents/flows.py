"""From signals to incidents: open on a serious signal, join the open one, follow its severity, calm it down.

Pure bookkeeping over the store, run wherever signals are produced (`hikeshi ingest`, `hikeshi monitor run`):

- a signal at or above the playbook's opening severity opens an incident for its watch, unless one is open
  (not 終了, and not 沈静化 for longer than `calm.rejoin_days`), which it joins; the incident's `opened_at`
  is the signal's `detected_at` (event time), so a replay of history opens incidents when a live monitor would
  have;
- lower signals join an open incident's timeline but never open one; when an incident opens, the lower
  signals of the `lookback_hours` before it join its timeline too (the 21:26 severity-1 spike of a flame that
  reaches severity 3 at 22:56 belongs to the same story);
- the incident's severity follows its worst signal (a person may raise it further);
- a `calmed` signal moves 対応中 → 経過観察; `calm.hours` later without a new alert it becomes 沈静化; a new
  alert of severity 2 or more on a 経過観察/沈静化 incident makes it 対応中 again (再燃).

Every signal is recorded once (its dedupe key is the store's signal identity), so replaying the same history
again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hikeshi.records import SIGNAL_KIND_LABELS, Signal, SignalKind
from hikeshi.respond.incidents.records import EventKind, Incident, IncidentStatus
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import Playbook
from hikeshi.store import Store

SYSTEM_ACTOR = "hikeshi"
ALERT_KINDS = frozenset({SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE})
REKINDLE_SEVERITY = 2


@dataclass
class SignalOutcome:
    """What `apply_signals` did: incidents opened, signals that joined one, status changes made."""

    opened: list[Incident] = field(default_factory=list)
    joined: int = 0
    changed: list[Incident] = field(default_factory=list)


def signal_dedupe_key(signal: Signal) -> str:
    """The store's identity of a signal, one per (kind, window start) within a watch."""
    return f"signal:{signal.kind.value}:{signal.window_start.astimezone(dt.UTC).isoformat()}"


def incident_title(signal: Signal) -> str:
    """A first title from the opening signal; a person renames nothing (titles are for finding it again)."""
    label = SIGNAL_KIND_LABELS.get(signal.kind, signal.kind.value)
    return f"{signal.watch}: {label}（{signal.detected_at.astimezone(dt.timezone(dt.timedelta(hours=9))):%m/%d %H:%M} 検知）"


def joinable(incident: Incident, at: dt.datetime, playbook: Playbook) -> bool:
    if incident.status == IncidentStatus.CLOSED:
        return False
    if incident.status == IncidentStatus.CALMED and incident.calmed_at is not None:
        return at - incident.calmed_at <= dt.timedelta(days=playbook.calm.rejoin_days)
    return True


def open_incident_for(
    incidents: IncidentStore, watch: str, at: dt.datetime, playbook: Playbook, *, drill: bool = False
) -> Incident | None:
    """The incident a new signal of `watch` at `at` belongs to, if any.

    Drills never absorb real signals, and a drill's signals join only a drill (`drill=True`): a drill replayed
    on a watch must not grow a real incident, nor a real flame count as an exercise.
    """
    for incident in incidents.list_incidents(watch, include_drills=drill, open_only=True):
        if incident.drill != drill:
            continue
        if joinable(incident, at, playbook) and incident.opened_at <= at + dt.timedelta(minutes=1):
            return incident
    return None


def apply_signals(
    store: Store,
    signals: Iterable[Signal],
    playbook: Playbook,
    *,
    now: dt.datetime | None = None,
    incidents: IncidentStore | None = None,
    drill: bool = False,
) -> SignalOutcome:
    """Open, join and update incidents for `signals` (any order; handled in detected_at order).

    `now` is the clock for the calm criterion: the wall clock in the monitor, the newest post's time on a
    replay. Without it, only the signals' own times move the status. With `drill`, what opens is marked as a
    drill (kept out of every metric) and only open drills are joined: the drill runner's monitor passes it.
    """
    incidents = incidents or IncidentStore(store)
    outcome = SignalOutcome()
    ordered = sorted(signals, key=lambda s: (s.detected_at, s.kind == SignalKind.CALMED))
    for signal in ordered:
        key = signal_dedupe_key(signal)
        if incidents.has_event(signal.watch, key):
            continue
        current = open_incident_for(incidents, signal.watch, signal.detected_at, playbook, drill=drill)
        if current is not None and _quiet_long_enough(current, signal.detected_at, playbook):
            current = _calm(incidents, current, playbook)
            outcome.changed.append(current)
            if not joinable(current, signal.detected_at, playbook):
                current = None
        if current is None:
            if signal.kind == SignalKind.CALMED or signal.severity < playbook.opening_severity:
                continue  # may still join a later incident through the lookback
            current = incidents.open(
                signal.watch,
                incident_title(signal),
                playbook=playbook,
                severity=signal.severity,
                opened_at=signal.detected_at,
                actor=SYSTEM_ACTOR,
                drill=drill,
                reason=f"{SIGNAL_KIND_LABELS.get(signal.kind, signal.kind.value)}（深刻度 {signal.severity}）を検知",
            )
            outcome.opened.append(current)
            _record_signal(incidents, current, signal)
            _attach_lookback(store, incidents, current, signal, playbook)
            continue
        _record_signal(incidents, current, signal)
        outcome.joined += 1
        changed = _follow(incidents, current, signal)
        if changed is not None:
            outcome.changed.append(changed)
    if now is not None:
        outcome.changed.extend(settle_calm(store, playbook, now, incidents=incidents))
    return outcome


def settle_calm(
    store: Store, playbook: Playbook, now: dt.datetime, *, incidents: IncidentStore | None = None
) -> list[Incident]:
    """経過観察 → 沈静化 for incidents quiet for `calm.hours` since they entered 経過観察."""
    incidents = incidents or IncidentStore(store)
    return [
        _calm(incidents, incident, playbook)
        for incident in incidents.list_incidents(include_drills=True, open_only=True)
        if _quiet_long_enough(incident, now, playbook)
    ]


def _quiet_long_enough(incident: Incident, now: dt.datetime, playbook: Playbook) -> bool:
    since = incident.monitoring_since
    return (
        incident.status == IncidentStatus.MONITORING
        and since is not None
        and now - since >= dt.timedelta(hours=playbook.calm.hours)
    )


def _calm(incidents: IncidentStore, incident: Incident, playbook: Playbook) -> Incident:
    assert incident.monitoring_since is not None
    return incidents.set_status(
        incident.id,
        IncidentStatus.CALMED,
        SYSTEM_ACTOR,
        at=incident.monitoring_since + dt.timedelta(hours=playbook.calm.hours),
        reason=f"経過観察から {playbook.calm.hours:g} 時間、新しい急増や否定的な声の増加がありません",
    )


def _record_signal(incidents: IncidentStore, incident: Incident, signal: Signal) -> None:
    label = SIGNAL_KIND_LABELS.get(signal.kind, signal.kind.value)
    incidents.add_event(
        incident.id,
        EventKind.SIGNAL,
        f"{label}（深刻度 {signal.severity}）: {signal.summary}",
        SYSTEM_ACTOR,
        at=signal.detected_at,
        data={
            "kind": signal.kind.value,
            "severity": signal.severity,
            "window_start": signal.window_start.isoformat(),
            "detected_at": signal.detected_at.isoformat(),
            "post_ids": list(signal.evidence.post_ids[:20]),
            "terms": list(signal.evidence.terms[:20]),
        },
        dedupe_key=signal_dedupe_key(signal),
    )
    incidents.update_signal_times(
        incident.id, first_signal_at=signal.detected_at, onset_at=signal.window_start
    )


def _follow(incidents: IncidentStore, incident: Incident, signal: Signal) -> Incident | None:
    """Severity and status after a signal joined `incident`; None when nothing changed."""
    changed: Incident | None = None
    if signal.kind == SignalKind.CALMED:
        if incident.status == IncidentStatus.ACTIVE:
            return incidents.set_status(
                incident.id,
                IncidentStatus.MONITORING,
                SYSTEM_ACTOR,
                at=signal.detected_at,
                reason="沈静化の兆し",
            )
        return None
    if signal.severity > incident.severity:
        changed = incidents.set_severity(
            incident.id,
            signal.severity,
            SYSTEM_ACTOR,
            at=signal.detected_at,
            reason="より深刻なシグナル",
            only_raise=True,
        )
    if (
        incident.status in (IncidentStatus.MONITORING, IncidentStatus.CALMED)
        and signal.kind in ALERT_KINDS
        and signal.severity >= REKINDLE_SEVERITY
    ):
        changed = incidents.set_status(
            incident.id, IncidentStatus.ACTIVE, SYSTEM_ACTOR, at=signal.detected_at, reason="再燃"
        )
    return changed


def _attach_lookback(
    store: Store, incidents: IncidentStore, incident: Incident, signal: Signal, playbook: Playbook
) -> None:
    since = signal.detected_at - dt.timedelta(hours=playbook.lookback_hours)
    earlier: Sequence[Signal] = [
        s
        for s in store.list_signals(signal.watch, since=since)
        if s.detected_at <= signal.detected_at and s.kind != SignalKind.CALMED
    ]
    for previous in earlier:
        if signal_dedupe_key(previous) == signal_dedupe_key(signal):
            continue
        if not incidents.has_event(signal.watch, signal_dedupe_key(previous)):
            _record_signal(incidents, incident, previous)
