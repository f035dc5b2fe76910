"""influencer_post: a negative post from an account whose audience can start a flame on its own."""

from __future__ import annotations

import datetime as dt

from hikeshi.detect.base import Candidate, DetectorContext
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.observe import Observation
from hikeshi.detect.risk import SEVERITY_LABELS, people
from hikeshi.records import SignalEvidence, SignalKind

EXCERPT_CHARS = 60


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class InfluencerPostDetector:
    name = "influencer_post"

    def __init__(self, config: DetectorConfig) -> None:
        self.config = config

    def on_post(self, observation: Observation, context: DetectorContext) -> list[Candidate]:
        config = self.config
        if not observation.negative or observation.news:
            return []
        followers, views = observation.followers, observation.views
        if followers < config.influencer_followers and views < config.influencer_views:
            return []
        severity = 1
        if followers >= 10 * config.influencer_followers or views >= 10 * config.influencer_views:
            severity = 2
        if followers >= 100 * config.influencer_followers or views >= 100 * config.influencer_views:
            severity = 3
        if observation.boycott or observation.risk_words:
            severity = min(4, severity + 1)
        author = observation.author.split(":", 1)[-1]
        summary = (
            f"フォロワー {people(followers)} 人のアカウント（{author}）が否定的な投稿をしました"
            f"{f'（閲覧 {people(views)}）' if views else ''}: 「{excerpt(observation.text)}」。"
            f"深刻度 {severity}（{SEVERITY_LABELS[severity]}）。"
        )
        return [
            Candidate(
                kind=SignalKind.INFLUENCER_POST,
                window_start=observation.time,
                detected_at=observation.time,
                severity=severity,
                evidence=SignalEvidence(
                    post_ids=[observation.key],
                    terms=list(observation.boycott + observation.risk_words),
                    metrics={
                        "followers": float(followers),
                        "views": float(views),
                        "negativity": round(observation.negativity, 4),
                    },
                ),
                summary=summary,
                author=observation.author,
                negative=True,
            )
        ]

    def on_tick(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]:
        return []
