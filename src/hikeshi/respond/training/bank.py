"""The question bank: YAML files under `data/` (one per role), validated on load with file and line.

Each file is `role: sales` and `items: [...]`. What the loader checks, so that a reviewer can trust any item:
ids are unique across the bank; each type carries exactly its own fields; a find-span item's spans occur in
the draft (written as text, resolved to offsets here, with `occurrence` when a phrase appears twice); a
rewrite's model answer keeps its content words; a scenario step names a task of the bundled playbook and has
one right choice, each choice explained; a rule item names a clause of one of the five documents; and
`guard_rules` are real rules of the guard's lexicon, whose reasons are attached to the explanation.

>>> sales = [item for item in load_bank() if item.role is TrainingRole.SALES]
>>> len(sales) >= 30
True
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.errors import ConfigError, NotFoundError
from hikeshi.guard.lexicon import builtin_rules
from hikeshi.records import Audience, Channel
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.training.records import (
    BankItem,
    Choice,
    GuardReason,
    ItemType,
    ScenarioStep,
    Span,
    TrainingRole,
)

BANK_DIR = Path(__file__).with_name("data")
DOCUMENT_KINDS = ("sns_policy", "terms_of_use", "employee_rules", "sns_guideline", "crisis_manual")
CLAUSE_ID = re.compile(rf"^({'|'.join(DOCUMENT_KINDS)})\.[a-z0-9_]+$")
ITEM_ID = re.compile(r"^[a-z_]+-(son|span|rw|sc|rule)-\d{2,3}$")
TYPE_PREFIX = {
    ItemType.SEND_OR_NOT: "son",
    ItemType.FIND_SPAN: "span",
    ItemType.REWRITE: "rw",
    ItemType.SCENARIO: "sc",
    ItemType.RULE: "rule",
}
VERDICTS = ("risky", "fine")


class SpanEntry(BaseModel):
    """A span as written in the data: its text, and which occurrence when the text appears more than once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    occurrence: int = Field(default=1, ge=1)


