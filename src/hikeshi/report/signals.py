"""What a list of signals means for a person: labels, the current risk level, and the terms that are rising.

A watch's signals come in episodes: alerts (volume_spike, negativity_rise, ...) until the `calmed` detector
declares the flame over. The current risk level is therefore the highest severity raised since the last
`calmed` signal, not the highest ever: a watch that flamed last month and calmed since is 「平常」 today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.detect.risk import SEVERITY_LABELS
from hikeshi.records import SIGNAL_KIND_LABELS, Signal, SignalKind

KIND_LABELS = SIGNAL_KIND_LABELS
LEVEL_LABELS = {0: "平常", **SEVERITY_LABELS}
"""Risk level of a watch: 0 when no episode is open, otherwise the severity scale of the detectors."""

METRIC_LABELS = {
    "window_minutes": "集計時間（分）",
    "authors": "投稿した人数",
    "expected": "平常時の目安（人）",
    "ratio": "平常時との倍率",
    "p_value": "偶然に起こる確率（p 値）",
    "reach": "到達の目安",
    "negative_share": "否定的な投稿の割合",
    "baseline_share": "平常時の否定的な割合",
    "negative_authors": "否定的な投稿をした人数",
    "reach_weighted_share": "拡散力で重み付けした否定的な割合",
    "expected_negative": "平常時の否定的な投稿の目安（人）",
    "max_followers": "最大フォロワー数",
    "views": "閲覧数",
    "boycott_authors": "不買・離反を示した人数",
    "news_posts": "ニュース・RSS の件数",
    "sources": "媒体の数",
    "focus_authors": "新しい話題に触れた人数",
    "followers": "フォロワー数",
    "new_risky_suggestions": "新しいリスク語の候補数",
    "engines": "検索エンジンの数",
    "best_rank": "最上位の表示順",
}
SHARE_METRICS = frozenset({"negative_share", "baseline_share", "reach_weighted_share"})


def kind_label(kind: SignalKind | str) -> str:
    try:
        return KIND_LABELS[SignalKind(kind)]
    except ValueError:
        return str(kind)


def metric_label(name: str) -> str:
    """Known metric names in Japanese; per-term metrics (``authors:社長``) read 「「社長」に触れた人数」."""
    if name.startswith("authors:"):
        return f"「{name.removeprefix('authors:')}」に触れた人数"
    return METRIC_LABELS.get(name, name)


def metric_value(name: str, value: float) -> str:
    if name in SHARE_METRICS:
        return f"{value:.0%}"
    if name == "p_value":
        return f"{value:.2g}"
    if name == "reach_weighted":
        return "はい" if value else "いいえ"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


class RiskStatus(BaseModel):
    """Where a watch stands now: the open episode's highest severity (0 = none open) and what was last raised."""

    model_config = ConfigDict(frozen=True)

    level: int = Field(ge=0, le=4)
    episode_started: AwareDatetime | None = None
    last_signal: Signal | None = None
    calmed_at: AwareDatetime | None = None
    calmed_peak: int = Field(default=0, ge=0, le=4, description="highest severity of the last calmed episode")

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def risk_status(signals: Sequence[Signal]) -> RiskStatus:
    """Signals in detection order (as `Store.list_signals` returns them) → the watch's current status.

    >>> risk_status([]).label
    '平常'
    """
    ordered = sorted(signals, key=lambda signal: signal.detected_at)
    last_calmed = max(
        (index for index, signal in enumerate(ordered) if signal.kind == SignalKind.CALMED), default=None
    )
    open_part = ordered if last_calmed is None else ordered[last_calmed + 1 :]
    calmed_at = ordered[last_calmed].detected_at if last_calmed is not None else None
    calmed_peak = 0
    if last_calmed is not None:
        previous_calm = max(
            (i for i in range(last_calmed) if ordered[i].kind == SignalKind.CALMED), default=-1
        )
        calmed_peak = max((s.severity for s in ordered[previous_calm + 1 : last_calmed]), default=0)
    return RiskStatus(
        level=max((signal.severity for signal in open_part), default=0),
        episode_started=min((signal.window_start for signal in open_part), default=None),
        last_signal=ordered[-1] if ordered else None,
        calmed_at=calmed_at,
        calmed_peak=calmed_peak,
    )


class RisingTerm(BaseModel):
    """A term that detectors reported as new or aggravating (a new angle, a boycott word, a risky suggestion)."""

    model_config = ConfigDict(frozen=True)

    term: str
    first_seen: AwareDatetime
    last_seen: AwareDatetime
    signals: int = Field(ge=1)
    max_severity: int = Field(ge=1, le=4)
    kinds: list[SignalKind]


def rising_terms(signals: Sequence[Signal], limit: int = 20) -> list[RisingTerm]:
    """Terms from the evidence of signals, most recently reported first (then the more severe).

    Example: new_angle 「不買」「ノルマ」 at 11:45 and negativity_rise with 「不買」 at 22:44 → 「不買」 first.
    """
    found: dict[str, RisingTerm] = {}
    for signal in sorted(signals, key=lambda s: s.detected_at):
        if signal.kind == SignalKind.CALMED:
            continue
        for term in dict.fromkeys(signal.evidence.terms):
            known = found.get(term)
            if known is None:
                found[term] = RisingTerm(
                    term=term,
                    first_seen=signal.detected_at,
                    last_seen=signal.detected_at,
                    signals=1,
                    max_severity=signal.severity,
                    kinds=[signal.kind],
                )
            else:
                found[term] = known.model_copy(
                    update={
                        "last_seen": signal.detected_at,
                        "signals": known.signals + 1,
                        "max_severity": max(known.max_severity, signal.severity),
                        "kinds": list(dict.fromkeys([*known.kinds, signal.kind])),
                    }
                )
    ranked = sorted(found.values(), key=lambda t: (t.last_seen, t.max_severity, t.signals), reverse=True)
    return ranked[:limit]


def signal_epoch(signal: Signal) -> int:
    """A signal is unique per (watch, kind, window_start); the start in epoch seconds names it in a URL."""
    return int(signal.window_start.timestamp())


def find_signal(signals: Sequence[Signal], kind: str, epoch: int) -> Signal | None:
    for signal in signals:
        if signal.kind.value == kind and signal_epoch(signal) == epoch:
            return signal
    return None


def neighbours(signals: Sequence[Signal], signal: Signal) -> tuple[Signal | None, Signal | None]:
    """The signals raised just before and just after this one, for 「前へ」「次へ」 links."""
    ordered = sorted(signals, key=lambda s: (s.detected_at, s.window_start))
    index = next(
        (i for i, s in enumerate(ordered) if s.kind == signal.kind and s.window_start == signal.window_start),
        None,
    )
    if index is None:
        return None, None
    return (
        ordered[index - 1] if index > 0 else None,
        ordered[index + 1] if index + 1 < len(ordered) else None,
    )


def in_period(
    signals: Sequence[Signal], since: dt.datetime | None, until: dt.datetime | None
) -> list[Signal]:
    return [
        signal
        for signal in signals
        if (since is None or signal.detected_at >= since) and (until is None or signal.window_start < until)
    ]
