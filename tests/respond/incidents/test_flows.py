"""Signals → incidents: open at the playbook's severity, join, follow, calm, rekindle; idempotent replays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hikeshi.ingest import ingest_file
from hikeshi.ingest.incidents import detect_and_respond
from hikeshi.records import Signal, SignalKind, Watch
from hikeshi.respond.incidents.flows import apply_signals
from hikeshi.respond.incidents.records import EventKind, IncidentStatus
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.store import Store
from hikeshi.timezones import JST
from tests.respond.incidents.conftest import WATCH

REPLAY = Path(__file__).resolve().parents[3] / "data" / "replay"
T0 = dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST)


def _signal(kind: SignalKind, minutes: int, severity: int, summary: str = "テスト") -> Signal:
    at = T0 + dt.timedelta(minutes=minutes)
    return Signal(
        watch=WATCH,
        kind=kind,
        window_start=at - dt.timedelta(minutes=30),
        detected_at=at,
        severity=severity,
        summary=summary,
    )


FLAME = [
    _signal(SignalKind.VOLUME_SPIKE, 16, 1, "直近 30 分に 6 人が投稿しました"),
    _signal(SignalKind.NEGATIVITY_RISE, 56, 2, "否定的な投稿をした人が 6 人"),
    _signal(SignalKind.VOLUME_SPIKE, 106, 3, "直近 120 分に 20 人が投稿しました"),
    _signal(SignalKind.VOLUME_SPIKE, 175, 4, "直近 60 分に 60 人が投稿しました"),
]


def test_a_flame_opens_one_incident_at_the_first_severity_3_signal(store: Store) -> None:
    store.save_signals(FLAME)
    outcome = apply_signals(store, FLAME, default_playbook())
    [incident] = outcome.opened
    assert incident.opened_at == T0 + dt.timedelta(minutes=106)
    incidents = IncidentStore(store)
    current = incidents.get(incident.id)
    assert current.severity == 4
    assert current.first_signal_at == T0 + dt.timedelta(
        minutes=16
    )  # the severity-1 spike joined via lookback
    signal_events = [e for e in incidents.events(incident.id) if e.kind == EventKind.SIGNAL]
    assert [e.data["severity"] for e in signal_events] == [1, 2, 3, 4]


def test_replaying_the_same_signals_changes_nothing(store: Store) -> None:
    store.save_signals(FLAME)
    apply_signals(store, FLAME, default_playbook())
    incidents = IncidentStore(store)
    before = incidents.events(incidents.list_incidents()[0].id)
    again = apply_signals(store, FLAME, default_playbook())
    assert again.opened == [] and again.joined == 0
    assert incidents.events(incidents.list_incidents()[0].id) == before


@pytest.mark.parametrize("severity", [1, 2])
def test_lower_signals_never_open_an_incident(store: Store, severity: int) -> None:
    signals = [
        _signal(SignalKind.VOLUME_SPIKE, 30, severity),
        _signal(SignalKind.NEGATIVITY_RISE, 60, severity),
    ]
    store.save_signals(signals)
    assert apply_signals(store, signals, default_playbook()).opened == []
    assert IncidentStore(store).list_incidents(include_drills=True) == []


def test_calm_then_calmed_after_the_quiet_hours_then_rekindled(store: Store) -> None:
    playbook = default_playbook()
    calmed = _signal(SignalKind.CALMED, 60 * 30, 1, "平常の範囲に戻りました")
    store.save_signals([*FLAME, calmed])
    apply_signals(store, [*FLAME, calmed], playbook)
    incidents = IncidentStore(store)
    incident = incidents.list_incidents()[0]
    assert incident.status == IncidentStatus.MONITORING
    apply_signals(store, [], playbook, now=calmed.detected_at + dt.timedelta(hours=11))
    assert incidents.get(incident.id).status == IncidentStatus.MONITORING
    apply_signals(store, [], playbook, now=calmed.detected_at + dt.timedelta(hours=12))
    after = incidents.get(incident.id)
    assert after.status == IncidentStatus.CALMED
    assert after.calmed_at == calmed.detected_at + dt.timedelta(hours=12)
    flare = _signal(SignalKind.NEGATIVITY_RISE, 60 * 60, 3, "謝罪文への批判")
    store.save_signals([flare])
    outcome = apply_signals(store, [flare], playbook)
    assert outcome.opened == []  # within rejoin_days: the same flame
    assert incidents.get(incident.id).status == IncidentStatus.ACTIVE


def test_a_new_flame_long_after_calm_opens_a_new_incident(store: Store) -> None:
    playbook = default_playbook()
    calmed = _signal(SignalKind.CALMED, 60 * 30, 1)
    store.save_signals([*FLAME, calmed])
    apply_signals(store, [*FLAME, calmed], playbook, now=calmed.detected_at + dt.timedelta(days=1))
    later = _signal(SignalKind.VOLUME_SPIKE, 60 * 24 * 30, 3, "別の件")
    store.save_signals([later])
    assert len(apply_signals(store, [later], playbook).opened) == 1
    assert len(IncidentStore(store).list_incidents()) == 2


def test_drills_do_not_absorb_real_signals(store: Store) -> None:
    incidents = IncidentStore(store)
    incidents.open(WATCH, "炎上訓練", playbook=default_playbook(), severity=3, opened_at=T0, drill=True)
    store.save_signals(FLAME)
    outcome = apply_signals(store, FLAME, default_playbook())
    assert len(outcome.opened) == 1 and not outcome.opened[0].drill


@pytest.mark.slow
def test_the_bundled_flame_replay_opens_one_incident_and_the_praise_surge_none(tmp_path: Path) -> None:
    import json

    manifest = json.loads((REPLAY / "manifest.json").read_text(encoding="utf-8"))
    with Store(f"sqlite:///{tmp_path / 'replay.sqlite3'}") as store:
        for entry in manifest:
            watch = Watch.model_validate(entry["watch"])
            store.add_watch(watch)
            ingest_file(store, watch.name, str(REPLAY / entry["file"]))
            detect_and_respond(store, watch.name, default_playbook())
        incidents = IncidentStore(store)
        [flame] = incidents.list_incidents("ミナト住建")
        assert incidents.list_incidents("しろくま製菓") == []
        first_severe = min(
            s.detected_at
            for s in store.list_signals("ミナト住建")
            if s.severity >= 3 and s.kind != SignalKind.CALMED
        )
        assert flame.severity >= 3
        assert dt.timedelta(0) <= flame.opened_at - first_severe <= dt.timedelta(minutes=30)
        assert flame.status == IncidentStatus.CALMED  # the replay ends days after the calm
        # Running detection again over the same history adds nothing.
        events = incidents.events(flame.id)
        detect_and_respond(store, "ミナト住建", default_playbook())
        assert incidents.events(flame.id) == events