class RawItem(BaseModel):
    """An item as written in a data file; `_by_type` enforces the fields each type needs and allows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ITEM_ID.pattern)
    type: ItemType
    prompt: str = Field(min_length=1, max_length=2000)
    explanation: str = Field(min_length=10, max_length=800)
    situation: str | None = Field(default=None, max_length=400)
    channel: Channel | None = None
    audience: Audience | None = None
    date: dt.date | None = None
    answer: str | None = None
    spans: list[str | SpanEntry] = []
    keep: list[str] = []
    steps: list[ScenarioStep] = []
    choices: list[Choice] = []
    document: str | None = None
    clause: str | None = None
    guard_rules: list[str] = []

    @field_validator("guard_rules")
    @classmethod
    def _known_rules(cls, values: list[str]) -> list[str]:
        known = {rule.qualified_id for rule in builtin_rules()}
        unknown = [value for value in values if value not in known]
        if unknown:
            raise ValueError(f"guard の辞書にない規則です: {', '.join(unknown)}")
        return values

    @model_validator(mode="after")
    def _by_type(self) -> RawItem:
        if TYPE_PREFIX[self.type] != self.id.split("-")[1]:
            raise ValueError(f"id {self.id} の種類の部分が type {self.type.value} と合いません")
        allowed = ALLOWED_FIELDS[self.type]
        for field in ("spans", "keep", "steps", "choices", "document", "clause"):
            if getattr(self, field) and field not in allowed:
                raise ValueError(f"type {self.type.value} の問題に {field} は書けません")
        check = CHECKS[self.type]
        check(self)
        return self


def _check_send_or_not(item: RawItem) -> None:
    if item.answer not in VERDICTS:
        raise ValueError("send_or_not の answer は risky か fine です")


def _check_find_span(item: RawItem) -> None:
    if item.answer is not None:
        raise ValueError("find_span の答えは spans に書きます（answer は使いません）")
    if not item.spans:
        raise ValueError("find_span には spans（危ない箇所）が必要です")
    resolve_spans(item.prompt, item.spans)


def _check_rewrite(item: RawItem) -> None:
    if not item.answer:
        raise ValueError("rewrite の answer（書き直しの例）が必要です")
    if not item.keep:
        raise ValueError("rewrite には keep（残すべき内容語）が必要です")
    missing = missing_keep_words(item.answer, item.keep)
    if missing:
        raise ValueError(f"書き直しの例に残すべき語がありません: {', '.join(missing)}")


def _check_scenario(item: RawItem) -> None:
    if item.answer is not None:
        raise ValueError("scenario の答えは各 steps の choices に correct: true で書きます")
    if len(item.steps) < 2:
        raise ValueError("scenario には 2 つ以上の steps が必要です")
    tasks = {task.id for phase in default_playbook().phases for task in phase.tasks}
    for number, step in enumerate(item.steps, start=1):
        if step.task not in tasks:
            raise ValueError(f"steps {number} の task {step.task!r} はプレイブックにありません")
        _one_correct(step.choices, f"steps {number}")
        if any(not choice.explanation for choice in step.choices):
            raise ValueError(f"steps {number}: どの選択肢にも explanation が必要です")


def _check_rule(item: RawItem) -> None:
    if item.document not in DOCUMENT_KINDS:
        raise ValueError(f"rule の document は {', '.join(DOCUMENT_KINDS)} のいずれかです")
    if item.clause is None or not CLAUSE_ID.match(item.clause) or not item.clause.startswith(item.document):
        raise ValueError("rule の clause は「文書の種類.条項」（例 employee_rules.discipline）です")
    if len(item.choices) < 2:
        raise ValueError("rule には 2 つ以上の choices が必要です")
    ids = [choice.id for choice in item.choices]
    if len(set(ids)) != len(ids):
        raise ValueError("choices の id が重複しています")
    if item.answer not in ids:
        raise ValueError("rule の answer は choices の id のどれかです")
    if any(choice.correct for choice in item.choices):
        raise ValueError("rule の正解は answer に書きます（choices に correct は書きません）")


def _one_correct(choices: list[Choice], where: str) -> None:
    ids = [choice.id for choice in choices]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{where}: choices の id が重複しています")
    if sum(choice.correct for choice in choices) != 1:
        raise ValueError(f"{where}: 正解（correct: true）はちょうど 1 つです")


CHECKS = {
    ItemType.SEND_OR_NOT: _check_send_or_not,
    ItemType.FIND_SPAN: _check_find_span,
    ItemType.REWRITE: _check_rewrite,
    ItemType.SCENARIO: _check_scenario,
    ItemType.RULE: _check_rule,
}
ALLOWED_FIELDS = {
    ItemType.SEND_OR_NOT: set[str](),
    ItemType.FIND_SPAN: {"spans"},
    ItemType.REWRITE: {"keep"},
    ItemType.SCENARIO: {"steps"},
    ItemType.RULE: {"choices", "document", "clause"},
}


class RoleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: TrainingRole
    items: list[RawItem] = Field(min_length=1)


def resolve_spans(prompt: str, entries: list[str | SpanEntry]) -> list[Span]:
    """Offsets of each written span in the draft (its n-th occurrence); a span not found is an error."""
    spans: list[Span] = []
    for entry in entries:
        written = entry if isinstance(entry, SpanEntry) else SpanEntry(text=entry)
        start = -1
        for _ in range(written.occurrence):
            start = prompt.find(written.text, start + 1)
            if start < 0:
                raise ValueError(f"span「{written.text}」（{written.occurrence} 番目）が本文にありません")
        spans.append(Span(start=start, end=start + len(written.text), text=written.text))
    spans.sort(key=lambda span: span.start)
    for before, after in pairwise(spans):
        if after.start < before.end:
            raise ValueError(f"span「{before.text}」と「{after.text}」が重なっています")
    return spans


def missing_keep_words(text: str, keep: list[str]) -> list[str]:
    """The keep groups (「ありがとう|感謝」 = either word) of which `text` has none."""
    return [group for group in keep if not any(word and word in text for word in group.split("|"))]


def _guard_reasons(rule_ids: list[str]) -> list[GuardReason]:
    by_id = {rule.qualified_id: rule for rule in builtin_rules()}
    return [
        GuardReason(
            rule=rule_id,
            label=by_id[rule_id].label,
            reason=by_id[rule_id].rule.reason,
            suggestion=by_id[rule_id].rule.suggestion,
        )
        for rule_id in rule_ids
    ]


def _item_line(source: str, item_id: str) -> int | None:
    match = re.search(rf"^\s*-?\s*id:\s*{re.escape(item_id)}\s*$", source, flags=re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else None


def _to_item(raw: RawItem, role: TrainingRole, where: str) -> BankItem:
    return BankItem(
        id=raw.id,
        role=role,
        type=raw.type,
        prompt=raw.prompt,
        explanation=raw.explanation,
        situation=raw.situation,
        channel=raw.channel,
        audience=raw.audience,
        date=raw.date,
        verdict=raw.answer if raw.type is ItemType.SEND_OR_NOT else None,
        spans=resolve_spans(raw.prompt, raw.spans) if raw.type is ItemType.FIND_SPAN else [],
        model_answer=raw.answer if raw.type is ItemType.REWRITE else None,
        keep=raw.keep,
        steps=raw.steps,
        choices=raw.choices,
        correct_choice=raw.answer if raw.type is ItemType.RULE else None,
        document=raw.document,
        clause=raw.clause,
        guard_reasons=_guard_reasons(raw.guard_rules),
        source=where,
    )


def load_bank_files(paths: list[Path]) -> tuple[BankItem, ...]:
    """Every item of the given role files, in file order; any problem is a ConfigError with file:line."""
    items: list[BankItem] = []
    seen: dict[str, str] = {}
    for path in paths:
        role_file = load_yaml_model(path, RoleFile)
        source = path.read_text(encoding="utf-8")
        for raw in role_file.items:
            line = _item_line(source, raw.id)
            where = f"{path.name}:{line}" if line else path.name
            if not raw.id.startswith(f"{role_file.role.value}-"):
                raise ConfigError(
                    str(path), line, f"id {raw.id} は役割 {role_file.role.value} で始めてください。"
                )
            if raw.id in seen:
                raise ConfigError(str(path), line, f"id {raw.id} が重複しています（先に {seen[raw.id]}）。")
            seen[raw.id] = where
            items.append(_to_item(raw, role_file.role, where))
    return tuple(items)


@lru_cache(maxsize=1)
def load_bank(directory: Path = BANK_DIR) -> tuple[BankItem, ...]:
    """The shipped bank (every role), loaded and validated once per process."""
    order = {role.value: number for number, role in enumerate(TrainingRole)}
    paths = sorted(directory.glob("*.yaml"), key=lambda path: (order.get(path.stem, len(order)), path.name))
    return load_bank_files(paths)


def items_for(role: TrainingRole | None = None, directory: Path = BANK_DIR) -> list[BankItem]:
    return [item for item in load_bank(directory) if role is None or item.role is role]


def item_by_id(item_id: str, directory: Path = BANK_DIR) -> BankItem:
    for item in load_bank(directory):
        if item.id == item_id:
            return item
    raise NotFoundError(f"問題 {item_id} は問題集にありません。")


def bank_counts(items: list[BankItem] | tuple[BankItem, ...]) -> dict[tuple[str, str], int]:
    """(role, type) → number of items, for the README table and the tests."""
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item.role.value, item.type.value)
        counts[key] = counts.get(key, 0) + 1
    return counts
