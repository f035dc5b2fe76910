"""The daemon over a real loopback feed and a SQLite store: once, again, restart, schedule, failures, alerts."""

from __future__ import annotations

import datetime as dt
import json
import threading

from pydantic import SecretStr

from hikeshi.alerts import AlertBook, Alerter, AlertSettings, WebhookConfig, verify_signature
from hikeshi.ingest import Analyzer
from hikeshi.monitor import Monitor, monitor_status
from hikeshi.records import SignalKind
from hikeshi.sources import SafeHttpClient
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver, Served
from tests.monitor.conftest import WATCH
from tests.monitor.feeds import BASE, LATER_ITEMS, NEWS_ITEMS, Item, rss

NOW = BASE + dt.timedelta(hours=1)


class FakeTime:
    """A clock and a sleep that only moves it, so a day of polling runs in milliseconds."""

    def __init__(self, start: dt.datetime, stop: threading.Event, stop_after: dt.datetime) -> None:
        self.now = start
        self.stop = stop
        self.stop_after = stop_after
        self.sleeps: list[float] = []

    def clock(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += dt.timedelta(seconds=seconds)
        if self.now >= self.stop_after:
            self.stop.set()


def make_monitor(
    store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer, **kwargs: object
) -> Monitor:
    options: dict[str, object] = {"clock": lambda: NOW, **kwargs}
    return Monitor(store, settings, client, analyzer, **options)  # type: ignore[arg-type]


def test_once_ingests_the_feed_and_a_second_run_adds_nothing(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    receiver.routes["/feed.xml"] = Served(rss(NEWS_ITEMS), headers={"ETag": '"v1"'})
    source = store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/feed.xml"}, 600)
    monitor = make_monitor(store, settings, client, analyzer)
    (first,) = monitor.run_once().polls
    assert (first.fetched, first.inserted, first.skipped, first.error) == (4, 3, 1, None)
    assert store.count_posts(WATCH.name) == 3
    assert all(p.analysis is not None for p in store.search_posts(WATCH.name))
    (second,) = monitor.run_once().polls
    assert (second.inserted, second.duplicates) == (0, 3)
    assert store.count_posts(WATCH.name) == 3
    saved = store.get_source(source.id)
    assert saved.last_polled_at == NOW
    assert saved.state["etag"] == '"v1"'
    assert saved.state["monitor"]["posts_total"] == 3
    assert receiver.gets("/feed.xml")[1].headers["if-none-match"] == '"v1"'


def test_restart_resumes_from_saved_state(
    receiver: HttpReceiver, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    receiver.routes["/feed.xml"] = Served(rss(NEWS_ITEMS), headers={"ETag": '"v1"'})
    with Store.open(settings) as store:
        store.add_watch(WATCH)
        source = store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/feed.xml"}, 600)
        make_monitor(store, settings, client, analyzer).run_once()
    # The process ends; the site publishes two more articles; a new process opens the same database.
    receiver.routes["/feed.xml"] = Served(rss(NEWS_ITEMS + LATER_ITEMS), headers={"ETag": '"v2"'})
    with Store.open(settings) as store:
        later = NOW + dt.timedelta(hours=3)
        (poll,) = make_monitor(store, settings, client, analyzer, clock=lambda: later).run_once().polls
        assert (poll.inserted, poll.duplicates) == (2, 3)
        state = store.get_source(source.id)
        assert (state.state["etag"], state.state["monitor"]["posts_total"], state.last_polled_at) == (
            '"v2"',
            5,
            later,
        )
        assert store.count_posts(WATCH.name) == 5
    assert receiver.gets("/feed.xml")[1].headers["if-none-match"] == '"v1"'


def test_loop_polls_on_schedule_and_stops_when_asked(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    receiver.routes["/fast.xml"] = Served(rss(NEWS_ITEMS[:2]))
    receiver.routes["/slow.xml"] = Served(rss(NEWS_ITEMS[2:]))
    store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/fast.xml"}, 600)
    store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/slow.xml"}, 3600)
    stop = threading.Event()
    fake = FakeTime(NOW, stop, stop_after=NOW + dt.timedelta(hours=2))
    monitor = make_monitor(store, settings, client, analyzer, clock=fake.clock, sleep=fake.sleep, stop=stop)
    monitor.run()
    # Two simulated hours: the 10-minute feed at 0, 10, ..., 110 min; the hourly one at 0 and 60 min.
    assert (len(receiver.gets("/fast.xml")), len(receiver.gets("/slow.xml"))) == (12, 2)
    assert max(fake.sleeps) <= 60.0
    assert store.count_posts(WATCH.name) == 3


def test_stop_during_a_cycle_finishes_the_current_source_only(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    receiver.routes["/a.xml"] = Served(rss(NEWS_ITEMS))
    receiver.routes["/b.xml"] = Served(rss(LATER_ITEMS))
    first = store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/a.xml"}, 600)
    second = store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/b.xml"}, 600)
    stop = threading.Event()
    calls = 0

    def analyze_then_stop(texts: object) -> object:
        nonlocal calls
        calls += 1
        stop.set()  # SIGTERM arrives while the first source's posts are being analysed
        return analyzer(texts)  # type: ignore[arg-type]

    report = make_monitor(store, settings, client, analyze_then_stop, stop=stop).run_once()  # type: ignore[arg-type]
    assert report.stopped and [p.source_id for p in report.polls] == [first.id]
    assert store.get_source(first.id).last_polled_at == NOW
    assert store.get_source(second.id).last_polled_at is None
    assert store.count_posts(WATCH.name) == 3


def test_failing_source_is_recorded_backed_off_and_others_continue(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    receiver.routes["/gone.xml"] = Served(b"<html>Service Unavailable</html>", "text/html", 503)
    receiver.routes["/feed.xml"] = Served(rss(NEWS_ITEMS))
    broken = store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/gone.xml"}, 600)
    store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/feed.xml"}, 600)
    polls = make_monitor(store, settings, client, analyzer).run_once().polls
    assert [p.error is None for p in polls] == [False, True]
    assert "HTTP 503" in (polls[0].error or "")
    (status,) = monitor_status(store, AlertBook(store))
    broken_status = next(s for s in status.sources if s.id == broken.id)
    assert broken_status.failures == 1 and "HTTP 503" in (broken_status.last_error or "")
    assert broken_status.next_poll_at == NOW + dt.timedelta(minutes=20)  # backed off × 2
    assert status.posts == 3
    # It recovers: the error is cleared and the normal interval applies again.
    receiver.routes["/gone.xml"] = Served(rss(LATER_ITEMS))
    make_monitor(store, settings, client, analyzer).run_once()
    (status,) = monitor_status(store, None)
    recovered = next(s for s in status.sources if s.id == broken.id)
    assert (recovered.failures, recovered.last_error, recovered.posts_total) == (0, None, 2)


GOOGLE_CALM = ["ミナト住建 評判", "ミナト住建 展示場", "ミナト住建 坪単価"]
GOOGLE_RISKY = ["ミナト住建 ブラック", "ミナト住建 評判", "ミナト住建 展示場"]


def test_suggest_source_raises_risky_suggest_and_one_signed_alert(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    def google(suggestions: list[str]) -> Served:
        return Served(
            json.dumps(["ミナト住建", suggestions], ensure_ascii=False).encode(),
            "application/json; charset=utf-8",
        )

    receiver.routes["/complete/search"] = google(GOOGLE_CALM)
    store.add_source(
        WATCH.name,
        "suggest",
        {"engines": ["google"], "urls": {"google": receiver.base_url + "/complete/search"}},
        3600,
    )
    book = AlertBook(store)
    book.add_channel(WATCH.name, WebhookConfig(url=receiver.base_url + "/hook", secret=SecretStr("鍵")), NOW)
    clock = [NOW]
    monitor = make_monitor(
        store, settings, client, analyzer, clock=lambda: clock[0], alerter=Alerter(book, settings)
    )
    assert monitor.run_once().signals == []
    receiver.routes["/complete/search"] = google(GOOGLE_RISKY)
    clock[0] += dt.timedelta(hours=1)
    report = monitor.run_once()
    assert [s.kind for s in report.signals] == [SignalKind.RISKY_SUGGEST]
    assert report.new_signals == 1
    clock[0] += dt.timedelta(hours=1)
    assert monitor.run_once().signals == []  # still there, but no longer new
    (hook,) = receiver.posts("/hook")
    body = json.loads(hook.body)
    assert body["event"] == "opened" and body["signals"][0]["kind"] == "risky_suggest"
    assert "ミナト住建 ブラック" in body["text"]
    assert verify_signature(
        "鍵", hook.headers["x-hikeshi-timestamp"], hook.body, hook.headers["x-hikeshi-signature"]
    )
    assert len(store.list_suggest_snapshots(WATCH.name)) == 18  # 3 names × 2 query variants × 3 rounds
    assert [s.kind for s in store.list_signals(WATCH.name)] == [SignalKind.RISKY_SUGGEST]


def test_future_dated_feed_items_are_set_aside_with_a_warning(
    receiver: HttpReceiver, store: Store, settings: AlertSettings, client: SafeHttpClient, analyzer: Analyzer
) -> None:
    typo = Item("typo-2099", "ミナト住建の新モデルハウスがオープン", dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    receiver.routes["/feed.xml"] = Served(rss([*NEWS_ITEMS, typo]))
    store.add_source(WATCH.name, "rss", {"url": receiver.base_url + "/feed.xml"}, 600)
    (poll,) = make_monitor(store, settings, client, analyzer).run_once().polls
    assert poll.inserted == 3
    assert any("未来の日時" in warning for warning in poll.warnings)
    assert all(post.created_at.year < 2099 for post in (p.post for p in store.search_posts(WATCH.name)))
