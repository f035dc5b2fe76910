"""The overview of all watches and one watch's dashboard, as view models built from `Store` reads.

Periods are counted back from the watch's newest post rather than from the wall clock: a replayed or paused
watch still shows its last days, and the same database always gives the same page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.detect import DetectorConfig
from hikeshi.records import Signal, SignalKind, Watch
from hikeshi.report.signals import (
    RisingTerm,
    RiskStatus,
    in_period,
    kind_label,
    rising_terms,
    risk_status,
    signal_epoch,
)
from hikeshi.store import Store, StoredPost, WatchSummary
from hikeshi.store.evidence import most_reacted_negative_posts
from hikeshi.store.queries import TimeBucket, post_timeseries
from hikeshi.suggest import default_risk_dictionary
from hikeshi.suggest.overview import SuggestOverview, suggest_overview
from hikeshi.timezones import JST

TOP_POSTS = 10
MIN_POSTS_FOR_SHARE = 5
"""A bucket with fewer analysed posts shows no negative share: one post in a quiet hour would read 0% or 100%."""


class Period(StrEnum):
    DAY = "1d"
    THREE_DAYS = "3d"
    WEEK = "7d"
    MONTH = "30d"
    ALL = "all"

    @property
    def label(self) -> str:
        return PERIOD_LABELS[self]

    @property
    def span(self) -> dt.timedelta | None:
        return PERIOD_SPANS[self]


PERIOD_LABELS = {
    Period.DAY: "24 時間",
    Period.THREE_DAYS: "3 日",
    Period.WEEK: "7 日",
    Period.MONTH: "30 日",
    Period.ALL: "全期間",
}
PERIOD_SPANS = {
    Period.DAY: dt.timedelta(days=1),
    Period.THREE_DAYS: dt.timedelta(days=3),
    Period.WEEK: dt.timedelta(days=7),
    Period.MONTH: dt.timedelta(days=30),
    Period.ALL: None,
}
DEFAULT_PERIOD = Period.WEEK
BUCKET_STEPS = (
    (dt.timedelta(days=2), dt.timedelta(minutes=15)),
    (dt.timedelta(days=8), dt.timedelta(hours=1)),
    (dt.timedelta(days=32), dt.timedelta(hours=6)),
)


def choose_bucket(span: dt.timedelta) -> dt.timedelta:
    """At most ~200 bars up to a month (15 min up to 2 days, 1 h up to 8 days, 6 h up to 32), then one a day."""
    for limit, width in BUCKET_STEPS:
        if span <= limit:
            return width
    return dt.timedelta(days=1)


def bucket_label(width: dt.timedelta) -> str:
    minutes = int(width.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} 分"
    if minutes < 24 * 60:
        return f"{minutes // 60} 時間"
    return f"{minutes // (24 * 60)} 日"


def display_zone(watch: Watch) -> dt.timezone:
    """The watch's local time (JST unless its thresholds say otherwise), which detectors also use."""
    hours = DetectorConfig.for_watch(watch).utc_offset_hours
    return JST if hours == 9 else dt.timezone(dt.timedelta(hours=hours))


