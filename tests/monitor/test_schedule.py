"""The pure scheduler as a table: last poll, interval and failures in a row → due or not at time t."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.monitor import backoff_factor, due_at, due_sources, is_due, next_due, seconds_until
from hikeshi.store import Source

T0 = dt.datetime(2026, 3, 12, 0, 0, tzinfo=dt.UTC)


def source(source_id: int, interval: int, polled_minutes_ago: float | None, failures: int = 0) -> Source:
    return Source(
        id=source_id,
        watch="ミナト住建",
        kind="rss",
        config={"url": "https://news.example.jp/feed"},
        interval_seconds=interval,
        state={"etag": '"v1"', "monitor": {"failures": failures}} if failures else {},
        last_polled_at=None if polled_minutes_ago is None else T0 - dt.timedelta(minutes=polled_minutes_ago),
        created_at=T0 - dt.timedelta(days=1),
    )


@pytest.mark.parametrize(
    ("interval", "ago", "failures", "due"),
    [
        (600, None, 0, True),  # never polled
        (600, 5, 0, False),
        (600, 10, 0, True),  # exactly due
        (600, 15, 1, False),  # one failure: waits 20 minutes
        (600, 20, 1, True),
        (600, 70, 3, False),  # three failures: 80 minutes
        (600, 79, 9, False),  # capped at × 8
        (600, 80, 9, True),
    ],
)
def test_is_due(interval: int, ago: float | None, failures: int, due: bool) -> None:
    assert is_due(source(1, interval, ago, failures), T0) is due


@pytest.mark.parametrize(("failures", "factor"), [(0, 1), (1, 2), (2, 4), (3, 8), (4, 8), (100, 8)])
def test_backoff_factor(failures: int, factor: int) -> None:
    assert backoff_factor(failures) == factor


def test_due_sources_most_overdue_first() -> None:
    sources = [source(1, 600, 12), source(2, 600, None), source(3, 600, 30), source(4, 3600, 30)]
    assert [s.id for s in due_sources(sources, T0)] == [2, 3, 1]


def test_next_due_and_sleep() -> None:
    sources = [source(1, 600, 2), source(2, 3600, 40)]
    assert next_due(sources) == T0 + dt.timedelta(minutes=8)
    assert seconds_until(next_due(sources), T0, 60.0) == 60.0
    assert seconds_until(next_due(sources), T0, 3600.0) == 480.0
    assert seconds_until(next_due([source(3, 600, None)]), T0, 60.0) == 0.0
    assert seconds_until(next_due([]), T0, 60.0) == 60.0
    assert due_at(source(5, 600, None)) is None
