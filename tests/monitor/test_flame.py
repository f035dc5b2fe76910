"""A flame through the whole loop: the bundled replay served as a growing feed, polled every 30 minutes.

Three calm days, then the evening the LINE screenshot spreads (onset 21:10 JST). The monitor must raise
signals within the flame, open ONE incident, and send them as ONE thread named after that incident, with only
a few messages, not one per signal; the opening and each overdue task are announced in the same thread, and
every message sent is on the incident's timeline.
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic import SecretStr

from hikeshi.alerts import AlertBook, Alerter, AlertSettings, SlackConfig, WebhookConfig
from hikeshi.ingest import Analyzer
from hikeshi.monitor import Monitor
from hikeshi.records import SignalKind
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.sources import SafeHttpClient
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver, Served
from tests.monitor.conftest import WATCH
from tests.monitor.feeds import replay_items, rss

ONSET = dt.datetime.fromisoformat("2026-03-12T21:10:00+09:00")
START = ONSET - dt.timedelta(days=3)


def test_flame_opens_one_incident_with_one_thread_and_few_messages(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    store.add_source(
        WATCH.name, "rss", {"url": receiver.base_url + "/search.rss", "match_terms": False}, 1800
    )
    book = AlertBook(store)
    book.add_channel(WATCH.name, WebhookConfig(url=receiver.base_url + "/hook", secret=SecretStr("k")), ONSET)
    book.add_channel(WATCH.name, SlackConfig(webhook_url=receiver.base_url + "/services/T/B/x"), ONSET)
    linked = settings.model_copy(update={"public_url": "https://hikeshi.example.jp/"})
    now = [ONSET - dt.timedelta(minutes=10)]
    monitor = Monitor(store, linked, client, analyzer, alerter=Alerter(book, linked), clock=lambda: now[0])
    reports = []
    while now[0] <= ONSET + dt.timedelta(hours=3):
        receiver.routes["/search.rss"] = Served(rss(replay_items(START, now[0])))
        reports.append(monitor.run_once())
        now[0] += dt.timedelta(minutes=30)
    calm, *flame = reports
    assert [s for s in calm.signals if s.kind in (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE)] == []
    raised = [s for report in flame for s in report.signals]
    alarm = min(
        s.detected_at for s in raised if s.kind in (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE)
    )
    assert alarm - ONSET < dt.timedelta(minutes=90)
    assert store.count_posts(WATCH.name) == len(replay_items(START, now[0] - dt.timedelta(minutes=30)))

    # One flame = one incident, opened by the monitor at the signal's event time.
    incidents = IncidentStore(store)
    (incident,) = incidents.list_incidents(WATCH.name)
    assert [i.id for report in reports for i in report.opened] == [incident.id]
    assert incident.opened_by == "hikeshi" and incident.severity >= 3
    assert ONSET < incident.opened_at < ONSET + dt.timedelta(hours=3)
    due = (incident.opened_at + dt.timedelta(minutes=60)).astimezone(ONSET.tzinfo).strftime("%H:%M")

    # = one thread, named after the incident, on every channel; few messages, numbered in order.
    hooks = [json.loads(request.body) for request in receiver.posts("/hook")]
    assert {hook["thread_id"] for hook in hooks} == {f"inc-{incident.id}"}
    assert {hook["incident_id"] for hook in hooks} == {incident.id}
    assert [hook["sequence"] for hook in hooks] == list(range(1, len(hooks) + 1))
    about_signals = [hook for hook in hooks if hook["signals"]]
    assert 1 <= len(about_signals) <= 3 and len(about_signals) < len(raised)
    assert hooks[0]["event"] == "opened"
    assert hooks[0]["notices"][0]["kind"] == "incident_opened"
    assert hooks[0]["link"] == f"https://hikeshi.example.jp/incidents/{incident.id}"
    overdue = [n["text"] for hook in hooks for n in hook["notices"] if n["kind"] == "task_overdue"]
    assert overdue[:2] == [
        f"タスク『責任者を決めて招集』（責任者）が期限 {due} を過ぎています",
        f"タスク『証拠保全』（記録係）が期限 {due} を過ぎています",
    ]
    assert len(overdue) == len(set(overdue))  # each overdue task once

    slack = [json.loads(request.body) for request in receiver.posts("/services/T/B/x")]
    assert len(slack) == len(hooks)
    assert slack[0]["text"].startswith("【インシデント開始・")
    footers = [message["blocks"][-1]["elements"][0]["text"] for message in slack]
    assert [footer.split("・")[:2] for footer in footers] == [
        [f"インシデント {incident.id}", f"スレッド inc-{incident.id}（{n} 通目）"]
        for n in range(1, len(slack) + 1)
    ]

    # Every message sent is on the incident's timeline, with the channel and its number in the thread.
    sent = incidents.events(incident.id, kinds=[EventKind.ALERT])
    deliveries = sorted(
        (event.data["channel"], event.data["sequence"]) for event in sent if "channel" in event.data
    )
    assert deliveries == sorted(
        [("webhook", n) for n in range(1, len(hooks) + 1)] + [("slack", n) for n in range(1, len(slack) + 1)]
    )
    assert any(event.summary.startswith("インシデントの開始を通知しました") for event in sent)
    last = now[0] - dt.timedelta(minutes=30)
    overdue_tasks = [t for t in incidents.tasks(incident.id) if t.overdue(last)]
    assert len(overdue_tasks) == len(overdue) >= 2
    assert incidents.overdue_tasks(last, unnotified_only=True) == []
