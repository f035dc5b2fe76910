"""Risk level, rising terms and labels from a watch's signals (pure functions, no store)."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.records import Signal, SignalEvidence, SignalKind
from hikeshi.report.signals import (
    find_signal,
    in_period,
    kind_label,
    metric_label,
    metric_value,
    neighbours,
    rising_terms,
    risk_status,
    signal_epoch,
)

JST = dt.timezone(dt.timedelta(hours=9))
V, N, A, C, INF = (
    SignalKind.VOLUME_SPIKE,
    SignalKind.NEGATIVITY_RISE,
    SignalKind.NEW_ANGLE,
    SignalKind.CALMED,
    SignalKind.INFLUENCER_POST,
)


def signal(kind: SignalKind, hour: int, severity: int = 2, terms: tuple[str, ...] = ()) -> Signal:
    moment = dt.datetime(2026, 3, 12, 0, tzinfo=JST) + dt.timedelta(hours=hour)
    return Signal(
        watch="ミナト住建",
        kind=kind,
        window_start=moment - dt.timedelta(minutes=30),
        detected_at=moment,
        severity=severity,
        evidence=SignalEvidence(terms=list(terms)),
        summary="テスト",
    )


@pytest.mark.parametrize(
    ("signals", "level", "label", "calmed_peak"),
    [
        ([], 0, "平常", 0),
        ([signal(V, 21, 2), signal(N, 22, 4)], 4, "危険", 0),
        ([signal(V, 21, 4), signal(C, 60, 1)], 0, "平常", 4),
        ([signal(V, 21, 4), signal(C, 60, 1), signal(A, 70, 2)], 2, "要注意", 4),
        ([signal(V, 1, 3), signal(C, 20, 1), signal(V, 30, 2), signal(C, 50, 1)], 0, "平常", 2),
        ([signal(N, 22, 3), signal(V, 21, 1)], 3, "警戒", 0),  # order of the input does not matter
    ],
)
def test_risk_level_is_the_open_episode_peak(
    signals: list[Signal], level: int, label: str, calmed_peak: int
) -> None:
    status = risk_status(signals)
    assert (status.level, status.label, status.calmed_peak) == (level, label, calmed_peak)
    if signals:
        assert status.last_signal == max(signals, key=lambda s: s.detected_at)


def test_open_episode_starts_at_its_earliest_window() -> None:
    status = risk_status([signal(V, 21), signal(N, 23)])
    assert status.episode_started == dt.datetime(2026, 3, 12, 20, 30, tzinfo=JST)
    assert status.calmed_at is None


def test_rising_terms_newest_first_and_counted() -> None:
    signals = [
        signal(A, 10, 2, ("営業", "LINE")),
        signal(A, 20, 3, ("不買", "ノルマ")),
        signal(N, 22, 4, ("不買", "解約します")),
        signal(C, 30, 1, ("平常",)),
    ]
    terms = rising_terms(signals)
    assert [t.term for t in terms] == ["不買", "解約します", "ノルマ", "営業", "LINE"]
    boycott = terms[0]
    assert (boycott.signals, boycott.max_severity, boycott.kinds) == (2, 4, [A, N])
    assert boycott.first_seen < boycott.last_seen
    assert len(rising_terms(signals, limit=2)) == 2


@pytest.mark.parametrize(
    ("name", "value", "label", "shown"),
    [
        ("negative_share", 0.4812, "否定的な投稿の割合", "48%"),
        ("authors", 264.0, "投稿した人数", "264"),
        ("p_value", 1.4e-166, "偶然に起こる確率（p 値）", "1.4e-166"),
        ("expected", 0.437, "平常時の目安（人）", "0.44"),
        ("authors:社長", 12.0, "「社長」に触れた人数", "12"),
        ("max_followers", 1_200_000.0, "最大フォロワー数", "1,200,000"),
        ("something_new", 3.0, "something_new", "3"),
    ],
)
def test_metrics_read_in_japanese(name: str, value: float, label: str, shown: str) -> None:
    assert metric_label(name) == label
    assert metric_value(name, value) == shown


@pytest.mark.parametrize(
    ("kind", "label"), [(V, "投稿急増"), (C, "沈静化"), ("risky_suggest", "危険な検索候補"), ("x", "x")]
)
def test_kind_labels(kind: SignalKind | str, label: str) -> None:
    assert kind_label(kind) == label


def test_find_and_neighbours() -> None:
    signals = [signal(V, 21), signal(N, 22), signal(INF, 23)]
    middle = signals[1]
    assert find_signal(signals, "negativity_rise", signal_epoch(middle)) == middle
    assert find_signal(signals, "volume_spike", signal_epoch(middle)) is None
    assert neighbours(signals, middle) == (signals[0], signals[2])
    assert neighbours(signals, signals[0]) == (None, signals[1])


def test_in_period_keeps_signals_overlapping_it() -> None:
    signals = [signal(V, 1), signal(N, 10), signal(A, 20)]
    since = dt.datetime(2026, 3, 12, 5, tzinfo=JST)
    until = dt.datetime(2026, 3, 12, 19, 45, tzinfo=JST)
    assert in_period(signals, since, until) == signals[1:]
    assert in_period(signals, None, None) == signals
