"""Detector settings: one typed object, with per-watch overrides taken from `Watch.thresholds`.

The defaults are tuned for what real company monitoring looks like: a few to a few dozen posts a day with a
day/night rhythm, where a flame must be caught within about an hour and a half while calm days stay silent.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.records import Watch

# Words that turn anger into lost sales; a post containing one is a stronger sign than plain negativity.
DEFAULT_BOYCOTT_TERMS: tuple[str, ...] = (
    "不買",
    "ボイコット",
    "二度と買わない",
    "二度と買いません",
    "もう買わない",
    "もう買いません",
    "二度と使わない",
    "二度と利用しない",
    "二度と利用しません",
    "二度と行かない",
    "解約します",
    "解約する",
    "契約やめ",
    "他社にし",
)

NEWS_SOURCES: frozenset[str] = frozenset({"news", "rss", "atom", "press"})


class DetectorConfig(BaseModel):
    """Thresholds of every detector; `for_watch` lets a watch override any of them by name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    utc_offset_hours: float = Field(default=9.0, description="local time for the day/night baseline (JST)")
    baseline_days: int = Field(default=7, ge=1, description="past days that make the baseline")
    min_history_hours: float = Field(default=36.0, ge=0, description="no volume/negativity alarm before this")
    rate_floor_per_hour: float = Field(
        default=0.05, gt=0, description="smallest expected rate (quiet nights)"
    )
    profile_prior_days: float = Field(
        default=2.0, ge=0, description="shrinks the hour-of-day profile to flat"
    )
    dispersion_min: float = Field(default=0.1, ge=0, description="negative-binomial dispersion floor")
    dispersion_max: float = Field(default=1.0, ge=0)
    day_factor_pseudo: float = Field(default=8.0, gt=0, description="pseudo-authors of the busy-day factor")
    day_factor_lag_hours: int = Field(default=3, ge=0, description="recent hours the busy-day factor ignores")

    volume_windows_minutes: tuple[int, ...] = (30, 60, 120)
    volume_p_value: float = Field(default=1e-4, gt=0, lt=1)
    volume_min_authors: int = Field(default=5, ge=1)
    volume_min_ratio: float = Field(default=3.0, ge=1)
    reach_p_value: float = Field(default=1e-5, gt=0, lt=1)
    # A surge whose tone is not leaning negative (a campaign, a news mention, praise) must be much louder to
    # count: calm streams are full of such bursts, and a flame is caught by its negative voices anyway.
    volume_calm_tone_p_value: float = Field(default=1e-7, gt=0, lt=1)
    volume_calm_tone_min_authors: int = Field(default=10, ge=1)
    volume_calm_tone_min_ratio: float = Field(default=5.0, ge=1)

    early_windows_minutes: tuple[int, ...] = (30, 60, 90, 120)
    early_p_value: float = Field(
        default=1e-3, gt=0, lt=1, description="each cue, Bonferroni-corrected over the windows"
    )
    early_min_negative: int = Field(default=5, ge=1, description="distinct negative authors")
    early_neg_to_pos: float = Field(default=2.0, ge=0)

    negativity_windows_minutes: tuple[int, ...] = (30, 60, 120, 180)
    negative_probability: float = Field(default=0.5, ge=0, le=1, description="a post counts as negative")
    negativity_p_value: float = Field(default=1e-4, gt=0, lt=1)
    negativity_min_negative: int = Field(default=4, ge=1)
    negativity_prior_strength: float = Field(default=8.0, gt=0, description="pseudo-posts of the share prior")
    negativity_margin: float = Field(default=0.15, ge=0, le=1, description="shrunk share above the baseline")
    negativity_min_share: float = Field(default=0.4, ge=0, le=1)
    negativity_share_p_value: float = Field(
        default=0.01, gt=0, lt=1, description="binomial test of the share"
    )
    negativity_neg_to_pos: float = Field(default=2.0, ge=0, description="negative voices per positive one")

    angle_window_minutes: int = Field(default=180, ge=10)
    angle_min_posts: int = Field(default=8, ge=1)
    angle_min_docs: int = Field(default=3, ge=1, description="distinct authors using a rising term")
    angle_z: float = Field(default=3.0, gt=0, description="z-score of the weighted log-odds")
    angle_z_calm: float = Field(default=4.0, gt=0, description="stricter outside an alert episode")
    angle_prior_scale: float = Field(default=50.0, gt=0, description="Dirichlet prior pseudo-count total")
    angle_interval_minutes: int = Field(default=240, ge=1, description="least time between two new_angle")
    angle_max_terms: int = Field(default=5, ge=1)

    influencer_followers: int = Field(default=30_000, ge=0)
    influencer_views: int = Field(default=300_000, ge=0)

    calm_hours: float = Field(default=12.0, gt=0, description="quiet period that declares an episode calmed")
    calm_volume_ratio: float = Field(default=2.5, ge=1, description="volume still counted as calm")
    tick_minutes: int = Field(default=15, ge=1, description="virtual clock step for timer-based detectors")
    escalation_hold_minutes: float = Field(default=30.0, ge=0, description="least gap before an escalation")
    refire_hours: float = Field(default=24.0, gt=0, description="repeat an alert kind within an episode")

    boycott_terms: tuple[str, ...] = DEFAULT_BOYCOTT_TERMS
    risk_terms: tuple[str, ...] = Field(default=(), description="the watch's own risk words (ブラック, 詐欺)")
    news_sources: frozenset[str] = NEWS_SOURCES

    @classmethod
    def for_watch(cls, watch: Watch, base: DetectorConfig | None = None) -> DetectorConfig:
        """Apply numeric overrides from `watch.thresholds` (keys named like the fields; others are ignored,
        since alerts and suggest watch keep their own thresholds in the same mapping)."""
        config = base or cls()
        updates: dict[str, Any] = {}
        for name, value in watch.thresholds.items():
            field = cls.model_fields.get(name)
            if field is None or field.annotation not in (int, float):
                continue
            updates[name] = int(value) if field.annotation is int else float(value)
        if watch.risk_terms:
            updates["risk_terms"] = (*config.risk_terms, *watch.risk_terms)
        return cls.model_validate({**config.model_dump(), **updates}) if updates else config
