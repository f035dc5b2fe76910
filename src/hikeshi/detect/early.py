"""Early negativity_rise: two weak cues that agree, for flames that start slowly.

A slow flame shows about six voices in its first hour, a few of them misread by the analyzer as neutral, so
the negative *share* stays under the bar that `negativity_rise` needs on a quiet evening. What does stand out
early is the *count*: five negative authors in 90 minutes when the hour-of-day baseline expects a quarter of
one. A count alone is not enough (a few complaints on one day do that too), and neither is volume (a campaign
does that), so this detector fires only when both are improbable under the baseline at once:

- the number of distinct negative authors in a window (negative-binomial tail, mean = expected authors ×
  baseline negative share), and
- the number of distinct authors of any tone in the same window,

each below `early_p_value` after a Bonferroni correction over the windows (30/60/90/120 min), with negative
voices clearly outnumbering positive ones so that a praise surge (some 「売り切れ…悲しい」 among the praise)
never reads as a crisis. It proposes a `negativity_rise`; the runner's cooldown and grouping apply as usual.
"""

from __future__ import annotations

import datetime as dt

from hikeshi.detect.base import Candidate, DetectorContext
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.negativity import MAX_EVIDENCE_POSTS, scope_for, tone_state
from hikeshi.detect.observe import Observation
from hikeshi.detect.risk import SEVERITY_LABELS, diagnose
from hikeshi.detect.stats import count_tail
from hikeshi.records import SignalEvidence, SignalKind


class EarlyNegativityDetector:
    name = "early_negativity"

    def __init__(self, config: DetectorConfig) -> None:
        self.config = config

    def on_post(self, observation: Observation, context: DetectorContext) -> list[Candidate]:
        now = observation.time
        config = self.config
        if (
            not observation.negative
            or not context.warmed_up(now)
            or context.muted(SignalKind.NEGATIVITY_RISE)
        ):
            return []
        model = context.baseline.model(now)
        corrected = config.early_p_value / max(1, len(config.early_windows_minutes))
        best: tuple[float, int, float, float, float] | None = None  # p, minutes, expected, p_neg, p_all
        for minutes in config.early_windows_minutes:
            window = context.window(minutes)
            negatives = window.negative_authors
            if negatives < config.early_min_negative:
                continue
            if negatives < config.early_neg_to_pos * window.positive_authors:
                continue
            expected = context.baseline.expected(now, dt.timedelta(minutes=minutes))
            p_negative = count_tail(negatives, expected * model.negative_share, model.dispersion)
            if p_negative >= corrected:
                continue
            p_volume = count_tail(window.authors, expected, model.dispersion)
            if p_volume >= corrected:
                continue
            p_value = max(p_negative, p_volume)
            if best is None or p_value < best[0]:
                best = (p_value, minutes, expected, p_negative, p_volume)
        if best is None or not self._episode_agrees(context):
            return []
        return [self._candidate(now, context, *best)]

    def on_tick(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]:
        return []

    def _episode_agrees(self, context: DetectorContext) -> bool:
        """Inside an open episode (say a praise surge already flagged by volume), the episode as a whole must
        also be mostly negative, so a few misread posts at night inside praise do not turn it into a crisis."""
        whole = context.episode_scope()
        if whole is None:
            return True
        return whole.negative_authors >= self.config.early_neg_to_pos * whole.positive_authors

    def _candidate(
        self,
        now: dt.datetime,
        context: DetectorContext,
        p_value: float,
        minutes: int,
        expected: float,
        p_negative: float,
        p_volume: float,
    ) -> Candidate:
        window = context.window(minutes)
        window_start = window.start or now
        model = context.baseline.model(now)
        tone = tone_state(window, model, self.config)
        expected_negative = expected * model.negative_share
        diagnosis = diagnose(
            scope_for(context, window_start),
            growth_ratio=window.authors / max(expected, 1e-9),
            negative_elevated=True,
            negative_share=max(tone.share, tone.weighted_share),
            baseline_share=tone.baseline_share,
        )
        summary = (
            f"直近 {minutes} 分に否定的な投稿をした人が {window.negative_authors} 人"
            f"（平常時の目安 {expected_negative:.1f} 人）、投稿者全体も {window.authors} 人"
            f"（目安 {expected:.1f} 人）と、ふだんは起きにくい増え方です。炎上の初期の可能性があります。"
            f"深刻度 {diagnosis.severity}（{SEVERITY_LABELS[diagnosis.severity]}）: {'、'.join(diagnosis.reasons)}。"
        )
        negatives = [post.key for post in window.posts if post.negative]
        return Candidate(
            kind=SignalKind.NEGATIVITY_RISE,
            window_start=window_start,
            detected_at=now,
            severity=diagnosis.severity,
            evidence=SignalEvidence(
                post_ids=negatives[-MAX_EVIDENCE_POSTS:],
                terms=list(diagnosis.boycott_terms),
                metrics={
                    "window_minutes": float(minutes),
                    "negative_authors": float(window.negative_authors),
                    "positive_authors": float(window.positive_authors),
                    "authors": float(window.authors),
                    "expected_negative": round(expected_negative, 3),
                    "expected_authors": round(expected, 3),
                    "p_negative": p_negative,
                    "p_volume": p_volume,
                    "p_value": p_value,
                    "negative_share": round(tone.share, 4),
                    "baseline_share": round(tone.baseline_share, 4),
                    **diagnosis.metrics,
                },
            ),
            summary=summary,
            negative=True,
        )
