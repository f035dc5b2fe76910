"""calmed: after an alert, volume and negativity have stayed near the baseline for a configurable period.

It runs on the virtual clock (ticks between posts), because calm is shown by the posts that do *not* arrive.
"""

from __future__ import annotations

import datetime as dt

from hikeshi.detect.base import Candidate, DetectorContext
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.observe import Observation
from hikeshi.detect.stats import shrunk_share
from hikeshi.records import SignalEvidence, SignalKind

QUIET_SLACK_AUTHORS = 2.0


def duration_ja(delta: dt.timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    return f"{days} 日 {hours} 時間" if days else f"{hours} 時間"


class CalmedDetector:
    name = "calmed"

    def __init__(self, config: DetectorConfig) -> None:
        self.config = config

    def on_post(self, observation: Observation, context: DetectorContext) -> list[Candidate]:
        return []

    def on_tick(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]:
        episode = context.episode
        config = self.config
        period = dt.timedelta(hours=config.calm_hours)
        if episode is None or now - episode.opened_at < period:
            return []
        start = now - period
        posts = [post for post in context.recent if post.time > start]
        authors = {post.author for post in posts}
        negative = {post.author for post in posts if post.negative}
        model = context.baseline.model(now)
        expected = context.baseline.expected(now, period)
        if len(authors) > config.calm_volume_ratio * expected + QUIET_SLACK_AUTHORS:
            return []
        share = shrunk_share(
            len(negative), len(authors), model.negative_share, config.negativity_prior_strength
        )
        if share >= model.negative_share + config.negativity_margin:
            return []
        summary = (
            f"直近 {config.calm_hours:.0f} 時間、投稿（{len(authors)} 人、平常時の目安 {expected:.0f} 人）と"
            f"否定的な投稿の割合（推定 {share:.0%}、平常時 {model.negative_share:.0%}）が平常の範囲に戻りました。"
            f"{duration_ja(now - episode.started)}前に始まった動きは沈静化したとみられます。"
        )
        return [
            Candidate(
                kind=SignalKind.CALMED,
                window_start=start,
                detected_at=now,
                severity=1,
                evidence=SignalEvidence(
                    post_ids=[post.key for post in posts][-20:],
                    metrics={
                        "hours": config.calm_hours,
                        "authors": float(len(authors)),
                        "expected": round(expected, 3),
                        "negative_share": round(share, 4),
                        "baseline_share": round(model.negative_share, 4),
                        "episode_hours": round((now - episode.started).total_seconds() / 3600, 2),
                    },
                ),
                summary=summary,
            )
        ]
