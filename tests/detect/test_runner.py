"""The incremental runner over seeded synthetic streams: early on flames, silent on calm days, calm on praise."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from hikeshi.detect import DetectorConfig, DetectorRunner, run_detectors
from hikeshi.records import Signal, SignalKind, Watch
from tests.detect.streams import JST, WATCH, analysis, buzz_stream, flame_stream, post

ALERTS = (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE)
FLAME_ONSET = dt.datetime(2026, 3, 12, 21, 0, tzinfo=JST)
BUZZ_ONSET = dt.datetime(2026, 3, 12, 10, 0, tzinfo=JST)


@cache
def flame_signals(seed: int) -> tuple[Signal, ...]:
    return tuple(run_detectors(WATCH, flame_stream(seed, FLAME_ONSET)))


@pytest.mark.parametrize("seed", [0, 4])
def test_flame_is_caught_within_90_minutes_and_calm_days_stay_quiet(seed: int) -> None:
    alerts = [signal for signal in flame_signals(seed) if signal.kind in ALERTS]
    before = [signal for signal in alerts if signal.detected_at < FLAME_ONSET]
    after = [signal for signal in alerts if signal.detected_at >= FLAME_ONSET]
    assert len(before) <= 2
    assert after, "the flame was not detected"
    assert after[0].detected_at - FLAME_ONSET <= dt.timedelta(minutes=90)
    assert max(signal.severity for signal in after) == 4
    assert any(signal.kind == SignalKind.NEGATIVITY_RISE for signal in after)


def test_one_flame_gives_a_handful_of_signals_with_japanese_summaries() -> None:
    signals = flame_signals(0)
    assert len([signal for signal in signals if signal.kind in ALERTS]) <= 8
    assert len(signals) <= 25
    assert all(signal.summary and "深刻度" in signal.summary for signal in signals if signal.kind in ALERTS)
    keys = [(signal.kind, signal.window_start) for signal in signals]
    assert len(keys) == len(set(keys)), "the store keys signals by (kind, window_start)"


def test_angle_shift_is_reported_in_words() -> None:
    late = [
        term
        for signal in flame_signals(0)
        if signal.kind == SignalKind.NEW_ANGLE and signal.detected_at > FLAME_ONSET + dt.timedelta(hours=8)
        for term in signal.evidence.terms
    ]
    assert {"会社の体質", "不買"} & set(late)


def test_calmed_follows_the_flame_after_a_quiet_period() -> None:
    signals = flame_signals(0)
    calmed = [signal for signal in signals if signal.kind == SignalKind.CALMED]
    flame_end = FLAME_ONSET + dt.timedelta(hours=14)
    assert calmed and calmed[-1].detected_at >= flame_end + dt.timedelta(hours=DetectorConfig().calm_hours)
    assert "沈静化" in calmed[-1].summary


@pytest.mark.parametrize("seed", [0, 1])
def test_praise_surge_is_buzz_not_a_crisis(seed: int) -> None:
    signals = run_detectors(WATCH, buzz_stream(seed, BUZZ_ONSET))
    after = [signal for signal in signals if signal.detected_at >= BUZZ_ONSET]
    assert not [signal for signal in after if signal.kind == SignalKind.NEGATIVITY_RISE]
    spikes = [signal for signal in after if signal.kind == SignalKind.VOLUME_SPIKE]
    assert spikes, "a surge is still a volume spike"
    assert max(signal.severity for signal in spikes) <= 2


def test_signals_never_use_posts_from_the_future() -> None:
    stream = flame_stream(0, FLAME_ONSET)
    cut = FLAME_ONSET + dt.timedelta(hours=3)
    prefix = run_detectors(WATCH, [item for item in stream if item[0].created_at <= cut])
    early = [signal for signal in flame_signals(0) if signal.detected_at <= cut]
    assert prefix == early


def test_reordered_and_repeated_posts_give_the_same_signals() -> None:
    stream = flame_stream(0, FLAME_ONSET)
    shuffled = stream[::-1] + stream[:50]
    assert tuple(run_detectors(WATCH, shuffled)) == flame_signals(0)


@pytest.mark.parametrize(
    ("followers", "tone", "text", "severity"),
    [
        (45_000, "negative", "ナミキ住宅の営業の対応、最悪でした", 1),
        (480_000, "negative", "ナミキ住宅の営業のLINE、会社として説明すべき", 2),
        (1_200_000, "negative", "ナミキ住宅は二度と検討しません。不買", 3),
        (1_200_000, "positive", "ナミキ住宅の平屋、とても素敵でした", None),
        (800, "negative", "ナミキ住宅の工期が延びた", None),
    ],
)
def test_influencer_post(followers: int, tone: str, text: str, severity: int | None) -> None:
    import random

    runner = DetectorRunner(WATCH, detectors=["influencer_post"])
    when = dt.datetime(2026, 3, 12, 12, 0, tzinfo=JST)
    signals = runner.feed(post(1, when, text, "someone", followers), analysis(tone, random.Random(0), 0.0))
    assert [signal.severity for signal in signals] == ([severity] if severity else [])
    if severity:
        assert signals[0].kind == SignalKind.INFLUENCER_POST and "否定的な投稿" in signals[0].summary


def test_watch_thresholds_override_the_defaults() -> None:
    watch = Watch(
        name="ナミキ住宅",
        terms=["ナミキ住宅"],
        thresholds={"calm_hours": 6, "volume_min_authors": 8},
        risk_terms=["欠陥"],
    )
    config = DetectorConfig.for_watch(watch)
    assert (config.calm_hours, config.volume_min_authors, config.risk_terms) == (6.0, 8, ("欠陥",))
    assert (
        DetectorConfig.for_watch(Watch(name="x", terms=["x"], thresholds={"alert_cooldown": 5}))
        == DetectorConfig()
    )
