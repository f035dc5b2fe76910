"""Response metrics: onset → detection → opening → first statement → calm, drills never in the aggregates."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.reports import ResponseMetrics, aggregate, incident_metrics
from hikeshi.reports.metrics import format_minutes
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.timezones import JST
from tests.reports.conftest import STATEMENT_AT, Minato


def test_minato_incident_metrics_follow_the_replay(minato: Minato) -> None:
    metrics = incident_metrics(IncidentStore(minato.store), minato.incident.id)
    # Onset: the earliest window of a signal on the timeline (the first new_angle looked back to 20:18);
    # detection: the severity-1 spike at 21:26; opening: the severity-3 spike at 22:56 (SCENARIO.md).
    assert metrics.onset_at == dt.datetime(2026, 3, 12, 20, 18, 23, tzinfo=JST)
    assert metrics.detected_at == dt.datetime(2026, 3, 12, 21, 26, 37, tzinfo=JST)
    assert metrics.opened_at == dt.datetime(2026, 3, 12, 22, 56, 27, tzinfo=JST)
    assert metrics.first_statement_at == STATEMENT_AT
    assert metrics.calmed_at == dt.datetime(2026, 3, 15, 10, 45, tzinfo=JST)
    assert metrics.minutes_to_detect == pytest.approx(68 + 14 / 60)
    assert metrics.minutes_to_open == pytest.approx(158 + 4 / 60)
    assert format_minutes(metrics.minutes_to_statement) == "20 時間 42 分"
    assert format_minutes(metrics.minutes_to_calm) == "2 日 14 時間"
    assert not metrics.drill


def test_drills_never_count_in_aggregates(minato: Minato) -> None:
    incidents = IncidentStore(minato.store)
    real = incident_metrics(incidents, minato.incident.id)
    drill = incident_metrics(incidents, minato.drill.id)
    assert drill.drill and drill.first_statement_at is not None
    summary = aggregate([real, drill])
    assert summary.incidents == 1
    assert summary.to_statement.count == 1
    assert summary.to_statement.median_minutes == real.minutes_to_statement


def _metrics(
    incident_id: int, detect: float, statement: float | None, drill: bool = False
) -> ResponseMetrics:
    onset = dt.datetime(2026, 4, 1, 9, 0, tzinfo=JST)
    return ResponseMetrics(
        incident_id=incident_id,
        watch="しろくま製菓",
        drill=drill,
        onset_at=onset,
        detected_at=onset + dt.timedelta(minutes=detect),
        opened_at=onset + dt.timedelta(minutes=detect + 30),
        first_statement_at=onset + dt.timedelta(minutes=statement) if statement is not None else None,
    )


def test_aggregate_gives_median_and_worst_of_what_is_known() -> None:
    summary = aggregate(
        [_metrics(1, 10, 200), _metrics(2, 20, None), _metrics(3, 60, 400), _metrics(4, 1, 5, drill=True)]
    )
    assert summary.incidents == 3
    assert (summary.to_detect.count, summary.to_detect.median_minutes, summary.to_detect.max_minutes) == (
        3,
        20,
        60,
    )
    assert (summary.to_open.median_minutes, summary.to_open.max_minutes) == (50, 90)
    assert (summary.to_statement.count, summary.to_statement.median_minutes) == (2, 300)
    assert summary.to_calm.count == 0 and summary.to_calm.median_minutes is None


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (None, "—"),
        (0.4, "0 分"),
        (45, "45 分"),
        (60, "1 時間"),
        (68.2, "1 時間 8 分"),
        (1440, "1 日"),
        (3705, "2 日 13 時間"),
    ],
)
def test_spans_read_as_japanese(minutes: float | None, expected: str) -> None:
    assert format_minutes(minutes) == expected
