"""Grouping and cooldown: which signals become messages, so one flame gives one thread, not hundreds.

Pure: the plan is a function of the saved state, the new signals, the incident each signal belongs to and
the clock. A watch has at most one open thread; a signal joins it while it comes within
``group_window_minutes`` of the thread's previous signal (event time). Inside a thread a signal is sent only
when the severity rises above what was sent, or as a reminder once ``cooldown_minutes`` have passed since the
last message; everything else is folded into the next message's count. ``calmed`` closes the thread. Signals
already handled (same watch, kind and window start, same or lower severity) are ignored, which is what keeps
a restarted monitor from sending again.

One flame = one incident = one thread. A signal that the respond side says belongs to an incident
(`ThreadRef`) goes to the thread ``inc-<incident id>``, whatever the gap: the incident, not the window,
decides what belongs together. The first such signal takes over the watch's open thread, so the 21:26
severity-1 and 22:06 severity-2 messages and the 22:56 message that opens the incident read as one thread
(the mail root stays the first message: ``continues``). Announcements (`Notice`) join the message planned for
their thread in the same call, or go out as a message of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.alerts.base import AlertEvent, AlertMessage, Notice, ThreadRef
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
    incident: ThreadRef | None = None
    continues: str | None = Field(default=None, description="the watch thread this one took over")


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
    state: AlertState,
    signals: Iterable[Signal],
    policy_for: Mapping[str, AlertPolicy],
    now: dt.datetime,
    *,
    refs: Mapping[str, ThreadRef] | None = None,
    notices: Sequence[Notice] = (),
) -> tuple[AlertState, list[AlertMessage]]:
    """Decide the messages for `signals` (in detected_at order); returns the new state and the messages.

    `refs` maps `signal_key` to the incident a signal belongs to. Messages for the same thread within one call
    are merged into one, so a catch-up that sees a flame open and escalate in the same poll sends a single
    message with the highest severity, and an incident opened by a signal is announced in that message.
    """
    planner = _Planner(state, now)
    for signal in sorted(signals, key=lambda s: (s.detected_at, s.kind != SignalKind.CALMED)):
        key = signal_key(signal)
        if planner.handled.get(key, 0) >= signal.severity:
            continue
        planner.handled[key] = signal.severity
        policy = policy_for.get(signal.watch) or AlertPolicy()
        if now - signal.detected_at > dt.timedelta(hours=policy.max_signal_age_hours):
            continue
        ref = (refs or {}).get(key)
        if ref is None:
            planner.watch_signal(signal, policy)
        else:
            planner.incident_signal(signal, ref, policy)
    for notice in notices:
        planner.notice(notice)
    return planner.result()


class _Planner:
    """The working state of one `plan_alerts` call: threads by id, handled signals, messages by thread."""

    def __init__(self, state: AlertState, now: dt.datetime) -> None:
        self.threads = {t.id: t for t in state.threads}
        self.handled = dict(state.handled)
        self.pending: dict[str, AlertMessage] = {}
        self.now = now

    def result(self) -> tuple[AlertState, list[AlertMessage]]:
        kept = _trim(list(self.threads.values()))
        handled = self.handled
        if len(handled) > MAX_SEEN_SIGNALS:
            handled = dict(list(handled.items())[-MAX_SEEN_SIGNALS:])
        return AlertState(threads=kept, handled=handled), list(self.pending.values())

    # --- signals without an incident: today's grouping by watch and time window ---------------------------

    def watch_signal(self, signal: Signal, policy: AlertPolicy) -> None:
        current = _open(self.threads, signal.watch)
        window = dt.timedelta(minutes=policy.group_window_minutes)
        if (
            current is not None
            and signal.kind != SignalKind.CALMED
            and signal.detected_at - current.last_signal_at > window
        ):
            self.threads[current.id] = current.model_copy(update={"closed": True})
            current = None
        if signal.kind == SignalKind.CALMED:
            if current is not None:
                self._calm(current, signal)
            return
        if current is None:
            if signal.severity >= policy.min_severity:
                self._open_thread(thread_id(signal.watch, signal.detected_at), signal, None)
            return
        self._continue(current, signal, policy)

    # --- signals of an incident: its own thread, whatever the gap ---------------------------------------------

    def incident_signal(self, signal: Signal, ref: ThreadRef, policy: AlertPolicy) -> None:
        current = self._incident_thread(ref, signal.watch)
        if signal.kind == SignalKind.CALMED:
            if current is not None and not current.closed:
                self._calm(current, signal)
            return
        if current is None:
            self._close_others(signal.watch, ref.thread_id)
            self._open_thread(ref.thread_id, signal, ref)
            return
        if current.closed:  # the incident flared up again after calming: same thread, next message
            self._send(
                current.model_copy(update={"closed": False}),
                signal,
                AlertEvent.ESCALATED if signal.severity > current.max_severity_sent else AlertEvent.REMINDER,
            )
            return
        self._continue(current, signal, policy)

    def _incident_thread(self, ref: ThreadRef, watch: str) -> Thread | None:
        """The incident's thread, taking over the watch's open thread the first time (None: open a new one)."""
        existing = self.threads.get(ref.thread_id)
        if existing is not None:
            existing = existing.model_copy(update={"incident": ref})
            self.threads[existing.id] = existing
            return existing
        current = _open(self.threads, watch)
        if current is None or current.incident is not None:
            return None
        self.threads[current.id] = current.model_copy(update={"closed": True})
        earlier = self.pending.pop(current.id, None)
        sent_before = current.messages - (1 if earlier is not None else 0)
        continues = (current.continues or current.id) if sent_before > 0 else current.continues
        moved = current.model_copy(update={"id": ref.thread_id, "incident": ref, "continues": continues})
        self.threads[moved.id] = moved
        if earlier is not None:
            self.pending[moved.id] = earlier.model_copy(
                update={"thread_id": moved.id, "incident": ref, "continues": continues}
            )
        return moved

    def _close_others(self, watch: str, keep: str) -> None:
        for thread in list(self.threads.values()):
            if thread.watch == watch and not thread.closed and thread.id != keep:
                self.threads[thread.id] = thread.model_copy(update={"closed": True})

    # --- announcements ----------------------------------------------------------------------------------------

    def notice(self, notice: Notice) -> None:
        ref = notice.thread
        thread = self._incident_thread(ref, notice.watch)
        if thread is None:
            self._close_others(notice.watch, ref.thread_id)
            thread = Thread(
                id=ref.thread_id,
                watch=notice.watch,
                opened_at=self.now,
                last_signal_at=self.now,
                last_sent_at=self.now,
                max_severity_sent=ref.severity,
                messages=0,
                incident=ref,
            )
        earlier = self.pending.get(thread.id)
        if earlier is not None:
            self.pending[thread.id] = earlier.model_copy(
                update={"notices": [*earlier.notices, notice], "incident": ref}
            )
            return
        self.threads[thread.id] = thread.model_copy(update={"messages": thread.messages + 1})
        self.pending[thread.id] = AlertMessage(
            watch=thread.watch,
            thread_id=thread.id,
            sequence=thread.messages + 1,
            event=AlertEvent.NOTICE,
            severity=ref.severity,
            notices=[notice],
            incident=ref,
            continues=thread.continues,
            created_at=self.now,
        )

    # --- shared steps -----------------------------------------------------------------------------------------

    def _open_thread(self, new_id: str, signal: Signal, ref: ThreadRef | None) -> None:
        opened = Thread(
            id=new_id,
            watch=signal.watch,
            opened_at=signal.detected_at,
            last_signal_at=signal.detected_at,
            last_sent_at=signal.detected_at,
            max_severity_sent=signal.severity,
            messages=1,
            incident=ref,
        )
        self.threads[opened.id] = opened
        _queue(self.pending, opened, AlertEvent.OPENED, signal, signal.severity, self.now, None)

    def _calm(self, current: Thread, signal: Signal) -> None:
        self.threads[current.id] = current.model_copy(
            update={
                "closed": True,
                "last_signal_at": signal.detected_at,
                "messages": current.messages + (0 if current.id in self.pending else 1),
            }
        )
        _queue(self.pending, current, AlertEvent.CALMED, signal, current.max_severity_sent, self.now, None)

    def _continue(self, current: Thread, signal: Signal, policy: AlertPolicy) -> None:
        """Escalate, remind after the cooldown, or fold the signal into the next message's count."""
        cooldown = dt.timedelta(minutes=policy.cooldown_minutes)
        if signal.severity > current.max_severity_sent:
            event = AlertEvent.ESCALATED
        elif signal.detected_at - current.last_sent_at >= cooldown and signal.severity >= policy.min_severity:
            event = AlertEvent.REMINDER
        else:
            self.threads[current.id] = current.model_copy(
                update={
                    "last_signal_at": max(current.last_signal_at, signal.detected_at),
                    "folded": current.folded + 1,
                }
            )
            return
        self._send(current, signal, event)

    def _send(self, current: Thread, signal: Signal, event: AlertEvent) -> None:
        previous = current.max_severity_sent if event == AlertEvent.ESCALATED else None
        self.threads[current.id] = current.model_copy(
            update={
                "last_signal_at": max(current.last_signal_at, signal.detected_at),
                "last_sent_at": signal.detected_at,
                "max_severity_sent": max(current.max_severity_sent, signal.severity),
                "messages": current.messages + (0 if current.id in self.pending else 1),
                "folded": 0,
            }
        )
        _queue(self.pending, current, event, signal, signal.severity, self.now, previous)


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
            incident=thread.incident,
            continues=thread.continues,
            created_at=now,
        )
        return
    merged_event = earlier.event
    if event == AlertEvent.CALMED:
        merged_event = AlertEvent.CALMED if earlier.event != AlertEvent.OPENED else earlier.event
    elif event == AlertEvent.ESCALATED and earlier.event in (AlertEvent.REMINDER, AlertEvent.NOTICE):
        merged_event = AlertEvent.ESCALATED
    elif event == AlertEvent.REMINDER and earlier.event == AlertEvent.NOTICE:
        merged_event = AlertEvent.REMINDER
    pending[thread.id] = earlier.model_copy(
        update={
            "event": merged_event,
            "severity": max(earlier.severity, severity),
            "previous_severity": earlier.previous_severity
            if earlier.previous_severity is not None
            else previous,
            "signals": [*earlier.signals, signal],
            "incident": thread.incident or earlier.incident,
        }
    )


def _trim(threads: list[Thread]) -> list[Thread]:
    open_threads = [t for t in threads if not t.closed]
    closed = sorted((t for t in threads if t.closed), key=lambda t: t.last_signal_at)[-MAX_CLOSED_THREADS:]
    return sorted([*closed, *open_threads], key=lambda t: t.opened_at)
