"""Grouping and cooldown: which signals become messages, so one flame gives one thread, not hundreds.

Pure: the plan is a function of the saved state, the new signals and the clock. A watch has at most one open
thread; a signal joins it while it comes within ``group_window_minutes`` of the thread's previous signal
(event time). Inside a thread a signal is sent only when the severity rises above what was sent, or as a
reminder once ``cooldown_minutes`` have passed since the last message; everything else is folded into the
next message's count. ``calmed`` closes the thread. Signals already handled (same watch, kind and window
start, same or lower severity) are ignored, which is what keeps a restarted monitor from sending again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.alerts.base import AlertEvent, AlertMessage
from hikeshi.records import Signal, SignalKind

MAX_CLOSED_THREADS = 200
MAX_SEEN_SIGNALS = 20_000


class AlertPolicy(BaseModel):
    """Per-watch grouping settings (`hikeshi alert policy`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group_window_minutes: int = Field(default=360, ge=1, description="gap that still continues a thread")
    cooldown_minutes: int = Field(
        default=60, ge=0, description="least time between two same-severity messages"
    )
    min_severity: int = Field(default=2, ge=1, le=4, description="least severity that opens a thread")
    max_signal_age_hours: float = Field(
        default=24.0, gt=0, description="older signals are not sent (catch-up)"
    )


class Thread(BaseModel):
    """An incident thread: the episode of one flame as seen by the alerting side."""

    model_config = ConfigDict(frozen=True)

    id: str
    watch: str
    opened_at: AwareDatetime
    last_signal_at: AwareDatetime
    last_sent_at: AwareDatetime
    max_severity_sent: int
    messages: int
    folded: int = 0
    closed: bool = False


class AlertState(BaseModel):
    """What must survive a restart: the threads and which signals were handled."""

    model_config = ConfigDict(frozen=True)

    threads: list[Thread] = Field(default_factory=list)
    handled: dict[str, int] = Field(default_factory=dict, description="signal key → severity handled")

    def open_thread(self, watch: str) -> Thread | None:
        return next((t for t in reversed(self.threads) if t.watch == watch and not t.closed), None)


def signal_key(signal: Signal) -> str:
    """The store's identity of a signal: one per (watch, kind, window_start)."""
    return f"{signal.watch}|{signal.kind.value}|{signal.window_start.astimezone(dt.UTC).isoformat()}"


def thread_id(watch: str, opened_at: dt.datetime) -> str:
    digest = hashlib.sha256(f"{watch}\n{opened_at.astimezone(dt.UTC).isoformat()}".encode()).hexdigest()
    return f"inc-{digest[:16]}"


def plan_alerts(
    state: AlertState, signals: Iterable[Signal], policy_for: dict[str, AlertPolicy], now: dt.datetime
) -> tuple[AlertState, list[AlertMessage]]:
    """Decide the messages for `signals` (in detected_at order); returns the new state and the messages.

    Messages for the same thread within one call are merged into one, so a catch-up that sees a flame open
    and escalate in the same poll sends a single message with the highest severity.
    """
    threads = {t.id: t for t in state.threads}
    handled = dict(state.handled)
    pending: dict[str, AlertMessage] = {}
    for signal in sorted(signals, key=lambda s: (s.detected_at, s.kind != SignalKind.CALMED)):
        key = signal_key(signal)
        if handled.get(key, 0) >= signal.severity:
            continue
        handled[key] = signal.severity
        policy = policy_for.get(signal.watch) or AlertPolicy()
        if now - signal.detected_at > dt.timedelta(hours=policy.max_signal_age_hours):
            continue
        current = _open(threads, signal.watch)
        window = dt.timedelta(minutes=policy.group_window_minutes)
        if (
            current is not None
            and signal.kind != SignalKind.CALMED
            and signal.detected_at - current.last_signal_at > window
        ):
            threads[current.id] = current.model_copy(update={"closed": True})
            current = None
        if signal.kind == SignalKind.CALMED:
            if current is not None:
                threads[current.id] = current.model_copy(
                    update={
                        "closed": True,
                        "last_signal_at": signal.detected_at,
                        "messages": current.messages + (0 if current.id in pending else 1),
                    }
                )
                _queue(pending, current, AlertEvent.CALMED, signal, current.max_severity_sent, now, None)
            continue
        if current is None:
            if signal.severity < policy.min_severity:
                continue
            opened = Thread(
                id=thread_id(signal.watch, signal.detected_at),
                watch=signal.watch,
                opened_at=signal.detected_at,
                last_signal_at=signal.detected_at,
                last_sent_at=signal.detected_at,
                max_severity_sent=signal.severity,
                messages=1,
            )
            threads[opened.id] = opened
            _queue(pending, opened, AlertEvent.OPENED, signal, signal.severity, now, None)
            continue
        updated = current.model_copy(
            update={"last_signal_at": max(current.last_signal_at, signal.detected_at)}
        )
        cooldown = dt.timedelta(minutes=policy.cooldown_minutes)
        if signal.severity > current.max_severity_sent:
            event, previous = AlertEvent.ESCALATED, current.max_severity_sent
        elif signal.detected_at - current.last_sent_at >= cooldown and signal.severity >= policy.min_severity:
            event, previous = AlertEvent.REMINDER, None
        else:
            threads[current.id] = updated.model_copy(update={"folded": current.folded + 1})
            continue
        threads[current.id] = updated.model_copy(
            update={
                "last_sent_at": signal.detected_at,
                "max_severity_sent": max(current.max_severity_sent, signal.severity),
                "messages": current.messages + (0 if current.id in pending else 1),
                "folded": 0,
            }
        )
        _queue(pending, current, event, signal, signal.severity, now, previous)
    kept = _trim(list(threads.values()))
    if len(handled) > MAX_SEEN_SIGNALS:
        handled = dict(list(handled.items())[-MAX_SEEN_SIGNALS:])
    return AlertState(threads=kept, handled=handled), list(pending.values())


def _open(threads: dict[str, Thread], watch: str) -> Thread | None:
    candidates = [t for t in threads.values() if t.watch == watch and not t.closed]
    return max(candidates, key=lambda t: t.opened_at) if candidates else None


def _queue(
    pending: dict[str, AlertMessage],
    thread: Thread,
    event: AlertEvent,
    signal: Signal,
    severity: int,
    now: dt.datetime,
    previous: int | None,
) -> None:
    """Add a message for `thread`, merging with one already planned in this call."""
    earlier = pending.get(thread.id)
    if earlier is None:
        sequence = 1 if event == AlertEvent.OPENED else thread.messages + 1
        pending[thread.id] = AlertMessage(
            watch=thread.watch,
            thread_id=thread.id,
            sequence=sequence,
            event=event,
            severity=severity,
            previous_severity=previous,
            signals=[signal],
            folded=thread.folded,
            created_at=now,
        )
        return
    merged_event = earlier.event
    if event == AlertEvent.CALMED:
        merged_event = AlertEvent.CALMED if earlier.event != AlertEvent.OPENED else earlier.event
    elif event == AlertEvent.ESCALATED and earlier.event == AlertEvent.REMINDER:
        merged_event = AlertEvent.ESCALATED
    pending[thread.id] = earlier.model_copy(
        update={
            "event": merged_event,
            "severity": max(earlier.severity, severity),
            "previous_severity": earlier.previous_severity
            if earlier.previous_severity is not None
            else previous,
            "signals": [*earlier.signals, signal],
        }
    )


def _trim(threads: list[Thread]) -> list[Thread]:
    open_threads = [t for t in threads if not t.closed]
    closed = sorted((t for t in threads if t.closed), key=lambda t: t.last_signal_at)[-MAX_CLOSED_THREADS:]
    return sorted([*closed, *open_threads], key=lambda t: t.opened_at)
