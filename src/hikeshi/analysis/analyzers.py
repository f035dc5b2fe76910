"""The shipped analyzers: sentiment and emotions (the affect model) and harm categories (the guard itself).

Harm reuses `hikeshi.guard.default_guard().check(text)`, so a post is judged by exactly the rules and model that
check a draft before sending (one code path for prevent and detect).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hikeshi.analysis.affect import AffectModel, shipped_model
from hikeshi.analysis.base import PartialAnalysis, register
from hikeshi.guard import Guard, default_guard
from hikeshi.guard.engine import MAX_TEXT_CHARS
from hikeshi.records import Verdict

# Finding severity 1–3 (注意 / 要注意 / 危険) as a 0–1 score.
_SEVERITY_SCORE = {1: 0.4, 2: 0.7, 3: 1.0}


@dataclass
class SentimentAnalyzer:
    """Negative / neutral / positive probabilities from the affect model."""

    model: AffectModel = field(default_factory=shipped_model)
    name: str = "sentiment"

    @property
    def version(self) -> str:
        return self.model.version

    def analyze(self, texts: Sequence[str]) -> list[PartialAnalysis]:
        return [PartialAnalysis(sentiment=self.model.sentiment(text)) for text in texts]


@dataclass
class EmotionAnalyzer:
    """Plutchik's eight emotions (WRIME's set), each an independent 0–1 probability."""

    model: AffectModel = field(default_factory=shipped_model)
    name: str = "emotions"

    @property
    def version(self) -> str:
        return self.model.version

    def analyze(self, texts: Sequence[str]) -> list[PartialAnalysis]:
        return [PartialAnalysis(emotions=self.model.emotions(text)) for text in texts]


@dataclass
class HarmAnalyzer:
    """Harm categories from the guard's findings: the strongest finding per category, as a 0–1 score."""

    guard: Guard = field(default_factory=default_guard)
    name: str = "harm"

    @property
    def version(self) -> str:
        return f"guard:{self.guard.model.version}"

    def analyze(self, texts: Sequence[str]) -> list[PartialAnalysis]:
        return [PartialAnalysis(harm=harm_scores(self.guard.check(text[:MAX_TEXT_CHARS]))) for text in texts]


def harm_scores(verdict: Verdict) -> dict[str, float]:
    """Category → score of its most severe finding, so that one 危険 phrase is not diluted by a long post."""
    scores: dict[str, float] = {}
    for finding in verdict.findings:
        value = _SEVERITY_SCORE.get(finding.severity, 1.0)
        scores[finding.category] = max(scores.get(finding.category, 0.0), value)
    return scores


register("sentiment", SentimentAnalyzer)
register("emotions", EmotionAnalyzer)
register("harm", HarmAnalyzer)
