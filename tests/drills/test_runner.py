"""A drill end to end on a real SQLite file: real server, sources, analyzers, detectors, flows and alerts.

The short TINY scenario keeps these tests to seconds; the bundled scenarios run in tests/cli/test_drill.py.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from hikeshi.alerts import AlertBook, WebhookConfig
from hikeshi.drills import DrillOutcome, Scenario, load_scenario, run_drill
from hikeshi.drills.records import INJECT_ACTOR
from hikeshi.ingest import Analyzer
from hikeshi.records import Watch
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.timezones import utc_now
from tests.alerts.receivers import HttpReceiver, http_receiver
from tests.drills.conftest import write_scenario


@dataclass(frozen=True)
class Ran:
    store: Store
    scenario: Scenario
    outcome: DrillOutcome
    receiver: HttpReceiver
    real_incident: int
    progress: list[str]


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Iterator[Ran]:
    """One drill beside a real watch that has its own channel and an incident with overdue tasks."""
    folder = tmp_path_factory.mktemp("drill")
    scenario = load_scenario(write_scenario(folder))
    # Alert channels on loopback need private URLs allowed for delivery; the drill's fetching is scoped anyway.
    settings = Settings(database_url=f"sqlite:///{folder / 'hikeshi.sqlite3'}", allow_private_urls=True)
    with http_receiver() as receiver, Store.open(settings) as store:
        now = utc_now()
        store.add_watch(Watch(name="コムギ堂", terms=["コムギ堂"]))
        store.add_watch(Watch(name="訓練: コムギ堂", terms=["コムギ堂", "こむぎ堂"]))
        book = AlertBook(store)
        book.add_channel(
            "コムギ堂", WebhookConfig(url=receiver.base_url + "/real", secret=SecretStr("r")), now
        )
        book.add_channel(
            "訓練: コムギ堂", WebhookConfig(url=receiver.base_url + "/drill", secret=SecretStr("d")), now
        )
        real = IncidentStore(store).open(
            "コムギ堂",
            "本物の炎上",
            playbook=default_playbook(),
            severity=3,
            opened_at=now - dt.timedelta(hours=2),
        )
        progress: list[str] = []
        outcome = run_drill(store, settings, scenario, analyzer, default_playbook(), report=progress.append)
        yield Ran(store, scenario, outcome, receiver, real.id, progress)


def test_a_drill_opens_exactly_one_incident_marked_as_a_drill(ran: Ran) -> None:
    incidents = IncidentStore(ran.store)
    drills = [i for i in incidents.list_incidents(include_drills=True) if i.drill]
    assert [i.id for i in drills] == [ran.outcome.incident_id]
    (drill,) = drills
    assert drill.watch == "訓練: コムギ堂" and drill.opened_by == "hikeshi" and drill.severity >= 3
    onset = ran.outcome.run.onset_at
    assert onset < drill.opened_at < onset + ran.scenario.end
    assert drill.opened_at <= utc_now()  # the drill's time never runs ahead of the wall clock
    assert [i.title for i in incidents.list_incidents()] == ["本物の炎上"]  # drills are left out by default
    assert any("インシデント" in line and "を開きました" in line for line in ran.progress)


def test_every_served_post_went_through_ingest_and_the_sources_are_gone(ran: Ran) -> None:
    assert ran.store.count_posts("訓練: コムギ堂") == ran.outcome.run.posts + ran.outcome.run.news
    assert ran.store.count_posts("コムギ堂") == 0
    assert ran.store.list_sources() == []  # nothing may poll a server that is gone
    kinds = {s.kind.value for s in ran.store.list_signals("訓練: コムギ堂")}
    assert {"volume_spike", "influencer_post"} <= kinds


def test_injects_land_on_the_timeline_at_their_scenario_times(ran: Ran) -> None:
    assert ran.outcome.incident_id is not None
    events = IncidentStore(ran.store).events(ran.outcome.incident_id, kinds=[EventKind.NOTE])
    injects = [e for e in events if "inject" in e.data]
    onset = ran.outcome.run.onset_at
    assert [e.at for e in injects] == [onset + inject.at for inject in ran.scenario.injects]
    assert all(e.actor == INJECT_ACTOR for e in injects)
    first = injects[0]
    assert first.data["inject"]["kind"] == "call" and first.summary.startswith("【状況付与】電凸（電話）")
    assert "コムギ堂さんですよね" in first.data["inject"]["text"]  # {name} is the company's name
    opened = IncidentStore(ran.store).get(ran.outcome.incident_id).opened_at
    assert first.at < opened  # a call before the monitor saw anything still lands at its own time
    marks = [e for e in events if "drill" in e.data or "drill_end" in e.data]
    assert [("drill" in e.data, "drill_end" in e.data) for e in marks] == [(True, False), (False, True)]


def test_alerts_go_to_the_drill_watchs_channels_only(ran: Ran) -> None:
    assert ran.receiver.posts("/real") == []
    hooks = [json.loads(request.body) for request in ran.receiver.posts("/drill")]
    # An alert sent before the incident opened has the watch's provisional thread; from the opening on, every
    # message stays in the incident's thread (alerts/grouping: the thread continues under inc-<id>).
    threads = [hook["thread_id"] for hook in hooks]
    incident_thread = f"inc-{ran.outcome.incident_id}"
    assert hooks and incident_thread in threads and len(set(threads)) <= 2
    assert set(threads[threads.index(incident_thread) :]) == {incident_thread}
    notices = [notice["text"] for hook in hooks for notice in hook["notices"]]
    assert notices[0].startswith("【訓練】インシデント")
    assert any("期限" in text and "過ぎています" in text for text in notices)


def test_the_real_incident_is_left_alone(ran: Ran) -> None:
    incidents = IncidentStore(ran.store)
    assert incidents.events(ran.real_incident, kinds=[EventKind.ALERT, EventKind.TASK_OVERDUE]) == []
    overdue = [task.key for incident, task in incidents.overdue_tasks(utc_now(), unnotified_only=True)]
    assert "convene" in overdue  # still to be announced by the real monitor, not marked by the drill


@pytest.mark.slow
def test_a_second_run_takes_a_fresh_drill_watch(
    tmp_path: Path, store: Store, settings: Settings, analyzer: Analyzer
) -> None:
    scenario = load_scenario(write_scenario(tmp_path))
    first = run_drill(store, settings, scenario, analyzer, default_playbook())
    second = run_drill(store, settings, scenario, analyzer, default_playbook())
    assert (first.run.watch, second.run.watch) == ("訓練: コムギ堂", "訓練: コムギ堂 (2)")
    incidents = IncidentStore(store).list_incidents(include_drills=True)
    assert sorted(i.id for i in incidents) == sorted([first.incident_id, second.incident_id])
    assert {i.watch for i in incidents} == {first.run.watch, second.run.watch}


@pytest.mark.slow
def test_at_speed_n_the_flame_plays_out_in_real_time(
    tmp_path: Path, store: Store, settings: Settings, analyzer: Analyzer
) -> None:
    scenario = load_scenario(write_scenario(tmp_path))
    started = time.monotonic()
    outcome = run_drill(store, settings, scenario, analyzer, default_playbook(), speed=3000)
    length = (scenario.start + scenario.end).total_seconds() / 3000  # 3.5 hours at 3000x: 4.2 seconds
    assert time.monotonic() - started >= length
    assert outcome.incident_id is not None and outcome.run.clock.speed == 3000
    assert outcome.run.clock.drill_finished_at == outcome.run.end_at


def test_a_stop_request_ends_the_run_early_and_cleanly(
    tmp_path: Path, store: Store, settings: Settings, analyzer: Analyzer
) -> None:
    scenario = load_scenario(write_scenario(tmp_path))
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()  # what Ctrl-C does in `hikeshi drill run`
    outcome = run_drill(store, settings, scenario, analyzer, default_playbook(), speed=60, stop=stop)
    finished = outcome.run.clock.drill_finished_at
    assert finished is not None and finished < outcome.run.onset_at  # stopped before the flame began
    assert outcome.incident_id is None and store.list_sources() == []
