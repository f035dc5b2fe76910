"""The drill's clock: as fast as the work at max, N× the wall clock otherwise; wall times map onto it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from hikeshi.drills import DrillClock, TimeMap

WALL = dt.datetime(2026, 3, 13, 9, 0, tzinfo=dt.UTC)
DRILL = dt.datetime(2026, 3, 12, 10, 10, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def test_at_max_speed_time_moves_only_when_the_monitor_sleeps() -> None:
    clock = DrillClock(DRILL, None, threading.Event())
    assert clock.now() == DRILL
    clock.sleep_until(DRILL + 10 * MINUTE)
    assert clock.now() == DRILL + 10 * MINUTE
    clock.sleep_until(DRILL)  # never backwards
    assert clock.now() == DRILL + 10 * MINUTE


def test_at_speed_n_the_clock_follows_the_wall_clock_n_times_faster() -> None:
    ticks = [100.0]
    clock = DrillClock(DRILL, 60.0, threading.Event(), monotonic=lambda: ticks[0])
    ticks[0] += 2.0  # two real seconds
    assert clock.now() == DRILL + 2 * MINUTE
    with pytest.raises(ValueError):
        DrillClock(DRILL, 0.0, threading.Event())


def test_a_stop_request_cuts_a_real_wait_short() -> None:
    stop = threading.Event()
    stop.set()
    clock = DrillClock(DRILL, 1.0, stop)
    clock.sleep_until(DRILL + dt.timedelta(hours=1))  # returns at once instead of waiting an hour
    assert clock.now() < DRILL + MINUTE


@pytest.mark.parametrize(
    ("speed", "finished", "wall", "expected"),
    [
        (60.0, None, WALL + MINUTE, DRILL + 60 * MINUTE),  # during a 60× run: a minute is an hour
        (60.0, None, WALL - MINUTE, WALL - MINUTE),  # before the run: already on the drill's line
        (1.0, None, WALL + 5 * MINUTE, DRILL + 5 * MINUTE),
        (
            None,
            (WALL + MINUTE, DRILL + 13 * 60 * MINUTE),
            WALL + 31 * MINUTE,
            DRILL + (13 * 60 + 30) * MINUTE,
        ),
        (10.0, (WALL + 6 * MINUTE, DRILL + 60 * MINUTE), WALL + 3 * MINUTE, DRILL + 30 * MINUTE),
        (10.0, (WALL + 6 * MINUTE, DRILL + 60 * MINUTE), WALL + 16 * MINUTE, DRILL + 70 * MINUTE),
    ],
)
def test_wall_times_are_put_on_the_drills_time_line(
    speed: float | None,
    finished: tuple[dt.datetime, dt.datetime] | None,
    wall: dt.datetime,
    expected: dt.datetime,
) -> None:
    mapping = TimeMap(wall_started_at=WALL, drill_started_at=DRILL, speed=speed)
    if finished is not None:
        mapping = mapping.finished(*finished)
    assert mapping.to_drill(wall) == expected
