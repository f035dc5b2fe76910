"""Plan → deliver → remember: the only place that combines grouping, channels and the saved state.

A channel that fails keeps its message in an outbox and gets it again on the next cycle (up to
`MAX_ATTEMPTS` tries), so a short Slack outage does not lose the first alert of a flame; the thread state is
saved either way, so nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.alerts.base import (
    AlertChannel,
    AlertEvent,
    AlertMessage,
    AnyChannelConfig,
    Notice,
    ThreadRef,
    build_channel,
)
from hikeshi.alerts.config import AlertBook, ChannelEntry, PendingDelivery
from hikeshi.alerts.grouping import plan_alerts, signal_key
from hikeshi.errors import HikeshiError, InputError
from hikeshi.records import Signal
from hikeshi.settings import Settings

MAX_ATTEMPTS = 5

ChannelBuilder = Callable[[AnyChannelConfig, Settings], AlertChannel]


class Delivery(BaseModel):
    """The outcome of one message on one channel."""

    model_config = ConfigDict(frozen=True)

    channel_id: int
    kind: str
    watch: str
    thread_id: str
    sequence: int
    event: AlertEvent
    ok: bool
    error: str | None = None
    gave_up: bool = False
    incident_id: int | None = None
    retry: bool = Field(
        default=False, description="a message from the outbox, first tried in an earlier cycle"
    )


class AlertRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    messages: list[AlertMessage]
    deliveries: list[Delivery]


class Alerter:
    def __init__(self, book: AlertBook, settings: Settings, *, build: ChannelBuilder = build_channel) -> None:
        self.book = book
        self.settings = settings
        self._build = build

    def process(
        self,
        signals: Iterable[Signal],
        now: dt.datetime,
        *,
        refs: Mapping[str, ThreadRef] | None = None,
        notices: Sequence[Notice] = (),
    ) -> AlertRun:
        """Retry the outbox, plan messages for `signals` and `notices`, send them, and save the state.

        `refs` (signal key → incident) comes from the respond side: a signal of an incident goes to the
        incident's thread ``inc-<id>``.
        """
        signals = list(signals)
        channels = self.book.channels()
        by_id = {entry.id: entry for entry in channels}
        outbox: list[PendingDelivery] = []
        finished: list[int] = []
        deliveries: list[Delivery] = []
        for pending in self.book.outbox():
            entry = by_id.get(pending.channel_id)
            assert pending.id is not None
            finished.append(pending.id)
            if entry is None:
                continue
            delivery = self._send(entry, pending.message).model_copy(update={"retry": True})
            deliveries.append(self._settle(delivery, entry, pending.message, pending.attempts, outbox))
        state = self.book.load_state(
            [signal_key(signal) for signal in signals],
            [ref.thread_id for ref in (refs or {}).values()] + [n.thread.thread_id for n in notices],
        )
        alert_state, messages = plan_alerts(
            state, signals, self.book.policies(), now, refs=refs, notices=notices
        )
        for message in messages:
            for entry in (c for c in channels if c.watch == message.watch):
                delivery = self._send(entry, message)
                deliveries.append(self._settle(delivery, entry, message, 0, outbox))
        self.book.save_state(alert_state, previous=state, outbox=outbox, delivered=finished, now=now)
        return AlertRun(messages=messages, deliveries=deliveries)

    def test(self, watch: str, now: dt.datetime) -> list[Delivery]:
        """Send a test message to every channel of `watch`; the thread state is not touched."""
        entries = self.book.channels_for(watch)
        if not entries:
            raise InputError(
                f"ウォッチ「{watch}」には通知先がありません。`hikeshi alert add --watch {watch} --kind …` で追加してください。"
            )
        message = AlertMessage(
            watch=watch, thread_id="test", sequence=1, event=AlertEvent.TEST, severity=1, created_at=now
        )
        return [self._send(entry, message) for entry in entries]

    def _send(self, entry: ChannelEntry, message: AlertMessage) -> Delivery:
        error: str | None = None
        try:
            self._build(entry.config, self.settings).send(message)
        except HikeshiError as failure:  # AlertDeliveryError, or a bad URL found at send time
            error = str(failure)
        return Delivery(
            channel_id=entry.id,
            kind=entry.config.kind,
            watch=message.watch,
            thread_id=message.thread_id,
            sequence=message.sequence,
            event=message.event,
            ok=error is None,
            error=error,
            incident_id=message.incident.incident_id if message.incident else None,
        )

    @staticmethod
    def _settle(
        delivery: Delivery,
        entry: ChannelEntry,
        message: AlertMessage,
        attempts_before: int,
        outbox: list[PendingDelivery],
    ) -> Delivery:
        if delivery.ok:
            return delivery
        attempts = attempts_before + 1
        if attempts >= MAX_ATTEMPTS:
            return delivery.model_copy(update={"gave_up": True})
        outbox.append(
            PendingDelivery(
                channel_id=entry.id, message=message, attempts=attempts, last_error=delivery.error or ""
            )
        )  # a retried message is saved anew (its old outbox row is removed in the same transaction)
        return delivery
