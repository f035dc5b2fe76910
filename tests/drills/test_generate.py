"""Scenario → posts: seeded, growing as the curve says, every post findable, ids rising with time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hikeshi.drills import build_timeline, find_scenario, latest_onset, load_scenario
from hikeshi.drills.generate import rate_at
from hikeshi.timezones import JST
from tests.drills.conftest import write_scenario

ONSET = dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST)


@pytest.mark.parametrize(
    ("clock", "not_after", "expected"),
    [
        (
            (21, 10),
            dt.datetime(2026, 3, 13, 10, 10, tzinfo=JST),
            dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST),
        ),
        (
            (21, 10),
            dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST),
            dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST),
        ),
        ((21, 10), dt.datetime(2026, 3, 12, 21, 9, tzinfo=JST), dt.datetime(2026, 3, 11, 21, 10, tzinfo=JST)),
        (
            (16, 40),
            dt.datetime(2026, 3, 12, 1, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 11, 16, 40, tzinfo=JST),
        ),
    ],
)
def test_the_onset_is_the_latest_such_time_of_day_in_japan(
    clock: tuple[int, int], not_after: dt.datetime, expected: dt.datetime
) -> None:
    assert latest_onset(dt.time(*clock), not_after) == expected


def test_the_same_scenario_gives_the_same_flame() -> None:
    scenario = find_scenario("minato_line")
    first = build_timeline(scenario, ONSET, run_stamp=1)
    again = build_timeline(scenario, ONSET, run_stamp=1)
    assert [(p.at, p.author, p.text) for p in first.posts] == [(p.at, p.author, p.text) for p in again.posts]
    later = build_timeline(scenario, ONSET + dt.timedelta(days=7), run_stamp=2)
    assert [p.text for p in later.posts] == [p.text for p in first.posts]
    assert later.posts[0].at - first.posts[0].at == dt.timedelta(days=7)
    assert {p.id for p in later.posts}.isdisjoint({p.id for p in first.posts})


@pytest.mark.parametrize("name", ["minato_line", "soramame_video"])
def test_a_bundled_flame_is_modest_findable_and_in_order(name: str) -> None:
    scenario = find_scenario(name)
    timeline = build_timeline(scenario, ONSET, run_stamp=42)
    assert 300 <= len(timeline.posts) <= 1200  # realistic, and quick enough for a drill at full speed
    assert all(any(term in post.text for term in scenario.company.terms) for post in timeline.posts)
    assert all("{name}" not in post.text for post in timeline.posts)
    ids = [post.id for post in timeline.posts]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    times = [post.at for post in timeline.posts]
    assert times == sorted(times)
    assert times[0] < ONSET - dt.timedelta(days=scenario.baseline.days - 1)
    assert times[-1] <= ONSET + scenario.end
    first_hour = sum(1 for t in times if ONSET <= t < ONSET + dt.timedelta(hours=1))
    day_before = sum(1 for t in times if ONSET - dt.timedelta(days=1) <= t < ONSET)
    assert first_hour > day_before / 24 * 3  # the flame stands out against the everyday rate
    origin = next(post for post in timeline.posts if post.role == "元の投稿")
    assert origin.at == ONSET
    assert [item.at - ONSET for item in timeline.news] == [item.at for item in scenario.news]


def test_the_rate_follows_the_curve(tmp_path: Path) -> None:
    scenario = load_scenario(write_scenario(tmp_path))
    assert rate_at(scenario, dt.timedelta(minutes=-1)) == 0
    assert rate_at(scenario, dt.timedelta(0)) == 10
    assert rate_at(scenario, dt.timedelta(minutes=20)) == pytest.approx(27.5)
    assert rate_at(scenario, dt.timedelta(hours=3)) == 30
