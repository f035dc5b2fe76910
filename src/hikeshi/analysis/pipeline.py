"""Run a set of analyzers over a batch and merge their parts into `Analysis` records with a risk score."""

from __future__ import annotations

from collections.abc import Sequence

from hikeshi.analysis.base import Analyzer, PartialAnalysis
from hikeshi.errors import InputError
from hikeshi.records import Analysis, Emotions, Sentiment

DEFAULT_ANALYZERS = ("sentiment", "emotions", "harm")
_NEUTRAL = Sentiment(negative=0.0, neutral=1.0, positive=0.0)
_NO_EMOTION = Emotions(
    joy=0.0, sadness=0.0, anticipation=0.0, surprise=0.0, anger=0.0, fear=0.0, disgust=0.0, trust=0.0
)


def risk_score(sentiment: Sentiment, emotions: Emotions, harm: dict[str, float]) -> float:
    """How much a post could hurt the watched company, 0–1.

    Negativity weighted by hostility, so a sad post (「残念です」) scores lower than an angry one
    (「ふざけるな、二度と買わない」); a guard finding (insult, threat, personal data …) counts nearly in full,
    less inside a clearly positive post, where it is more often a false alarm (「ランチ美味しかった！」).
    """
    hostility = max(emotions.anger, emotions.disgust)
    tone = sentiment.negative * (0.5 + 0.5 * hostility)
    strongest_harm = max(harm.values(), default=0.0) * (0.4 + 0.6 * (1.0 - sentiment.positive))
    return round(min(1.0, max(tone, strongest_harm)), 6)


class AnalysisPipeline:
    """A fixed list of analyzers; each sees the whole batch once."""

    def __init__(self, analyzers: Sequence[Analyzer]) -> None:
        self.analyzers = list(analyzers)
        self.model_versions = {analyzer.name: analyzer.version for analyzer in self.analyzers}

    def analyze(self, texts: Sequence[str]) -> list[Analysis]:
        if isinstance(texts, str):
            raise InputError("analyze() には文字列のリストを渡してください（1 件でも [text] の形で）。")
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise InputError(f"{index} 件目が文字列ではありません（{type(text).__name__}）。")
        parts: list[list[PartialAnalysis]] = [analyzer.analyze(texts) for analyzer in self.analyzers]
        results = []
        for index in range(len(texts)):
            sentiment, emotions = _NEUTRAL, _NO_EMOTION
            harm: dict[str, float] = {}
            for per_analyzer in parts:
                part = per_analyzer[index]
                sentiment = part.sentiment or sentiment
                emotions = part.emotions or emotions
                if part.harm:
                    harm = {**harm, **part.harm}
            results.append(
                Analysis(
                    sentiment=sentiment,
                    emotions=emotions,
                    harm=harm,
                    risk=risk_score(sentiment, emotions, harm),
                    model_versions=self.model_versions,
                )
            )
        return results
