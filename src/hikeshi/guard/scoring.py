"""From findings to a score and a level: independent evidence adds up, one strong finding is enough."""

from __future__ import annotations

from collections.abc import Iterable

from hikeshi.records import Level

SEVERITY_WEIGHT = {1: 0.3, 2: 0.5, 3: 0.8}


def combined_score(severities: Iterable[int]) -> float:
    """Noisy-or of the findings' weights: one 危険 finding gives 0.8, two 要注意 findings 0.75.

    Callers pass one severity per distinct rule so that a word repeated ten times does not count ten times.
    """
    remaining = 1.0
    for severity in severities:
        remaining *= 1.0 - SEVERITY_WEIGHT[severity]
    return round(1.0 - remaining, 4)


def level_for(score: float, thresholds: tuple[float, float]) -> Level:
    caution, danger = thresholds
    if score >= danger:
        return Level.DANGER
    if score >= caution:
        return Level.CAUTION
    return Level.OK
