"""Small builders for store and ingest tests: posts in Japan time and a deterministic keyword analyzer.

The analyzer is deliberately simple (a few negative and positive words) so that tests of storage and
ingestion can predict every sentiment label; the real analyzers are tested in tests/analysis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hikeshi.records import Analysis, Emotions, Post, Sentiment

JST = dt.timezone(dt.timedelta(hours=9))
NEGATIVE_WORDS = ("最悪", "ひどい", "不買", "二度と", "詐欺", "炎上")
POSITIVE_WORDS = ("最高", "ありがとう", "素敵", "良かった")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 5, day, hour, minute, tzinfo=JST)


def post(source_id: str, text: str, created_at: dt.datetime, source: str = "x", **fields: object) -> Post:
    return Post.model_validate(
        {"source": source, "source_id": source_id, "text": text, "created_at": created_at, **fields}
    )


def keyword_analysis(text: str) -> Analysis:
    negative = sum(word in text for word in NEGATIVE_WORDS)
    positive = sum(word in text for word in POSITIVE_WORDS)
    if negative > positive:
        sentiment = Sentiment(negative=0.8, neutral=0.15, positive=0.05)
    elif positive > negative:
        sentiment = Sentiment(negative=0.05, neutral=0.15, positive=0.8)
    else:
        sentiment = Sentiment(negative=0.1, neutral=0.8, positive=0.1)
    anger = 0.7 if negative else 0.0
    return Analysis(
        sentiment=sentiment,
        emotions=Emotions(
            joy=0.6 if positive else 0.0,
            sadness=0.0,
            anticipation=0.0,
            surprise=0.0,
            anger=anger,
            fear=0.0,
            disgust=anger / 2,
            trust=0.0,
        ),
        harm={"hostility": anger},
        risk=anger,
        model_versions={"keyword-test": "1"},
    )


def keyword_analyzer(texts: Sequence[str]) -> list[Analysis]:
    return [keyword_analysis(text) for text in texts]
