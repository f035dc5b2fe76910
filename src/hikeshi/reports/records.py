"""Records of the reports: response metrics, statement fit and the spread of a flame.

They are what the incident report, the weekly report and the web pages show, so each one carries the numbers
and the posts a reader needs, never pre-rendered text.
"""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.store import StoredPost


def minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


class ResponseMetrics(BaseModel):
    """How fast one incident went from onset to detection, opening, first statement and calm.

    Every span is measured from the onset (the earliest signal's window start), the best estimate of when the
    flame began, so the figures of different incidents compare.
    """

    model_config = ConfigDict(frozen=True)

    incident_id: int
    watch: str
    drill: bool
    onset_at: AwareDatetime | None
    detected_at: AwareDatetime | None = Field(description="the first signal's detected_at")
    opened_at: AwareDatetime
    first_statement_at: AwareDatetime | None = None
    calmed_at: AwareDatetime | None = None

    @property
    def minutes_to_detect(self) -> float | None:
        return minutes_between(self.onset_at, self.detected_at)

    @property
    def minutes_to_open(self) -> float | None:
        return minutes_between(self.onset_at, self.opened_at)

    @property
    def minutes_to_statement(self) -> float | None:
        return minutes_between(self.onset_at, self.first_statement_at)

    @property
    def minutes_to_calm(self) -> float | None:
        return minutes_between(self.onset_at, self.calmed_at)


class MetricSummary(BaseModel):
    """One span over several incidents (drills left out): how many had it, and its median and worst."""

    model_config = ConfigDict(frozen=True)

    count: int
    median_minutes: float | None = None
    max_minutes: float | None = None


class AggregateMetrics(BaseModel):
    """Response spans over a set of real incidents, for the weekly and yearly figures."""

    model_config = ConfigDict(frozen=True)

    incidents: int = Field(description="real incidents counted (drills never are)")
    to_detect: MetricSummary
    to_open: MetricSummary
    to_statement: MetricSummary
    to_calm: MetricSummary


class TermCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    term: str
    authors: int = Field(description="distinct authors who used the term")


class WindowStats(BaseModel):
    """Posts of a watch in [start, end): volume, negativity, the top terms and mentions of the statement."""

    model_config = ConfigDict(frozen=True)

    start: AwareDatetime
    end: AwareDatetime
    posts: int
    analyzed: int
    negative: int
    top_terms: list[TermCount] = Field(default_factory=list)
    negative_on_statement: int = Field(
        default=0, description="negative posts that mention the statement itself (謝罪, お詫び, 声明, ...)"
    )

    @property
    def negativity(self) -> float | None:
        return self.negative / self.analyzed if self.analyzed else None

    @property
    def statement_share(self) -> float | None:
        """Share of the negative posts that are about the statement (二次炎上 when it rises)."""
        return self.negative_on_statement / self.negative if self.negative else None


class StatementFit(BaseModel):
    """What happened around a statement: the hours before against the hours after."""

    model_config = ConfigDict(frozen=True)

    at: AwareDatetime
    hours: float
    label: str = Field(description="what is measured: the statement's summary, or 「指定の時刻」")
    before: WindowStats
    after: WindowStats
    statement_angles: list[str] = Field(
        default_factory=list, description="terms of new_angle signals after `at` that name the statement"
    )
    criticism_of_statement: bool = Field(description="二次炎上: criticism turned to the statement itself")
    reasons: list[str] = Field(default_factory=list, description="why, in Japanese")

    @property
    def volume_ratio(self) -> float | None:
        return self.after.posts / self.before.posts if self.before.posts else None

    @property
    def negativity_change(self) -> float | None:
        before, after = self.before.negativity, self.after.negativity
        return after - before if before is not None and after is not None else None


class PostGroup(BaseModel):
    """Near-duplicates collapsed into one row: a representative post and how many copies it stands for."""

    model_config = ConfigDict(frozen=True)

    post: StoredPost
    size: int = Field(ge=1, description="posts of this near-duplicate group in the window looked at")
    matched_terms: list[str] = Field(
        default_factory=list, description="the signal's terms this post contains"
    )
    reach: int = Field(ge=0, description="views when reported, otherwise the author's followers")


class SpreadStep(BaseModel):
    """One hop of the path a flame took: the first post, the first large account, the first news."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="first_post, first_influencer or first_news")
    label: str
    post: StoredPost
    reach: int


class SpreadView(BaseModel):
    """Where a flame started and how it travelled (火元・拡散経路) within [since, until)."""

    model_config = ConfigDict(frozen=True)

    watch: str
    since: AwareDatetime
    until: AwareDatetime
    posts: int = Field(description="posts in the window")
    earliest: list[PostGroup] = Field(description="the first negative posts, copies collapsed")
    top_reach: list[PostGroup] = Field(description="the posts seen most, copies collapsed")
    largest_groups: list[PostGroup] = Field(description="the most copied texts, with their sizes")
    path: list[SpreadStep] = Field(description="first post → first large account → first news, in time order")
