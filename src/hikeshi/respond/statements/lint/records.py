"""Records of the statement linter: the kinds of text it judges, the sections it looks for, and its verdicts.

A statement is judged on two axes that must not be mixed up: wording (a dodge such as 「不快に思われた方が
いらっしゃったのであれば」 is a finding with a span) and structure (which of the eight sections of an お詫び the
text contains). Wording decides the level; missing sections only raise it for a full statement or press release.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.records import Finding, Level


class StatementKind(StrEnum):
    """What the text is meant to be (DESIGN.md: statement lint's `kind`)."""

    STATEMENT = "statement"
    HOLDING = "holding"
    PRESS_RELEASE = "press_release"
    SNS = "sns"
    QA = "qa"
    CALL_SCRIPT = "call_script"


class Section(StrEnum):
    """The parts of a full お詫び, in the order a reader expects them."""

    APOLOGY = "apology"
    FACTS = "facts"
    CAUSE = "cause"
    IMPACT = "impact"
    ACTIONS = "actions"
    PREVENTION = "prevention"
    ACCOUNTABILITY = "accountability"
    CONTACT = "contact"


SECTION_LABELS = {
    Section.APOLOGY: "謝罪",
    Section.FACTS: "事実経緯",
    Section.CAUSE: "原因",
    Section.IMPACT: "影響",
    Section.ACTIONS: "対応",
    Section.PREVENTION: "再発防止",
    Section.ACCOUNTABILITY: "処分",
    Section.CONTACT: "問い合わせ先",
}

KIND_LABELS = {
    StatementKind.STATEMENT: "お詫び（謝罪文）",
    StatementKind.HOLDING: "第一報",
    StatementKind.PRESS_RELEASE: "プレスリリース",
    StatementKind.SNS: "SNS 投稿",
    StatementKind.QA: "想定問答",
    StatementKind.CALL_SCRIPT: "コールセンター対応スクリプト",
}

# Sections a kind is expected to contain. A holding statement says what is known and where to ask; an SNS post
# points to the full text; the Q&A and the call script are organised by question, not by section. With no kind
# the full statement's list is reported for information (the level is not raised).
REQUIRED_SECTIONS: dict[StatementKind | None, tuple[Section, ...]] = {
    None: tuple(Section),
    StatementKind.STATEMENT: tuple(Section),
    StatementKind.PRESS_RELEASE: tuple(Section),
    StatementKind.HOLDING: (Section.FACTS, Section.CONTACT),
    StatementKind.SNS: (),
    StatementKind.QA: (),
    StatementKind.CALL_SCRIPT: (),
}

SECTIONS_RAISE_LEVEL = frozenset({StatementKind.STATEMENT, StatementKind.PRESS_RELEASE})


class SectionPresence(BaseModel):
    """Which sections the text contains (DESIGN.md's `sections` object: one boolean per section)."""

    model_config = ConfigDict(frozen=True)

    apology: bool = False
    facts: bool = False
    cause: bool = False
    impact: bool = False
    actions: bool = False
    prevention: bool = False
    accountability: bool = False
    contact: bool = False

    def has(self, section: Section) -> bool:
        return bool(getattr(self, section.value))


class StatementLint(BaseModel):
    """The linter's answer for one text; `findings` carry spans into the original text."""

    model_config = ConfigDict(frozen=True)

    level: Level
    score: float = Field(ge=0.0, le=1.0, description="noisy-or of the wording findings' severities")
    findings: list[Finding]
    sections: SectionPresence
    missing: list[Section]
    kind: StatementKind | None = None


class MismatchKind(StrEnum):
    COUNT = "count"
    AMOUNT = "amount"
    DATE = "date"
    NAME = "name"
    CONTACT = "contact"
    NEGATIVE_LIST = "negative_list"


class Mention(BaseModel):
    """Where a value was written: file, line (1-based), the value as read and the words around it."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int = Field(ge=1)
    value: str
    excerpt: str


class Mismatch(BaseModel):
    """One inconsistency: the same thing given different values, or a negative-list item in a text."""

    model_config = ConfigDict(frozen=True)

    kind: MismatchKind
    subject: str = Field(description="what the value is about, e.g. 名（お客様）, 送信の日付, 社名")
    expected: str | None = Field(
        default=None, description="the position paper's value, when facts were given"
    )
    mentions: list[Mention]
    message: str
