"""The facts the linter needs from a position paper: the negative list, and the numbers, dates and names to compare.

The linter reads only a few parts of a paper, so it validates only those (everything else is ignored): a paper
that is still being written can already be checked against its negative list. Both spellings of the negative
list are read: the position paper's `negative` ({item, variants, topic, reason}) and a plain
`negative_list` (strings or {term, reason}). A paper object from `hikeshi.respond.statements.papers` is read
through its JSON form, so the linter never depends on the paper's Python class.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.errors import ConfigError, InputError

MAX_FACTS_BYTES = 1_048_576


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class NegativeTerm(_Loose):
    """A word that must never appear in a public text (聞かれても言えない)."""

    term: str = Field(min_length=1)
    reason: str | None = None
    topic: str | None = None

    @field_validator("term")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("空の語があります")
        return value.strip()


class _NegativeItem(_Loose):
    item: str = Field(min_length=1)
    variants: list[str] = []
    topic: str | None = None
    reason: str | None = None


class _Figure(_Loose):
    label: str
    value: int
    unit: str


class _Impact(_Loose):
    who: str = ""
    count: int | None = None
    unit: str = "名"
    figures: list[_Figure] = []


class _TimelineEntry(_Loose):
    at: dt.datetime | dt.date
    what: str


class _Dated(_Loose):
    what: str | None = None
    due: dt.date | None = None


class _Person(_Loose):
    name: str
    title: str | None = None


class _Company(_Loose):
    name: str
    representative: str | None = None


class _Contact(_Loose):
    phone: str | None = None
    email: str | None = None
    url: str | None = None


class _Contacts(_Loose):
    public: _Contact | None = None
    press: _Contact | None = None


class LintFacts(_Loose):
    """The parts of a position paper the linter uses; every part is optional."""

    negative_list: list[str | NegativeTerm] = []
    negative: list[_NegativeItem] = []
    company: _Company | None = None
    impact: _Impact | None = None
    timeline: list[_TimelineEntry] = []
    cause: _Dated | None = None
    measures: list[_Dated] = []
    accountability: list[_Dated] = []
    speakers: list[_Person] = []
    contacts: _Contacts | None = None

    @field_validator("negative_list")
    @classmethod
    def _no_blank_terms(cls, values: list[str | NegativeTerm]) -> list[str | NegativeTerm]:
        if any(isinstance(value, str) and not value.strip() for value in values):
            raise ValueError("空の語があります")
        return [value.strip() if isinstance(value, str) else value for value in values]

    @property
    def negative_terms(self) -> list[NegativeTerm]:
        """Every word of the negative list, variants included, each with its reason."""
        terms = [NegativeTerm(term=t) if isinstance(t, str) else t for t in self.negative_list]
        for item in self.negative:
            for word in (item.item, *item.variants):
                if word.strip():
                    terms.append(NegativeTerm(term=word, reason=item.reason, topic=item.topic))
        return terms

    @property
    def contact_values(self) -> list[str]:
        if self.contacts is None:
            return []
        desks = [desk for desk in (self.contacts.public, self.contacts.press) if desk is not None]
        return [value for desk in desks for value in (desk.phone, desk.email, desk.url) if value]


def load_lint_facts(path: Path) -> LintFacts:
    """Read a position paper (or a bare negative list) from YAML; a bad file is a ConfigError with file:line."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ConfigError(str(path), None, "ファイルが見つかりません。") from None
    if size > MAX_FACTS_BYTES:
        raise ConfigError(
            str(path), None, f"ファイルが大きすぎます（{size:,} バイト、上限 {MAX_FACTS_BYTES:,}）。"
        )
    facts = load_yaml_model(path, LintFacts)
    if facts == LintFacts() and yaml.safe_load(path.read_text(encoding="utf-8")) is None:
        raise ConfigError(str(path), None, "ポジションペーパーが空です。内容を書いてください。")
    return facts


def facts_from(value: object) -> LintFacts | None:
    """Accept LintFacts, a position paper object (any pydantic model of the paper) or a dict of its fields."""
    if value is None or isinstance(value, LintFacts):
        return value
    data: Any
    if isinstance(value, BaseModel):
        data = value.model_dump(mode="json")
    elif isinstance(value, dict):
        data = value
    else:
        raise InputError(
            f"facts にはポジションペーパーを渡してください（{type(value).__name__} が渡されました）。"
        )
    try:
        return LintFacts.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InputError(f"ポジションペーパーの {field} が正しくありません: {first['msg']}") from None
