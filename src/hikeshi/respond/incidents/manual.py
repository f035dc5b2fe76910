"""What a person does by hand that the flows would do later: open an incident from one signal.

SCENARIO.md: the playbook opens an incident at severity 3, but 「a person may open it earlier with one click from
the signal」. The 広報 who reads the 22:06 severity-2 signal on a phone should not wait for the 22:56 one. The
incident opened this way is the one the flows would have opened: its `opened_at` is the signal's
`detected_at` (so due times and the time-to-open figures count from when the signal fired, also on a replay),
the signal and the lower signals of the lookback join its timeline under their dedupe keys, and when
detection later raises the severity-3 signal, that signal joins this incident instead of opening a second.

A signal that is already on an incident's timeline, or a watch that already has an open incident, leads to
that incident: one flame, one incident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hikeshi.errors import InputError
from hikeshi.records import SIGNAL_KIND_LABELS, Signal, SignalKind
from hikeshi.respond.incidents.flows import (
    _attach_lookback,
    _record_signal,
    incident_title,
)
from hikeshi.respond.incidents.records import EventKind, Incident
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import Playbook
from hikeshi.store import Store


@dataclass(frozen=True)
class SignalIncident:
    """The incident a signal leads to, and whether this call opened it."""

    incident: Incident
    opened: bool


def incident_holding(incidents: IncidentStore, signal: Signal) -> Incident | None:
    """The incident whose timeline records `signal` (matched by kind and window start), if any."""
    for incident in incidents.list_incidents(signal.watch, include_drills=True):
        for event in incidents.events(incident.id, kinds=[EventKind.SIGNAL]):
            if event.data.get("kind") != signal.kind.value:
                continue
            started = event.data.get("window_start")
            if isinstance(started, str) and dt.datetime.fromisoformat(started) == signal.window_start:
                return incident
    return None


def incident_for_signal(incidents: IncidentStore, signal: Signal) -> Incident | None:
    """Where the 「インシデントを開く」 button of a signal leads without opening anything: the incident holding
    the signal, else the watch's newest open incident (drills aside), else None."""
    holder = incident_holding(incidents, signal)
    if holder is not None:
        return holder
    current = incidents.list_incidents(signal.watch, include_drills=False, open_only=True, limit=1)
    return current[0] if current else None


def open_from_signal(
    store: Store,
    signal: Signal,
    playbook: Playbook,
    actor: str,
    *,
    title: str | None = None,
    incidents: IncidentStore | None = None,
) -> SignalIncident:
    """Open an incident from `signal` on behalf of `actor`, or return the one it already belongs to.

    Example: the 「否定的な声の増加」 signal of 22:06 (severity 2) opens an incident at 22:06 with severity 2;
    the 22:56 severity-3 spike later joins it and raises it to 3.
    """
    if signal.kind == SignalKind.CALMED:
        raise InputError(
            "沈静化のシグナルからはインシデントを開けません。急増や否定的な声の増加のシグナルから開いてください。"
        )
    incidents = incidents or IncidentStore(store)
    existing = incident_for_signal(incidents, signal)
    if existing is not None:
        return SignalIncident(incident=existing, opened=False)
    label = SIGNAL_KIND_LABELS.get(signal.kind, signal.kind.value)
    incident = incidents.open(
        signal.watch,
        title if title and title.strip() else incident_title(signal),
        playbook=playbook,
        severity=signal.severity,
        opened_at=signal.detected_at,
        actor=actor,
        reason=f"{label}（深刻度 {signal.severity}）のシグナルから {actor} さんが開きました",
    )
    _record_signal(incidents, incident, signal)
    _attach_lookback(store, incidents, incident, signal, playbook)
    return SignalIncident(incident=incidents.get(incident.id), opened=True)
