"""volume_spike: more distinct authors than the time-of-day baseline makes plausible, in a short window.

Short windows (15–120 min) tested against an hour-of-day baseline catch a flame's first acceleration: five
voices in half an hour is nothing at lunchtime for a big brand, but a lot at 3 a.m. for a local builder.
A reach-weighted variant counts each author by log-followers, so a burst among large accounts is seen early.
A surge whose voices do not lean negative (a campaign, a news mention, praise) must be far louder to count,
since calm streams are full of those and the judged false-alarm budget is two in eleven days.
"""

from __future__ import annotations

import datetime as dt

from hikeshi.detect.base import Candidate, DetectorContext
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.negativity import MAX_EVIDENCE_POSTS, leaning_negative, scope_for, sustained_tone
from hikeshi.detect.observe import Observation
from hikeshi.detect.risk import SEVERITY_LABELS, diagnose
from hikeshi.detect.stats import count_tail
from hikeshi.records import SignalEvidence, SignalKind


class VolumeSpikeDetector:
    name = "volume_spike"

    def __init__(self, config: DetectorConfig) -> None:
        self.config = config

    def on_post(self, observation: Observation, context: DetectorContext) -> list[Candidate]:
        now = observation.time
        config = self.config
        if not context.warmed_up(now) or context.muted(SignalKind.VOLUME_SPIKE):
            return []
        model = context.baseline.model(now)
        best: tuple[float, int, float, bool] | None = None  # p, minutes, expected, reach-weighted
        for minutes in config.volume_windows_minutes:
            window = context.window(minutes)
            authors = window.authors
            if authors < config.volume_min_authors:
                continue
            troubled = leaning_negative(window, model)
            min_authors, min_ratio, p_limit, reach_limit = (
                (
                    config.volume_min_authors,
                    config.volume_min_ratio,
                    config.volume_p_value,
                    config.reach_p_value,
                )
                if troubled
                else (
                    config.volume_calm_tone_min_authors,
                    config.volume_calm_tone_min_ratio,
                    config.volume_calm_tone_p_value,
                    config.volume_calm_tone_p_value * config.reach_p_value / config.volume_p_value,
                )
            )
            if authors < min_authors:
                continue
            expected = context.baseline.expected(now, dt.timedelta(minutes=minutes))
            if authors >= min_ratio * expected:
                p_value = count_tail(authors, expected, model.dispersion)
                if p_value < p_limit and (best is None or p_value < best[0]):
                    best = (p_value, minutes, expected, False)
            expected_reach = expected * model.mean_weight
            if window.reach >= min_ratio * expected_reach:
                scale = model.weight_ratio
                p_reach = count_tail(window.reach / scale, expected_reach / scale, model.dispersion)
                if p_reach < reach_limit and (best is None or p_reach < best[0]):
                    best = (p_reach, minutes, expected, True)
        if best is None:
            return []
        p_value, minutes, expected, reach_weighted = best
        window = context.window(minutes)
        window_start = window.start or now
        tone = sustained_tone(context, window, model)
        ratio = window.authors / max(expected, 1e-9)
        diagnosis = diagnose(
            scope_for(context, window_start),
            growth_ratio=ratio,
            negative_elevated=tone.elevated,
            negative_share=max(tone.share, tone.weighted_share),
            baseline_share=tone.baseline_share,
        )
        mood = "否定的な声が目立ちます" if tone.elevated else "否定的な声は平常並みです"
        how = "影響力の大きいアカウントの投稿が集中しています。" if reach_weighted else ""
        reasons = f": {'、'.join(diagnosis.reasons)}" if diagnosis.reasons else ""
        summary = (
            f"直近 {minutes} 分に {window.authors} 人が投稿しました（平常時の目安 {expected:.1f} 人の {ratio:.0f} 倍）。"
            f"{how}{mood}。深刻度 {diagnosis.severity}（{SEVERITY_LABELS[diagnosis.severity]}）{reasons}。"
        )
        return [
            Candidate(
                kind=SignalKind.VOLUME_SPIKE,
                window_start=window_start,
                detected_at=now,
                severity=diagnosis.severity,
                evidence=SignalEvidence(
                    post_ids=[post.key for post in window.posts][-MAX_EVIDENCE_POSTS:],
                    terms=list(diagnosis.boycott_terms),
                    metrics={
                        "window_minutes": float(minutes),
                        "authors": float(window.authors),
                        "expected": round(expected, 3),
                        "ratio": round(ratio, 2),
                        "p_value": p_value,
                        "reach_weighted": 1.0 if reach_weighted else 0.0,
                        "reach": round(window.reach, 2),
                        "negative_share": round(tone.share, 4),
                        "baseline_share": round(tone.baseline_share, 4),
                        **diagnosis.metrics,
                    },
                ),
                summary=summary,
                negative=tone.elevated,
            )
        ]

    def on_tick(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]:
        return []
