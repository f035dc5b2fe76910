"""The statistics the detectors rest on, checked against values computed by hand or by their definitions."""

from __future__ import annotations

import math

import pytest

from hikeshi.detect.stats import binomial_tail, count_tail, mad, median, shrunk_share, weighted_log_odds


def poisson_tail(n: int, mu: float) -> float:
    return 1.0 - sum(math.exp(-mu) * mu**k / math.factorial(k) for k in range(n))


@pytest.mark.parametrize(
    ("observed", "expected"),
    [(0, 1.0), (1, 0.5), (5, 0.6), (9, 1.3), (30, 2.0), (3, 10.0), (12, 10.0)],
)
def test_count_tail_matches_poisson_without_dispersion(observed: int, expected: float) -> None:
    assert count_tail(observed, expected) == pytest.approx(
        poisson_tail(observed, expected), rel=1e-6, abs=1e-12
    )


@pytest.mark.parametrize(("observed", "expected"), [(5, 0.6), (10, 1.4), (40, 12.0)])
def test_dispersion_makes_a_burst_less_surprising(observed: int, expected: float) -> None:
    assert (
        count_tail(observed, expected, 0.5)
        > count_tail(observed, expected, 0.1)
        > count_tail(observed, expected)
    )


def test_negative_binomial_tail_sums_to_one_from_zero() -> None:
    assert count_tail(0, 3.0, 0.4) == 1.0
    assert count_tail(1, 3.0, 0.4) == pytest.approx(1 - (1 / (1 + 0.4 * 3.0)) ** (1 / 0.4))


@pytest.mark.parametrize(
    ("hits", "total", "share", "expected"),
    [(0, 5, 0.2, 1.0), (5, 5, 0.2, 0.2**5), (4, 5, 0.2, 5 * 0.2**4 * 0.8 + 0.2**5), (6, 5, 0.2, 0.0)],
)
def test_binomial_tail(hits: int, total: int, share: float, expected: float) -> None:
    assert binomial_tail(hits, total, share) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("hits", "total", "expected"),
    [
        (3, 4, (3 + 8 * 0.25) / 12),  # three angry posts on a quiet night: 42%, not 75%
        (60, 80, (60 + 2) / 88),  # a real flame: the data wins
        (0, 0, 0.25),  # nothing seen: the baseline
    ],
)
def test_shrunk_share_pulls_small_counts_to_the_baseline(hits: int, total: int, expected: float) -> None:
    assert shrunk_share(hits, total, 0.25, 8.0) == pytest.approx(expected)


def test_median_and_mad_ignore_one_wild_day() -> None:
    days = [20.0, 22.0, 19.0, 21.0, 180.0]
    assert median(days) == 21.0
    assert mad(days) == pytest.approx(1.4826 * 1.0)


def test_weighted_log_odds_ranks_the_new_angle_first() -> None:
    reference = {"営業の態度": 40.0, "LINE": 35.0, "営業": 50.0, "会社の体質": 1.0, "不買": 0.0}
    focus = {"営業の態度": 10.0, "LINE": 8.0, "営業": 12.0, "会社の体質": 15.0, "不買": 9.0, "社長": 7.0}
    ranked = [score.term for score in weighted_log_odds(focus, reference, prior_scale=50.0)]
    assert ranked[:3] == ["会社の体質", "不買", "社長"]
    assert ranked.index("営業の態度") > 2
