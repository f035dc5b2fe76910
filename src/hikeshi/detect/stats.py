"""Small, exact statistics the detectors share: count tails, shrunk shares, robust spread, log-odds.

They are written out here (no scipy) because they run once per arriving post and must stay cheap and
deterministic; each one is a textbook formula with the reference in its docstring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def count_tail(observed: float, expected: float, dispersion: float = 0.0) -> float:
    """P(N >= observed) for a negative-binomial count with mean `expected` and variance
    `expected + dispersion * expected**2` (Poisson when dispersion is 0).

    The dispersion absorbs day-to-day swings of real streams (a busy Monday is not a flame), which a plain
    Poisson test would flag.
    """
    n = math.ceil(observed - 1e-9)
    if n <= 0:
        return 1.0
    mu = max(expected, 1e-9)
    if dispersion <= 1e-9:
        log_first = n * math.log(mu) - mu - math.lgamma(n + 1)

        def ratio(k: int) -> float:
            return mu / (k + 1)
    else:
        r = 1.0 / dispersion
        q = mu / (r + mu)
        log_first = (
            math.lgamma(n + r) - math.lgamma(r) - math.lgamma(n + 1) + r * math.log1p(-q) + n * math.log(q)
        )

        def ratio(k: int) -> float:
            return (k + r) / (k + 1) * q

    if n <= mu + 1:
        # The tail is large; summing the head is exact and short.
        return max(0.0, 1.0 - _head_sum(n, mu, dispersion))
    term = math.exp(log_first)
    total = term
    k = n
    while k < n + 100_000:
        term *= ratio(k)
        total += term
        k += 1
        if term < 1e-16 * total or term == 0.0:
            break
    return min(1.0, total)


def _head_sum(n: int, mu: float, dispersion: float) -> float:
    """P(N < n), summed from zero."""
    if dispersion <= 1e-9:
        term = math.exp(-mu)
        total = term
        for k in range(1, n):
            term *= mu / k
            total += term
        return total
    r = 1.0 / dispersion
    q = mu / (r + mu)
    term = math.exp(r * math.log1p(-q))
    total = term
    for k in range(1, n):
        term *= (k - 1 + r) / k * q
        total += term
    return total


def binomial_tail(hits: int, total: int, share: float) -> float:
    """P(X >= hits) for X ~ Binomial(total, share): is this many negatives out of this many voices unusual?"""
    if hits <= 0:
        return 1.0
    if hits > total:
        return 0.0
    share = min(max(share, 1e-9), 1 - 1e-9)
    odds = share / (1 - share)
    # Sum outward from the term nearest the mode, by the ratio of successive terms, and stop once the terms
    # no longer add anything: the same as the full sum to double precision, but a window with hundreds of
    # voices costs a few dozen terms, not hundreds of lgamma calls. Below the mode the lower tail is summed
    # and subtracted, so a first term that underflows never turns a likely count into an impossible one.
    if hits > total * share:
        term = math.exp(_binomial_log_pmf(hits, total, share))
        tail = term
        for k in range(hits, total):
            term *= (total - k) / (k + 1) * odds
            tail += term
            if term == 0.0 or term < 1e-17 * tail:
                break
        return min(1.0, tail)
    term = math.exp(_binomial_log_pmf(hits - 1, total, share))
    head = term
    for k in range(hits - 1, 0, -1):
        term *= k / (total - k + 1) / odds
        head += term
        if term == 0.0 or term < 1e-17 * head:
            break
    return min(1.0, max(0.0, 1.0 - head))


def _binomial_log_pmf(k: int, total: int, share: float) -> float:
    return (
        math.lgamma(total + 1)
        - math.lgamma(k + 1)
        - math.lgamma(total - k + 1)
        + k * math.log(share)
        + (total - k) * math.log1p(-share)
    )


def shrunk_share(hits: float, total: float, prior_share: float, prior_strength: float) -> float:
    """Posterior mean of a beta-binomial share: `prior_strength` pseudo-posts at `prior_share`.

    Three negative posts out of four is 75% raw, but with a 25% baseline and 8 pseudo-posts it is only 42%,
    which is what keeps a quiet night from looking like a flame.
    """
    return (hits + prior_strength * prior_share) / (total + prior_strength)


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def mad(values: Sequence[float]) -> float:
    """Median absolute deviation, scaled (×1.4826) to match a standard deviation for normal data."""
    centre = median(values)
    return 1.4826 * median([abs(value - centre) for value in values])


@dataclass(frozen=True, slots=True)
class TermScore:
    term: str
    z: float
    focus_count: float
    reference_count: float


def weighted_log_odds(
    focus: Mapping[str, float],
    reference: Mapping[str, float],
    prior_scale: float,
) -> list[TermScore]:
    """Terms over-represented in `focus` against `reference`, highest z first.

    Monroe, Colaresi & Quinn (2008), "Fightin' Words", weighted log-odds ratio with an informative Dirichlet
    prior: the prior for each term is proportional to its frequency in both corpora together, scaled to
    `prior_scale` pseudo-counts, so rare terms are shrunk and the z-score accounts for the sampling variance.
    """
    pooled: dict[str, float] = {}
    for counts in (focus, reference):
        for term, count in counts.items():
            pooled[term] = pooled.get(term, 0.0) + count
    pooled_total = sum(pooled.values())
    if pooled_total <= 0:
        return []
    focus_total = sum(focus.values())
    reference_total = sum(reference.values())
    scores = []
    for term, focus_count in focus.items():
        if focus_count <= 0:
            continue
        alpha = prior_scale * pooled[term] / pooled_total
        reference_count = reference.get(term, 0.0)
        log_odds_focus = math.log(
            (focus_count + alpha) / max(focus_total + prior_scale - focus_count - alpha, 1e-9)
        )
        log_odds_reference = math.log(
            (reference_count + alpha) / max(reference_total + prior_scale - reference_count - alpha, 1e-9)
        )
        variance = 1.0 / (focus_count + alpha) + 1.0 / (reference_count + alpha)
        z = (log_odds_focus - log_odds_reference) / math.sqrt(variance)
        scores.append(TermScore(term, z, focus_count, reference_count))
    scores.sort(key=lambda score: (-score.z, score.term))
    return scores
