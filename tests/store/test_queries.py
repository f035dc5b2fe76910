"""Post volume and negativity per time bucket, on SQLite and PostgreSQL (same answers on both)."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.store import Store
from hikeshi.store.queries import post_timeseries
from tests.store.support import JST, at, keyword_analysis, post

WATCH = "ナミキ住宅"
TEXTS = [
    ("1", "ナミキ住宅の営業が最悪", at(1, 9, 5)),
    ("2", "ナミキ住宅、ひどい対応。不買", at(1, 9, 50)),
    ("3", "ナミキ住宅の家、最高でした", at(1, 9, 59)),
    ("4", "ナミキ住宅のCMを見た", at(1, 12, 0)),
    ("5", "ナミキ住宅 二度と頼まない", at(2, 0, 30)),
]


@pytest.fixture
def filled(store: Store) -> Store:
    posts = [post(source_id, text, created_at) for source_id, text, created_at in TEXTS]
    store.add_posts(WATCH, posts, [keyword_analysis(p.text) for p in posts])
    store.add_posts(WATCH, [post("6", "ナミキ住宅 未分析の投稿", at(1, 12, 30))])
    return store


def test_hourly_buckets_count_volume_and_negativity(filled: Store) -> None:
    series = post_timeseries(filled, WATCH, 3600)
    starts = [bucket.start.astimezone(JST).strftime("%d %H:%M") for bucket in series.buckets]
    assert starts[0] == "01 09:00" and starts[-1] == "02 00:00" and len(starts) == 16
    nine = series.buckets[0]
    assert (nine.posts, nine.analyzed, nine.negative, nine.positive) == (3, 3, 2, 1)
    assert nine.negativity == pytest.approx(2 / 3)
    assert nine.mean_negative == pytest.approx((0.8 + 0.8 + 0.05) / 3)
    noon = series.buckets[3]
    assert (noon.posts, noon.analyzed, noon.negativity) == (2, 1, 0.0)
    quiet = series.buckets[1]
    assert (quiet.posts, quiet.negativity, quiet.mean_negative) == (0, None, None)
    assert sum(bucket.posts for bucket in series.buckets) == 6


@pytest.mark.parametrize(
    ("bucket_seconds", "expected"),
    [
        (86_400, [("05-01 00:00", 5), ("05-02 00:00", 1)]),  # Japanese calendar days, not UTC days
        (21_600, [("05-01 06:00", 3), ("05-01 12:00", 2), ("05-01 18:00", 0), ("05-02 00:00", 1)]),
    ],
)
def test_buckets_are_aligned_on_japan_time(
    filled: Store, bucket_seconds: int, expected: list[tuple[str, int]]
) -> None:
    series = post_timeseries(filled, WATCH, bucket_seconds)
    got = [(bucket.start.astimezone(JST).strftime("%m-%d %H:%M"), bucket.posts) for bucket in series.buckets]
    assert got == expected


def test_range_is_filled_from_since_to_until(filled: Store) -> None:
    series = post_timeseries(filled, WATCH, 3600, since=at(1, 8), until=at(1, 11))
    assert [(bucket.start, bucket.posts) for bucket in series.buckets] == [
        (at(1, 8), 0),
        (at(1, 9), 3),
        (at(1, 10), 0),
    ]


def test_empty_watch_has_no_buckets(store: Store) -> None:
    assert post_timeseries(store, WATCH, 3600).buckets == []


@pytest.mark.parametrize(
    ("bucket_seconds", "since", "until", "message"),
    [
        (30, None, None, "60 秒以上"),
        (3600, at(2, 0), at(1, 0), "until は since より後"),
        (60, at(1, 0), at(30, 0), "区間の数が多すぎます"),
    ],
)
def test_bad_requests(
    filled: Store, bucket_seconds: int, since: dt.datetime | None, until: dt.datetime | None, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        post_timeseries(filled, WATCH, bucket_seconds, since, until)


def test_unknown_watch(store: Store) -> None:
    with pytest.raises(InputError, match="ウォッチ「ミドリ食品」はありません"):
        post_timeseries(store, "ミドリ食品", 3600)
