"""Bucket widths, periods and the chart data of the dashboard (pure parts)."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.records import Signal, SignalKind, Watch
from hikeshi.report.dashboard import (
    JST,
    Period,
    bucket_label,
    build_chart,
    choose_bucket,
    display_zone,
    period_bounds,
)
from hikeshi.store import WatchSummary
from hikeshi.store.queries import TimeBucket

H = dt.timedelta(hours=1)
START = dt.datetime(2026, 3, 12, 12, 0, tzinfo=dt.UTC)  # 21:00 JST


@pytest.mark.parametrize(
    ("span", "width", "label"),
    [
        (dt.timedelta(hours=5), dt.timedelta(minutes=15), "15 分"),
        (dt.timedelta(days=2), dt.timedelta(minutes=15), "15 分"),
        (dt.timedelta(days=7), H, "1 時間"),
        (dt.timedelta(days=30), 6 * H, "6 時間"),
        (dt.timedelta(days=400), dt.timedelta(days=1), "1 日"),
    ],
)
def test_bucket_width_keeps_the_chart_readable(span: dt.timedelta, width: dt.timedelta, label: str) -> None:
    assert choose_bucket(span) == width
    assert bucket_label(width) == label
    assert span / width <= 200 or width == dt.timedelta(days=1)


def _summary(last: dt.datetime | None) -> WatchSummary:
    return WatchSummary(
        watch=Watch(name="ミナト住建", terms=["ミナト住建"]),
        posts=10,
        analyzed=10,
        first_post_at=START - 10 * H if last else None,
        last_post_at=last,
        sources=0,
        signals=0,
    )


@pytest.mark.parametrize(
    ("period", "since"),
    [(Period.DAY, START - 24 * H), (Period.WEEK, START - 168 * H), (Period.ALL, None)],
)
def test_periods_end_just_after_the_newest_post(period: Period, since: dt.datetime | None) -> None:
    begin, end = period_bounds(_summary(START), period)
    if since is None:
        assert (begin, end) == (None, None)
    else:
        assert end == START + dt.timedelta(seconds=1)
        assert begin == since + dt.timedelta(seconds=1)


def test_no_posts_means_no_bounds() -> None:
    assert period_bounds(_summary(None), Period.DAY) == (None, None)


def test_display_zone_follows_the_watch() -> None:
    assert display_zone(Watch(name="a", terms=["a"])) is JST
    assert display_zone(Watch(name="b", terms=["b"], thresholds={"utc_offset_hours": 0})).utcoffset(
        None
    ) == dt.timedelta(0)


def _bucket(hour: int, posts: int, negative: int) -> TimeBucket:
    return TimeBucket(
        start=START + hour * H,
        posts=posts,
        analyzed=posts,
        negative=negative,
        positive=0,
        negativity=negative / posts if posts else None,
        mean_negative=None,
    )


def test_chart_in_local_time_with_signals_and_sparse_shares_left_out() -> None:
    buckets = [_bucket(0, 2, 2), _bucket(1, 40, 30), _bucket(2, 0, 0)]
    spike = Signal(
        watch="ミナト住建",
        kind=SignalKind.VOLUME_SPIKE,
        window_start=START + 50 * dt.timedelta(minutes=1),
        detected_at=START + 80 * dt.timedelta(minutes=1),
        severity=4,
        summary="直近 30 分に 40 人が投稿しました。",
    )
    chart = build_chart(buckets, [spike], H, JST)
    assert chart.x == ["2026-03-12 21:00", "2026-03-12 22:00", "2026-03-12 23:00"]
    assert (chart.posts, chart.negative, chart.other) == ([2, 40, 0], [2, 30, 0], [0, 10, 0])
    assert chart.negative_share == [None, 75.0, None]  # two posts are too few for a share
    (marker,) = chart.signals
    assert (marker.x, marker.y, marker.label, marker.severity) == ("2026-03-12 22:20", 40, "投稿急増", 4)
    assert marker.epoch == int(spike.window_start.timestamp())
    assert chart.bucket_minutes == 60
