"""negativity_rise: the share of negative voices climbs above the baseline, and their number is unusual.

The share is shrunk toward the baseline share (beta-binomial posterior mean), so three negative posts on a
quiet night are not a 100% share; the count of negative authors must also be improbable under the
time-of-day baseline, and negatives must clearly outnumber positives, so that a praise surge (where an
analyzer misreads some 「やばい、うますぎる」) never raises it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hikeshi.detect.base import Candidate, DetectorContext
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.history import DayModel, SlidingWindow
from hikeshi.detect.observe import Observation
from hikeshi.detect.risk import SEVERITY_LABELS, diagnose
from hikeshi.detect.stats import binomial_tail, count_tail, shrunk_share
from hikeshi.records import SignalEvidence, SignalKind

MAX_EVIDENCE_POSTS = 20
SCOPE_LIMIT = dt.timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class ToneState:
    negative_authors: int
    authors: int
    share: float
    weighted_share: float
    baseline_share: float
    elevated: bool


def tone_state(window: SlidingWindow, model: DayModel, config: DetectorConfig) -> ToneState:
    """Shrunk negative share of a window (also reach-weighted), and whether it is clearly above baseline."""
    baseline = model.negative_share
    strength = config.negativity_prior_strength
    share = shrunk_share(window.negative_authors, window.authors, baseline, strength)
    weighted = shrunk_share(window.negative_reach, window.reach, baseline, strength * model.mean_weight)
    threshold = max(baseline + config.negativity_margin, config.negativity_min_share)
    elevated = (
        max(share, weighted) >= threshold
        and window.negative_authors >= config.negativity_neg_to_pos * window.positive_authors
        and window.negative_authors >= 2
        and binomial_tail(window.negative_authors, window.authors, baseline) < config.negativity_share_p_value
    )
    return ToneState(window.negative_authors, window.authors, share, weighted, baseline, elevated)


def leaning_negative(window: SlidingWindow, model: DayModel) -> bool:
    """Whether a window's voices lean negative at all: at least two negative authors, no fewer than positive
    ones, and a raw negative share at or above the baseline. A campaign or a news mention does not."""
    negatives = window.negative_authors
    return (
        negatives >= 2
        and negatives >= window.positive_authors
        and negatives >= model.negative_share * window.authors
    )


def sustained_tone(context: DetectorContext, window: SlidingWindow, model: DayModel) -> ToneState:
    """The window's tone, counted as elevated only if the open episode as a whole agrees: a few misread posts
    at night inside a praise surge must not read as a turn to negativity."""
    tone = tone_state(window, model, context.config)
    whole = context.episode_scope()
    if not tone.elevated or whole is None:
        return tone
    if tone_state(whole, model, context.config).elevated:
        return tone
    return ToneState(
        tone.negative_authors, tone.authors, tone.share, tone.weighted_share, tone.baseline_share, False
    )


def scope_for(context: DetectorContext, window_start: dt.datetime) -> list[Observation]:
    """Posts a diagnosis looks at: the episode so far when one is open, else the detection window."""
    start = context.episode.started if context.episode else window_start
    return context.posts_since(
        max(min(start, window_start), context.now - SCOPE_LIMIT if context.now else start)
    )


class NegativityRiseDetector:
    name = "negativity_rise"

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
        best: tuple[float, int, ToneState, float] | None = None
        for minutes in config.negativity_windows_minutes:
            window = context.window(minutes)
            tone = sustained_tone(context, window, model)
            if tone.negative_authors < config.negativity_min_negative or not tone.elevated:
                continue
            expected = context.baseline.expected(now, dt.timedelta(minutes=minutes)) * tone.baseline_share
            p_value = count_tail(tone.negative_authors, expected, model.dispersion)
            if p_value < config.negativity_p_value and (best is None or p_value < best[0]):
                best = (p_value, minutes, tone, expected)
        if best is None:
            return []
        p_value, minutes, tone, expected = best
        window = context.window(minutes)
        window_start = window.start or now
        total_expected = context.baseline.expected(now, dt.timedelta(minutes=minutes))
        growth = tone.authors / max(total_expected, 1e-9)
        diagnosis = diagnose(
            scope_for(context, window_start),
            growth_ratio=growth,
            negative_elevated=True,
            negative_share=max(tone.share, tone.weighted_share),
            baseline_share=tone.baseline_share,
        )
        summary = (
            f"直近 {minutes} 分の否定的な投稿が {tone.negative_authors} 人／{tone.authors} 人"
            f"（推定割合 {max(tone.share, tone.weighted_share):.0%}、平常時 {tone.baseline_share:.0%}）に増えています。"
            f"深刻度 {diagnosis.severity}（{SEVERITY_LABELS[diagnosis.severity]}）: {'、'.join(diagnosis.reasons)}。"
        )
        negatives = [post.key for post in window.posts if post.negative]
        return [
            Candidate(
                kind=SignalKind.NEGATIVITY_RISE,
                window_start=window_start,
                detected_at=now,
                severity=diagnosis.severity,
                evidence=SignalEvidence(
                    post_ids=negatives[-MAX_EVIDENCE_POSTS:],
                    terms=list(diagnosis.boycott_terms),
                    metrics={
                        "window_minutes": float(minutes),
                        "negative_authors": float(tone.negative_authors),
                        "authors": float(tone.authors),
                        "negative_share": round(tone.share, 4),
                        "reach_weighted_share": round(tone.weighted_share, 4),
                        "baseline_share": round(tone.baseline_share, 4),
                        "expected_negative": round(expected, 3),
                        "p_value": p_value,
                        **diagnosis.metrics,
                    },
                ),
                summary=summary,
                negative=True,
            )
        ]

    def on_tick(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]:
        return []
