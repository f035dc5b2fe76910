"""`apply_signals(..., drill=True)`: what a drill's monitor opens is a drill, and drills and real flames never mix."""

from __future__ import annotations

import datetime as dt

from hikeshi.records import Signal, SignalKind, Watch
from hikeshi.respond.incidents.flows import apply_signals
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.store import Store
from hikeshi.timezones import JST

T0 = dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST)


def _signal(watch: str, minutes: int, severity: int, kind: SignalKind = SignalKind.VOLUME_SPIKE) -> Signal:
    at = T0 + dt.timedelta(minutes=minutes)
    return Signal(
        watch=watch,
        kind=kind,
        window_start=at - dt.timedelta(minutes=30),
        detected_at=at,
        severity=severity,
        summary="直近 30 分に 11 人が投稿しました",
    )


def test_a_drill_opens_and_grows_its_own_incident(store: Store) -> None:
    store.add_watch(Watch(name="訓練: ミナト住建", terms=["ミナト住建"]))
    flame = [_signal("訓練: ミナト住建", 16, 1), _signal("訓練: ミナト住建", 106, 3)]
    store.save_signals(flame)
    (opened,) = apply_signals(store, flame, default_playbook(), drill=True).opened
    assert opened.drill is True and opened.opened_at == T0 + dt.timedelta(minutes=106)
    later = [_signal("訓練: ミナト住建", 175, 4, SignalKind.NEGATIVITY_RISE)]
    outcome = apply_signals(store, later, default_playbook(), drill=True)
    assert outcome.opened == [] and outcome.joined == 1
    incidents = IncidentStore(store)
    assert incidents.get(opened.id).severity == 4
    assert incidents.list_incidents() == []  # left out of everything that counts


def test_real_signals_never_join_a_drill_and_a_drill_never_joins_a_real_incident(store: Store) -> None:
    store.add_watch(Watch(name="ミナト住建", terms=["ミナト住建"]))
    (drill,) = apply_signals(store, [_signal("ミナト住建", 100, 3)], default_playbook(), drill=True).opened
    (real,) = apply_signals(
        store, [_signal("ミナト住建", 130, 3, SignalKind.NEGATIVITY_RISE)], default_playbook()
    ).opened
    assert (drill.drill, real.drill) == (True, False) and drill.id != real.id
    again = apply_signals(store, [_signal("ミナト住建", 200, 4)], default_playbook(), drill=True)
    assert again.opened == [] and IncidentStore(store).get(drill.id).severity == 4
    assert IncidentStore(store).get(real.id).severity == 3
