"""Records that flow between stages, each defined once (see DESIGN.md).

They are frozen pydantic models so that the CLI, the web API and the library share one JSON shape.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

PlainText = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")]
"""Text without line breaks or control characters: names end up in e-mail headers, URLs and file names."""


class Level(StrEnum):
    OK = "ok"
    CAUTION = "caution"
    DANGER = "danger"


class Channel(StrEnum):
    LINE = "line"
    DM = "dm"
    EMAIL = "email"
    X = "x"
    INSTAGRAM = "instagram"
    REVIEW_REPLY = "review_reply"
    PRESS = "press"


class Audience(StrEnum):
    CUSTOMER = "customer"
    PUBLIC = "public"
    INTERNAL = "internal"


class Finding(BaseModel):
    """One risky span of a draft: offsets are Python string indices into the original text."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    category: str
    severity: int = Field(ge=1, le=3, description="1 = 注意, 2 = 要注意, 3 = 危険")
    reason: str
    suggestion: str | None = None
    rule: str = Field(description="id of the lexicon rule, detector or model that produced this finding")
    excerpt: str = ""


class Verdict(BaseModel):
    """The guard's answer for one draft."""

    model_config = ConfigDict(frozen=True)

    level: Level
    score: float = Field(ge=0.0, le=1.0)
    findings: list[Finding]
    rewrite: str | None = None


# --- Detect side -----------------------------------------------------------------------------------------------


class PostMetrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    likes: int = Field(default=0, ge=0)
    reposts: int = Field(default=0, ge=0)
    replies: int = Field(default=0, ge=0)
    views: int = Field(default=0, ge=0)


class Post(BaseModel):
    """A post, review or article about a watched company, as every source produces it.

    `created_at` is the event time (timezone-aware); `(source, source_id)` is the stable key that makes
    ingestion idempotent.
    """

    model_config = ConfigDict(frozen=True)

    source: str = Field(min_length=1, description="x, rss, news, review, jsonl, intake, ...")
    source_id: str = Field(min_length=1)
    url: str | None = None
    author: str | None = None
    author_followers: int | None = Field(default=None, ge=0)
    text: str
    created_at: AwareDatetime
    fetched_at: AwareDatetime | None = None
    metrics: PostMetrics = PostMetrics()
    parent_id: str | None = None
    quote_id: str | None = None
    language: str = "ja"
    rating: float | None = Field(default=None, description="review star rating, when the source has one")
    reply: str | None = Field(
        default=None, description="the company's reply to a review, when the export has one"
    )

    @property
    def key(self) -> str:
        return f"{self.source}:{self.source_id}"


class Sentiment(BaseModel):
    model_config = ConfigDict(frozen=True)

    negative: float = Field(ge=0.0, le=1.0)
    neutral: float = Field(ge=0.0, le=1.0)
    positive: float = Field(ge=0.0, le=1.0)


class Emotions(BaseModel):
    """Plutchik's eight emotions, each 0–1 (the WRIME set)."""

    model_config = ConfigDict(frozen=True)

    joy: float = Field(ge=0.0, le=1.0)
    sadness: float = Field(ge=0.0, le=1.0)
    anticipation: float = Field(ge=0.0, le=1.0)
    surprise: float = Field(ge=0.0, le=1.0)
    anger: float = Field(ge=0.0, le=1.0)
    fear: float = Field(ge=0.0, le=1.0)
    disgust: float = Field(ge=0.0, le=1.0)
    trust: float = Field(ge=0.0, le=1.0)


class Analysis(BaseModel):
    """What the analyzers say about one text; the same analyzers serve the guard and monitoring."""

    model_config = ConfigDict(frozen=True)

    sentiment: Sentiment
    emotions: Emotions
    harm: dict[str, float] = Field(default_factory=dict, description="harm category → score 0–1")
    risk: float = Field(default=0.0, ge=0.0, le=1.0)
    model_versions: dict[str, str] = Field(default_factory=dict)


class SignalKind(StrEnum):
    VOLUME_SPIKE = "volume_spike"
    NEGATIVITY_RISE = "negativity_rise"
    NEW_ANGLE = "new_angle"
    INFLUENCER_POST = "influencer_post"
    RISKY_SUGGEST = "risky_suggest"
    CALMED = "calmed"


SIGNAL_KIND_LABELS = {
    SignalKind.VOLUME_SPIKE: "投稿急増",
    SignalKind.NEGATIVITY_RISE: "否定的な声の増加",
    SignalKind.NEW_ANGLE: "新しい切り口",
    SignalKind.INFLUENCER_POST: "影響力の大きい投稿",
    SignalKind.RISKY_SUGGEST: "危険な検索候補",
    SignalKind.CALMED: "沈静化",
}
"""Japanese names of signal kinds, the same in the CLI, the alerts and the web pages."""

SIGNAL_SEVERITY_LABELS = {1: "注意", 2: "要注意", 3: "警戒", 4: "危険"}
"""Japanese names of the 1–4 severity scale of signals."""


class SignalEvidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    post_ids: list[str] = Field(default_factory=list, description="Post keys (source:source_id)")
    terms: list[str] = Field(default_factory=list)
    metrics: dict[str, float] = Field(default_factory=dict)


class Signal(BaseModel):
    """Something a detector noticed; `detected_at` is the event time at which a live system would have fired."""

    model_config = ConfigDict(frozen=True)

    watch: str
    kind: SignalKind
    window_start: AwareDatetime
    detected_at: AwareDatetime
    severity: int = Field(ge=1, le=4, description="1 note, 2 watch, 3 warning, 4 critical")
    evidence: SignalEvidence = SignalEvidence()
    summary: str = Field(description="one or two sentences in Japanese")


class Watch(BaseModel):
    """A company or brand being monitored."""

    model_config = ConfigDict(frozen=True)

    name: PlainText = Field(min_length=1)
    terms: list[PlainText] = Field(min_length=1, description="names and aliases that make a post relevant")
    exclude: list[PlainText] = Field(default_factory=list)
    risk_terms: list[PlainText] = Field(default_factory=list)
    thresholds: dict[str, float] = Field(default_factory=dict)
