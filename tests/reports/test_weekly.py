"""The weekly report across watches: volume, negativity, signals, incidents and response times, drills left out."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.reports import build_weekly_report, render_weekly_html
from hikeshi.reports.weekly import parse_week
from hikeshi.timezones import JST
from tests.reports.conftest import Minato

FLAME_WEEK = dt.date(2026, 3, 9)  # Monday 3/9 – Sunday 3/15: the flame of 3/12 and its calm on 3/15


def test_flame_week_counts_the_real_incident_only(minato: Minato) -> None:
    report = build_weekly_report(minato.store, FLAME_WEEK)
    assert report.start == dt.datetime(2026, 3, 9, tzinfo=JST)
    assert report.end == dt.datetime(2026, 3, 16, tzinfo=JST)
    (week,) = report.watches
    assert week.watch == "ミナト住建"
    assert [incident.id for incident in week.opened] == [minato.incident.id]  # the drill of 3/10 is left out
    assert week.closed == []
    assert len(week.daily_posts) == 7 and sum(week.daily_posts) == week.posts
    assert week.daily_posts.index(max(week.daily_posts)) == 4  # Friday 3/13, the day after the onset
    assert len(week.signals) == 18 and week.max_severity == 4
    assert week.negativity is not None and 0.5 < week.negativity < 1
    assert report.overall.incidents == 1
    assert report.overall.to_statement.count == 1
    assert report.overall.to_detect.median_minutes == pytest.approx(68 + 14 / 60)


def test_quiet_week_has_no_incidents(minato: Minato) -> None:
    report = build_weekly_report(minato.store, dt.date(2026, 3, 2))
    (week,) = report.watches
    assert week.posts > 0 and week.opened == [] and week.signals == []
    assert report.overall.incidents == 0 and report.overall.to_detect.median_minutes is None


def test_weekly_html_names_each_watch_with_its_figures(minato: Minato) -> None:
    html = render_weekly_html(minato.store, FLAME_WEEK)
    assert "週次報告" in html and "2026年03月09日〜03月15日" in html
    assert "ミナト住建" in html and "深刻度 4" in html
    assert "訓練: 営業の LINE 流出" not in html
    assert "<script" not in html.lower()


@pytest.mark.parametrize(
    ("value", "expected"), [("2026-03-09", dt.date(2026, 3, 9)), (" 2026-03-16 ", dt.date(2026, 3, 16))]
)
def test_week_parses_iso_dates(value: str, expected: dt.date) -> None:
    assert parse_week(value) == expected


@pytest.mark.parametrize("value", ["2026/03/09", "3月9日", "2026-02-30", ""])
def test_bad_week_is_a_clear_japanese_error(value: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_week(value)
