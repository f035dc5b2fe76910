"""A flame through the whole loop: the bundled replay served as a growing feed, polled every 30 minutes.

Three calm days, then the evening the LINE screenshot spreads (onset 21:10 JST). The monitor must raise
signals within the flame and send them as ONE incident thread with only a few messages, not one per signal.
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic import SecretStr

from hikeshi.alerts import AlertBook, Alerter, AlertSettings, WebhookConfig
from hikeshi.ingest import Analyzer
from hikeshi.monitor import Monitor
from hikeshi.records import SignalKind
from hikeshi.sources import SafeHttpClient
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver, Served
from tests.monitor.conftest import WATCH
from tests.monitor.feeds import replay_items, rss

ONSET = dt.datetime.fromisoformat("2026-03-12T21:10:00+09:00")
START = ONSET - dt.timedelta(days=3)


def test_flame_gives_one_thread_with_few_messages(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    store.add_source(
        WATCH.name, "rss", {"url": receiver.base_url + "/search.rss", "match_terms": False}, 1800
    )
    book = AlertBook.for_settings(settings)
    book.add_channel(WATCH.name, WebhookConfig(url=receiver.base_url + "/hook", secret=SecretStr("k")), ONSET)
    now = [ONSET - dt.timedelta(minutes=10)]
    monitor = Monitor(
        store, settings, client, analyzer, alerter=Alerter(book, settings), clock=lambda: now[0]
    )
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
    hooks = [json.loads(request.body) for request in receiver.posts("/hook")]
    assert len(raised) >= 3
    assert len({hook["thread_id"] for hook in hooks}) == 1
    assert 1 <= len(hooks) <= 3
    assert len(hooks) < len(raised)
    assert hooks[0]["event"] == "opened"
    assert [hook["sequence"] for hook in hooks] == list(range(1, len(hooks) + 1))
    assert store.count_posts(WATCH.name) == len(replay_items(START, now[0] - dt.timedelta(minutes=30)))
