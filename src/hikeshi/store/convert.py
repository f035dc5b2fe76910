"""Conversions between ORM rows / insert parameters and the pydantic records that cross module boundaries."""

from __future__ import annotations

from typing import Any

from hikeshi.records import Analysis, Emotions, Post, PostMetrics, Sentiment, Signal, SignalEvidence, Watch
from hikeshi.store.models import AnalysisRow, PostRow, SignalRow, WatchRow


def watch_from_row(row: WatchRow) -> Watch:
    return Watch(
        name=row.name,
        terms=list(row.terms),
        exclude=list(row.exclude),
        risk_terms=list(row.risk_terms),
        thresholds=dict(row.thresholds),
    )


def post_params(watch_id: int, post: Post) -> dict[str, Any]:
    """Insert parameters for one post (Core insert, so that thousands go in one statement)."""
    return {
        "watch_id": watch_id,
        "source": post.source,
        "source_id": post.source_id,
        "url": post.url,
        "author": post.author,
        "author_followers": post.author_followers,
        "text": post.text,
        "created_at": post.created_at,
        "fetched_at": post.fetched_at,
        "metrics": post.metrics.model_dump(),
        "parent_id": post.parent_id,
        "quote_id": post.quote_id,
        "language": post.language,
        "rating": post.rating,
        "reply": post.reply,
    }


def post_from_row(row: PostRow) -> Post:
    return Post(
        source=row.source,
        source_id=row.source_id,
        url=row.url,
        author=row.author,
        author_followers=row.author_followers,
        text=row.text,
        created_at=row.created_at,
        fetched_at=row.fetched_at,
        metrics=PostMetrics.model_validate(row.metrics),
        parent_id=row.parent_id,
        quote_id=row.quote_id,
        language=row.language,
        rating=row.rating,
        reply=row.reply,
    )


def sentiment_label(sentiment: Sentiment) -> str:
    """The most probable class; ties go to neutral, then negative (a tie should not read as praise)."""
    ranked = sorted(
        (
            ("neutral", sentiment.neutral, 0),
            ("negative", sentiment.negative, 1),
            ("positive", sentiment.positive, 2),
        ),
        key=lambda item: (-item[1], item[2]),
    )
    return ranked[0][0]


def analysis_params(post_id: int, analysis: Analysis) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "negative": analysis.sentiment.negative,
        "neutral": analysis.sentiment.neutral,
        "positive": analysis.sentiment.positive,
        "sentiment_label": sentiment_label(analysis.sentiment),
        "emotions": analysis.emotions.model_dump(),
        "harm": dict(analysis.harm),
        "risk": analysis.risk,
        "model_versions": dict(analysis.model_versions),
    }


def analysis_from_row(row: AnalysisRow) -> Analysis:
    return Analysis(
        sentiment=Sentiment(negative=row.negative, neutral=row.neutral, positive=row.positive),
        emotions=Emotions.model_validate(row.emotions),
        harm=dict(row.harm),
        risk=row.risk,
        model_versions=dict(row.model_versions),
    )


def signal_params(watch_id: int, signal: Signal) -> dict[str, Any]:
    return {
        "watch_id": watch_id,
        "kind": signal.kind.value,
        "window_start": signal.window_start,
        "detected_at": signal.detected_at,
        "severity": signal.severity,
        "evidence": signal.evidence.model_dump(),
        "summary": signal.summary,
    }


def signal_from_row(row: SignalRow, watch_name: str) -> Signal:
    return Signal(
        watch=watch_name,
        kind=row.kind,  # type: ignore[arg-type]  # pydantic coerces the stored string to SignalKind
        window_start=row.window_start,
        detected_at=row.detected_at,
        severity=row.severity,
        evidence=SignalEvidence.model_validate(row.evidence),
        summary=row.summary,
    )
