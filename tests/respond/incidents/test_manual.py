"""Opening an incident from a signal by hand (the 「インシデントを開く」 button), before the playbook would."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.records import Signal, SignalKind
from hikeshi.respond.incidents.flows import apply_signals
from hikeshi.respond.incidents.manual import incident_for_signal, incident_holding, open_from_signal
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.store import Store
from tests.respond.incidents.test_flows import FLAME, T0, _signal

SPIKE_1, RISE_2, SPIKE_3, SPIKE_4 = FLAME


def test_a_severity_2_signal_opens_an_incident_at_its_detection_time(store: Store) -> None:
    store.save_signals(FLAME)
    result = open_from_signal(store, RISE_2, default_playbook(), "広瀬")
    assert result.opened
    incident = result.incident
    assert incident.opened_at == RISE_2.detected_at
    assert incident.severity == 2 and incident.opened_by == "広瀬"
    events = IncidentStore(store).events(incident.id)
    opened = next(event for event in events if event.kind == EventKind.OPENED)
    assert (
        opened.actor == "広瀬"
        and "否定的な声の増加（深刻度 2）のシグナルから 広瀬 さんが開きました" in opened.summary
    )
    # The signal and the earlier severity-1 spike (lookback) are on the timeline.
    signal_events = [event for event in events if event.kind == EventKind.SIGNAL]
    assert [event.data["severity"] for event in signal_events] == [1, 2]
    assert incident.onset_at == SPIKE_1.window_start
    convene = next(task for task in IncidentStore(store).tasks(incident.id) if task.key == "convene")
    assert convene.due_at == RISE_2.detected_at + dt.timedelta(minutes=60)


def test_later_signals_join_the_hand_opened_incident_instead_of_opening_another(store: Store) -> None:
    store.save_signals(FLAME)
    incident = open_from_signal(store, RISE_2, default_playbook(), "広瀬").incident
    outcome = apply_signals(store, FLAME, default_playbook())
    assert outcome.opened == []
    incidents = IncidentStore(store)
    assert [found.id for found in incidents.list_incidents()] == [incident.id]
    assert incidents.get(incident.id).severity == 4
    severities = [e.data["severity"] for e in incidents.events(incident.id) if e.kind == EventKind.SIGNAL]
    assert severities == [1, 2, 3, 4]


@pytest.mark.parametrize("signal", [SPIKE_1, RISE_2, SPIKE_4], ids=["held", "opening", "after"])
def test_a_second_click_leads_to_the_open_incident(store: Store, signal: Signal) -> None:
    store.save_signals(FLAME)
    first = open_from_signal(store, RISE_2, default_playbook(), "広瀬").incident
    again = open_from_signal(store, signal, default_playbook(), "佐藤")
    assert not again.opened and again.incident.id == first.id
    assert len(IncidentStore(store).list_incidents()) == 1


def test_the_incident_holding_a_signal_is_found_after_it_closed(store: Store) -> None:
    store.save_signals(FLAME)
    incident = open_from_signal(store, SPIKE_3, default_playbook(), "広瀬").incident
    IncidentStore(store).close(incident.id, "広瀬")
    holder = incident_holding(IncidentStore(store), SPIKE_3)
    assert holder is not None and holder.id == incident.id
    assert incident_for_signal(IncidentStore(store), SPIKE_3) == holder
    later = _signal(SignalKind.VOLUME_SPIKE, 60 * 24 * 30, 3)  # a month later: a new flame
    store.save_signals([later])
    assert incident_for_signal(IncidentStore(store), later) is None


def test_a_calmed_signal_opens_nothing(store: Store) -> None:
    calmed = _signal(SignalKind.CALMED, 600, 1)
    store.save_signals([calmed])
    with pytest.raises(InputError, match="沈静化のシグナルからはインシデントを開けません"):
        open_from_signal(store, calmed, default_playbook(), "広瀬")
    assert IncidentStore(store).list_incidents() == []


def test_a_title_given_by_the_person_is_kept(store: Store) -> None:
    store.save_signals(FLAME)
    incident = open_from_signal(
        store, RISE_2, default_playbook(), "広瀬", title="営業担当の LINE が拡散"
    ).incident
    assert incident.title == "営業担当の LINE が拡散"
    assert incident.opened_at > T0
