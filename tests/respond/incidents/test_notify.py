"""Incidents through the alert channels, on a real store and a real loopback receiver.

A hand-opened incident is announced at the next cycle (and only once); each overdue task once; every message
sent is written on the incident's timeline; a signal on an incident's timeline goes to ``inc-<id>``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from hikeshi.alerts import AlertBook, Alerter, SlackConfig, TeamsConfig
from hikeshi.records import Signal, SignalEvidence, SignalKind
from hikeshi.respond.incidents.flows import apply_signals
from hikeshi.respond.incidents.notify import alert_incidents, incident_refs, opening_text
from hikeshi.respond.incidents.records import EventKind, Role
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.settings import Settings
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver, http_receiver
from tests.respond.incidents.conftest import WATCH

OPENED = dt.datetime(2026, 3, 12, 13, 56, tzinfo=dt.UTC)  # 22:56 JST
SLACK = "/services/T/B/room"
TEAMS = "/workflows/room"


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with http_receiver() as running:
        yield running


@pytest.fixture
def settings() -> Settings:
    return Settings(
        allow_private_urls=True, http_timeout_seconds=5.0, public_url="https://hikeshi.example.jp"
    )


@pytest.fixture
def alerter(store: Store, receiver: HttpReceiver, settings: Settings) -> Alerter:
    book = AlertBook(store)
    book.add_channel(WATCH, SlackConfig(webhook_url=receiver.base_url + SLACK), OPENED)
    book.add_channel(WATCH, TeamsConfig(webhook_url=receiver.base_url + TEAMS), OPENED)
    return Alerter(book, settings)


def signal(severity: int, minutes: int, kind: SignalKind = SignalKind.NEGATIVITY_RISE) -> Signal:
    at = OPENED + dt.timedelta(minutes=minutes)
    return Signal(
        watch=WATCH,
        kind=kind,
        window_start=at - dt.timedelta(minutes=30),
        detected_at=at,
        severity=severity,
        evidence=SignalEvidence(post_ids=["x:x-000812"]),
        summary="直近 30 分の否定的な投稿が 5 人／6 人に増えています。",
    )


def slack_texts(receiver: HttpReceiver) -> list[str]:
    return [json.loads(r.body)["text"] for r in receiver.posts(SLACK)]


def test_a_hand_opened_incident_is_announced_at_the_next_cycle_once(
    incidents: IncidentStore, alerter: Alerter, receiver: HttpReceiver, settings: Settings
) -> None:
    incident = incidents.open(
        WATCH, "LINE のスクリーンショット拡散", playbook=default_playbook(), actor="tanaka"
    )
    now = incident.opened_at + dt.timedelta(minutes=5)
    run = alert_incidents(alerter, incidents, [], settings, now)
    (message,) = run.messages
    assert (message.thread_id, message.sequence) == (f"inc-{incident.id}", 1)
    assert slack_texts(receiver) == [f"【インシデント開始・注意】{WATCH}: LINE のスクリーンショット拡散"]
    card = json.loads(receiver.posts(TEAMS)[0].body)["attachments"][0]["content"]
    assert card["actions"][0]["url"] == f"https://hikeshi.example.jp/incidents/{incident.id}"
    assert alert_incidents(alerter, incidents, [], settings, now + dt.timedelta(minutes=1)).messages == []
    sent = incidents.events(incident.id, kinds=[EventKind.ALERT])
    assert sorted((e.data.get("channel"), e.data.get("sequence")) for e in sent if "channel" in e.data) == [
        ("slack", 1),
        ("teams", 1),
    ]
    assert [e.summary for e in sent if "channel" not in e.data] == [
        f"インシデントの開始を通知しました（スレッド inc-{incident.id} の 1 通目・通知先 2 件）"
    ]
    assert "Slack に通知しました（スレッド inc-" in next(
        e.summary for e in sent if e.data.get("channel") == "slack"
    )


def test_each_overdue_task_is_notified_once(
    incidents: IncidentStore, alerter: Alerter, receiver: HttpReceiver, settings: Settings
) -> None:
    incident = incidents.open(WATCH, "炎上", playbook=default_playbook(), opened_at=OPENED, actor="tanaka")
    alert_incidents(alerter, incidents, [], settings, OPENED + dt.timedelta(minutes=1))
    incidents.complete_task(incident.id, "convene", "tanaka", at=OPENED + dt.timedelta(minutes=30))
    late = OPENED + dt.timedelta(minutes=61)  # 23:57: 証拠保全 (60 min) is overdue, 招集 was done in time
    run = alert_incidents(alerter, incidents, [], settings, late)
    (message,) = run.messages
    assert [n.text for n in message.notices] == ["タスク『証拠保全』（記録係）が期限 23:56 を過ぎています"]
    assert (
        slack_texts(receiver)[-1]
        == f"【期限切れ】{WATCH}: タスク『証拠保全』（記録係）が期限 23:56 を過ぎています"
    )
    assert message.sequence == 2 and message.thread_id == f"inc-{incident.id}"
    assert alert_incidents(alerter, incidents, [], settings, late + dt.timedelta(minutes=5)).messages == []
    overdue = incidents.events(incident.id, kinds=[EventKind.TASK_OVERDUE])
    assert [e.data["task"] for e in overdue] == ["preserve_evidence"]


def test_signals_on_an_incident_go_to_its_thread(
    store: Store, incidents: IncidentStore, alerter: Alerter, receiver: HttpReceiver, settings: Settings
) -> None:
    """22:06 severity 2 in the watch's thread; 22:56 severity 3 opens the incident and takes the thread over."""
    playbook = default_playbook()
    early = [signal(2, -50, SignalKind.VOLUME_SPIKE)]
    store.save_signals(early)
    apply_signals(store, early, playbook, now=early[0].detected_at)
    first = alert_incidents(alerter, incidents, early, settings, early[0].detected_at)
    (watch_thread,) = {m.thread_id for m in first.messages}
    opening = [signal(3, 0)]
    store.save_signals(opening)
    (incident,) = apply_signals(store, opening, playbook, now=OPENED).opened
    refs = incident_refs(incidents, [*early, *opening], settings)
    assert {ref.thread_id for ref in refs.values()} == {f"inc-{incident.id}"} and len(refs) == 2
    second = alert_incidents(alerter, incidents, opening, settings, OPENED)
    (message,) = second.messages
    assert (message.thread_id, message.sequence, message.continues) == (f"inc-{incident.id}", 2, watch_thread)
    assert [n.kind.value for n in message.notices] == ["incident_opened"]
    assert slack_texts(receiver) == [
        f"【要注意】{WATCH}: 投稿急増",
        f"【インシデント開始・警戒】{WATCH}: 否定的な声の増加",
    ]


def test_the_opening_text_lists_first_tasks_and_open_roles(incidents: IncidentStore) -> None:
    incident = incidents.open(WATCH, "炎上", playbook=default_playbook(), opened_at=OPENED, severity=3)
    incident = incidents.assign_role(incident.id, Role.PR, "鈴木", "tanaka")
    text = opening_text(incident, incidents.tasks(incident.id))
    assert text == (
        f"インシデント {incident.id}「炎上」を開きました（深刻度 3 警戒）。"
        "最初のタスク: 責任者を決めて招集（23:56 まで）、証拠保全（23:56 まで）、ポジションペーパー初版（03/13 00:56 まで）、"
        "第一報（ホールディングステートメント）（03/13 01:56 まで）。"
        "担当が決まっていない役割: 責任者、法務、お客様相談室、経営（承認者）、記録係。"
    )


def test_old_incidents_are_not_announced(
    incidents: IncidentStore, alerter: Alerter, settings: Settings
) -> None:
    incidents.open(WATCH, "先月の炎上", playbook=default_playbook(), opened_at=OPENED - dt.timedelta(days=30))
    assert alert_incidents(alerter, incidents, [], settings, OPENED).messages == []
