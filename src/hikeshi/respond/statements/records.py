"""Records of the statement domain: kinds of draft, a stored statement and its versions, paper versions, inquiries."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class DraftKind(StrEnum):
    """What can be drafted from a position paper (DESIGN.md's names, plus sns_x and press_kit)."""

    HOLDING = "holding"
    STATEMENT = "statement"
    PRESS_RELEASE = "press_release"
    SNS_X = "sns_x"
    SNS = "sns"
    QA = "qa"
    CALL_SCRIPT = "call_script"
    PRESS_KIT = "press_kit"


DRAFT_KIND_LABELS = {
    DraftKind.HOLDING: "第一報（ホールディングステートメント）",
    DraftKind.STATEMENT: "お詫びとお知らせ",
    DraftKind.PRESS_RELEASE: "プレスリリース",
    DraftKind.SNS_X: "X（旧 Twitter）投稿",
    DraftKind.SNS: "Instagram・LINE 投稿",
    DraftKind.QA: "想定問答",
    DraftKind.CALL_SCRIPT: "コールセンター対応スクリプト",
    DraftKind.PRESS_KIT: "記者会見キット",
}

PUBLIC_KINDS = frozenset(
    {DraftKind.HOLDING, DraftKind.STATEMENT, DraftKind.PRESS_RELEASE, DraftKind.SNS_X, DraftKind.SNS}
)
"""Kinds written to be published as they are; the others are internal but still never hold the negative list."""

LINT_KINDS = {
    DraftKind.HOLDING: "holding",
    DraftKind.STATEMENT: "statement",
    DraftKind.PRESS_RELEASE: "press_release",
    DraftKind.SNS_X: "sns",
    DraftKind.SNS: "sns",
    DraftKind.QA: "qa",
    DraftKind.CALL_SCRIPT: "call_script",
    DraftKind.PRESS_KIT: "qa",
}
"""The linter's kind for each draft kind (the press kit is read as a Q&A: its sections are not a statement's)."""


class StatementStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    PUBLISHED = "published"


STATEMENT_STATUS_LABELS = {
    StatementStatus.DRAFT: "下書き",
    StatementStatus.REVIEW: "確認待ち",
    StatementStatus.APPROVED: "承認済み",
    StatementStatus.PUBLISHED: "公表済み",
}


class PublishChannel(StrEnum):
    X = "x"
    WEBSITE = "website"
    PRESS = "press"
    LINE = "line"
    INSTAGRAM = "instagram"
    EMAIL = "email"


PUBLISH_CHANNEL_LABELS = {
    PublishChannel.X: "X",
    PublishChannel.WEBSITE: "ウェブサイト",
    PublishChannel.PRESS: "報道機関",
    PublishChannel.LINE: "LINE",
    PublishChannel.INSTAGRAM: "Instagram",
    PublishChannel.EMAIL: "メール",
}


class LintSummary(BaseModel):
    """The linter's verdict on one text, kept with the version it was given (None level: no linter ran)."""

    model_config = ConfigDict(frozen=True)

    level: str | None = Field(description="ok, caution or danger; None when the linter was unavailable")
    result: dict[str, Any] = Field(default_factory=dict, description="the linter's full JSON result")
    note: str | None = None

    @property
    def danger(self) -> bool:
        return self.level == "danger"


class Publication(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: PublishChannel
    at: AwareDatetime
    by: str


class Statement(BaseModel):
    """A stored statement of an incident, at its current version."""

    model_config = ConfigDict(frozen=True)

    id: int
    incident_id: int
    kind: DraftKind
    title: str
    text: str
    status: StatementStatus
    version: int
    lint: LintSummary
    author: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    paper_version: int | None = None
    approver: str | None = None
    approved_at: AwareDatetime | None = None
    override_reason: str | None = None
    published_at: AwareDatetime | None = None
    publications: list[Publication] = Field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATEMENT_STATUS_LABELS[self.status]

    @property
    def kind_label(self) -> str:
        return DRAFT_KIND_LABELS[self.kind]

    @property
    def channel(self) -> PublishChannel | None:
        """The first channel it was published on."""
        return self.publications[0].channel if self.publications else None


class StatementVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    statement_id: int
    version: int
    title: str
    text: str
    lint: LintSummary
    author: str
    created_at: AwareDatetime
    note: str | None = None


class PaperVersion(BaseModel):
    """One saved version of an incident's position paper (the body is the validated paper as JSON)."""

    model_config = ConfigDict(frozen=True)

    incident_id: int
    version: int
    body: dict[str, Any]
    source: str | None = Field(default=None, description="the YAML as written, when it came from a file")
    author: str
    created_at: AwareDatetime


class Inquiry(BaseModel):
    """One call or mail to the call centre; its question feeds the Q&A (聞かれたら言う) when not yet covered."""

    model_config = ConfigDict(frozen=True)

    at: AwareDatetime
    channel: str = Field(default="phone", max_length=30, description="phone, email, form, sns")
    question: str = Field(min_length=1, max_length=2000)
    answer: str | None = Field(default=None, max_length=4000)
    caller: str = Field(default="customer", max_length=30, description="customer, public, press, other")
    repeat: bool = Field(default=False, description="the same caller again (カスハラ handling may apply)")
    escalated: bool = False
    logged_by: str = Field(default="", max_length=100)
    id: int | None = None
