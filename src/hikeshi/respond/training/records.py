"""Records of the training course: bank items, trainees, answers and summaries, defined once.

A bank item is one question for one role. Its type decides which fields it carries: a send-or-not item keys
the draft as `risky` or `fine`; a find-span item carries the risky spans as offsets into the draft; a rewrite
item carries a model rewrite and the content words a rewrite must keep; a scenario item carries the steps of
a flame, each with choices and the playbook task it practises; a rule item carries choices and the clause of
the company's documents it comes from. `BankItem.public_json()` is the line `hikeshi training bank --format
jsonl` prints (`{"id", "role", "type", "prompt", "answer", "explanation", ...}`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.records import Audience, Channel


class TrainingRole(StrEnum):
    """Who takes a curriculum: each role meets the drafts it would write itself."""

    NEW_HIRE = "new_hire"
    SALES = "sales"
    SNS_STAFF = "sns_staff"
    MANAGER = "manager"
    CALL_CENTRE = "call_centre"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    TrainingRole.NEW_HIRE: "新入社員",
    TrainingRole.SALES: "営業・お客様への連絡",
    TrainingRole.SNS_STAFF: "SNS 担当",
    TrainingRole.MANAGER: "管理職・経営層",
    TrainingRole.CALL_CENTRE: "コールセンター",
}


class ItemType(StrEnum):
    SEND_OR_NOT = "send_or_not"
    FIND_SPAN = "find_span"
    REWRITE = "rewrite"
    SCENARIO = "scenario"
    RULE = "rule"

    @property
    def label(self) -> str:
        return TYPE_LABELS[self]


TYPE_LABELS = {
    ItemType.SEND_OR_NOT: "送る？送らない？",
    ItemType.FIND_SPAN: "危ない箇所を探す",
    ItemType.REWRITE: "書き直す",
    ItemType.SCENARIO: "炎上シナリオ",
    ItemType.RULE: "社内ルール",
}


class ExamKind(StrEnum):
    """The fixed test taken before the course (baseline) and after it (completion)."""

    PRE = "pre"
    POST = "post"

    @property
    def label(self) -> str:
        return "事前テスト" if self is ExamKind.PRE else "事後テスト"


class Span(BaseModel):
    """A risky stretch of a draft: Python string offsets, with the text they cover."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=1)
    text: str


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-e]$")
    text: str = Field(min_length=1, max_length=400)
    correct: bool = False
    explanation: str | None = Field(default=None, max_length=600)


class ScenarioStep(BaseModel):
    """One moment of a flame: what has happened, and the choices for what to do next."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    situation: str = Field(min_length=1, max_length=800)
    task: str = Field(pattern=r"^[a-z0-9_]{1,60}$", description="the playbook task this step practises")
    choices: list[Choice] = Field(min_length=2, max_length=5)

    @property
    def correct_id(self) -> str:
        return next(choice.id for choice in self.choices if choice.correct)


class GuardReason(BaseModel):
    """The guard's own reason for a lexicon rule, reused as teaching material."""

    model_config = ConfigDict(frozen=True)

    rule: str
    label: str
    reason: str
    suggestion: str | None = None


class BankItem(BaseModel):
    """One question of the bank, validated on load (see `bank.py`)."""

    model_config = ConfigDict(frozen=True)

    id: str
    role: TrainingRole
    type: ItemType
    prompt: str
    explanation: str
    situation: str | None = None
    channel: Channel | None = None
    audience: Audience | None = None
    date: dt.date | None = None
    verdict: str | None = None  # send_or_not: "risky" or "fine"
    spans: list[Span] = []  # find_span
    model_answer: str | None = None  # rewrite
    keep: list[str] = []  # rewrite: content words; 「ありがとう|感謝」 means either
    steps: list[ScenarioStep] = []  # scenario
    choices: list[Choice] = []  # rule
    correct_choice: str | None = None  # rule
    document: str | None = (
        None  # rule: sns_policy, terms_of_use, employee_rules, sns_guideline, crisis_manual
    )
    clause: str | None = None  # rule: clause id in the documents' catalogue
    guard_reasons: list[GuardReason] = []
    source: str = ""  # "file:line", for error messages and reviewers

    @property
    def answer(self) -> str | list[str] | list[Span]:
        """The answer key in the bank's public shape (see the module docstring)."""
        if self.type is ItemType.SEND_OR_NOT:
            return self.verdict or ""
        if self.type is ItemType.FIND_SPAN:
            return list(self.spans)
        if self.type is ItemType.REWRITE:
            return self.model_answer or ""
        if self.type is ItemType.SCENARIO:
            return [step.correct_id for step in self.steps]
        return self.correct_choice or ""

    @property
    def full_explanation(self) -> str:
        """The team's explanation followed by the guard's reasons for the rules this draft trips."""
        if not self.guard_reasons:
            return self.explanation
        reasons = " ".join(
            f"（hikeshi check「{entry.label}」: {entry.reason}）" for entry in self.guard_reasons
        )
        return f"{self.explanation}{reasons}"

    def public_json(self) -> dict[str, Any]:
        """One line of `hikeshi training bank --format jsonl`."""
        answer: Any = [span.model_dump() for span in self.spans] if self.spans else self.answer
        line: dict[str, Any] = {
            "id": self.id,
            "role": self.role.value,
            "type": self.type.value,
            "prompt": self.prompt,
            "answer": answer,
            "explanation": self.full_explanation,
        }
        optional: dict[str, Any] = {
            "situation": self.situation,
            "channel": self.channel.value if self.channel else None,
            "audience": self.audience.value if self.audience else None,
            "date": self.date.isoformat() if self.date else None,
            "keep": self.keep or None,
            "steps": [step.model_dump() for step in self.steps] or None,
            "choices": [choice.model_dump(exclude_none=True) for choice in self.choices] or None,
            "document": self.document,
            "clause": self.clause,
            "guard_reasons": [entry.model_dump(exclude_none=True) for entry in self.guard_reasons] or None,
        }
        line.update({key: value for key, value in optional.items() if value is not None})
        return line


class Trainee(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    department: str
    role: TrainingRole
    enrolled_at: dt.datetime


class ItemScore(BaseModel):
    """How one answer scored: 0..1, whether it counts as correct, and what to tell the trainee."""

    model_config = ConfigDict(frozen=True)

    score: float = Field(ge=0.0, le=1.0)
    correct: bool
    feedback: list[str] = []  # Japanese lines beyond the item's explanation (e.g. the guard's findings)


class Attempt(BaseModel):
    """One answered item of one sitting of a test, as stored."""

    model_config = ConfigDict(frozen=True)

    trainee_id: int
    exam: ExamKind
    sitting: int
    item_id: str
    answer: Any
    score: float
    correct: bool
    answered_at: dt.datetime


class SittingResult(BaseModel):
    """A sitting of a test: how far the trainee got and the score so far (0..100)."""

    model_config = ConfigDict(frozen=True)

    exam: ExamKind
    sitting: int
    answered: int
    total: int
    score: float
    finished_at: dt.datetime | None

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


class Progress(BaseModel):
    """Where one trainee stands: the pre-test, the best post-test and whether the course is complete."""

    model_config = ConfigDict(frozen=True)

    trainee: Trainee
    pre: SittingResult | None
    post: SittingResult | None
    completed: bool


class DepartmentSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    department: str
    trainees: int
    pre_done: int
    post_done: int
    completed: int
    mean_pre: float | None
    mean_post: float | None

    @property
    def completion_rate(self) -> float:
        return self.completed / self.trainees if self.trainees else 0.0