class WatchOverview(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    summary: WatchSummary
    status: RiskStatus
    zone: dt.timezone


def overview(store: Store) -> list[WatchOverview]:
    """Every watch with its risk level, most at risk first (then by name)."""
    rows = []
    for watch in store.list_watches():
        rows.append(
            WatchOverview(
                summary=store.watch_summary(watch.name),
                status=risk_status(store.list_signals(watch.name)),
                zone=display_zone(watch),
            )
        )
    return sorted(rows, key=lambda row: (-row.status.level, row.summary.watch.name))


class SignalMarker(BaseModel):
    """A signal as the chart shows it: where on the time axis, how severe, where its detail page is."""

    model_config = ConfigDict(frozen=True)

    x: str
    y: int
    kind: str
    label: str
    severity: int
    summary: str
    epoch: int


class ChartData(BaseModel):
    """The dashboard chart's data, serialised into the page with |tojson; times are local wall-clock strings
    (``2026-03-12 21:00``) because the chart library draws naive times as given."""

    model_config = ConfigDict(frozen=True)

    x: list[str]
    posts: list[int]
    negative: list[int]
    other: list[int]
    negative_share: list[float | None]
    signals: list[SignalMarker]
    bucket_minutes: int


class RankedPost(BaseModel):
    model_config = ConfigDict(frozen=True)

    stored: StoredPost
    engagement: int = Field(ge=0, description="likes + reposts + replies")


class Dashboard(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    summary: WatchSummary
    status: RiskStatus
    zone: dt.timezone
    period: Period
    since: AwareDatetime | None
    until: AwareDatetime | None
    bucket: dt.timedelta
    buckets: list[TimeBucket]
    chart: ChartData
    signals: list[Signal]
    top_negative: list[RankedPost]
    rising: list[RisingTerm]
    angles: list[Signal]
    suggest: SuggestOverview

    @property
    def posts_in_period(self) -> int:
        return sum(bucket.posts for bucket in self.buckets)

    @property
    def negative_in_period(self) -> int:
        return sum(bucket.negative for bucket in self.buckets)


def period_bounds(summary: WatchSummary, period: Period) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[since, until) of a period ending just after the newest post; (None, None) for all time."""
    span = period.span
    if span is None or summary.last_post_at is None:
        return None, None
    until = summary.last_post_at + dt.timedelta(seconds=1)
    return until - span, until


def build_chart(
    buckets: Sequence[TimeBucket], signals: Sequence[Signal], width: dt.timedelta, zone: dt.timezone
) -> ChartData:
    def local(moment: dt.datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    posts_at = {bucket.start: bucket.posts for bucket in buckets}
    markers = []
    for signal in signals:
        if not buckets:
            break
        start = buckets[0].start + ((signal.detected_at - buckets[0].start) // width) * width
        markers.append(
            SignalMarker(
                x=local(signal.detected_at),
                y=posts_at.get(start, 0),
                kind=signal.kind.value,
                label=kind_label(signal.kind),
                severity=signal.severity,
                summary=signal.summary,
                epoch=signal_epoch(signal),
            )
        )
    return ChartData(
        x=[local(bucket.start) for bucket in buckets],
        posts=[bucket.posts for bucket in buckets],
        negative=[bucket.negative for bucket in buckets],
        other=[bucket.posts - bucket.negative for bucket in buckets],
        negative_share=[
            round(bucket.negativity * 100, 1)
            if bucket.negativity is not None and bucket.analyzed >= MIN_POSTS_FOR_SHARE
            else None
            for bucket in buckets
        ],
        signals=markers,
        bucket_minutes=int(width.total_seconds() // 60),
    )


def top_negative_posts(
    store: Store, watch: str, since: dt.datetime | None, until: dt.datetime | None, limit: int = TOP_POSTS
) -> list[RankedPost]:
    """The period's negative posts that drew the most reactions: in a flame, these are the ones spreading."""
    return [
        RankedPost(
            stored=stored,
            engagement=stored.post.metrics.likes + stored.post.metrics.reposts + stored.post.metrics.replies,
        )
        for stored in most_reacted_negative_posts(store, watch, since, until, limit)
    ]


def build_dashboard(store: Store, name: str, period: Period = DEFAULT_PERIOD) -> Dashboard:
    summary = store.watch_summary(name)
    watch = summary.watch
    zone = display_zone(watch)
    since, until = period_bounds(summary, period)
    if summary.first_post_at is not None and summary.last_post_at is not None:
        span = (until - since) if since and until else summary.last_post_at - summary.first_post_at
    else:
        span = dt.timedelta(days=1)
    width = choose_bucket(span)
    buckets = post_timeseries(store, name, int(width.total_seconds()), since, until).buckets
    all_signals = store.list_signals(name)
    shown = in_period(all_signals, since, until)
    return Dashboard(
        summary=summary,
        status=risk_status(all_signals),
        zone=zone,
        period=period,
        since=since,
        until=until,
        bucket=width,
        buckets=buckets,
        chart=build_chart(buckets, shown, width, zone),
        signals=sorted(shown, key=lambda s: s.detected_at, reverse=True),
        top_negative=top_negative_posts(store, name, since, until),
        rising=rising_terms(shown),
        angles=[s for s in reversed(shown) if s.kind == SignalKind.NEW_ANGLE],
        suggest=suggest_overview(watch, store.list_suggest_snapshots(name), default_risk_dictionary()),
    )
