"""The facts the linter needs from a position paper: the negative list, and the numbers, dates and names to compare.

Files are read by the position paper's own loader (`load_position_paper`: full validation, file:line errors in
Japanese); the linter then keeps only the parts it uses, through the paper's JSON form, so it depends on the
paper's field names and not on its validation. A library caller may also pass a dict with only some parts, for
example only a negative list: the paper's `negative` ({item, variants, topic, reason}) or a plain
`negative_list` (strings or {term, reason}).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hikeshi.errors import InputError
from hikeshi.respond.statements.papers import PositionPaper, load_position_paper


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


class _Accountability(_Loose):
    subject: str | None = None
    measure: str | None = None
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
    accountability: list[_Accountability] = []
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
    """Read a position paper with `load_position_paper` (file:line errors in Japanese) and keep what the linter uses."""
    facts = facts_from(load_position_paper(path))
    return facts if facts is not None else LintFacts()


def facts_from(value: LintFacts | PositionPaper | BaseModel | Mapping[str, Any] | None) -> LintFacts | None:
    """Accept LintFacts, a PositionPaper (or any pydantic model of the paper's shape) or a dict of its fields."""
    if value is None or isinstance(value, LintFacts):
        return value
    data: Any
    if isinstance(value, BaseModel):
        data = value.model_dump(mode="json")
    elif isinstance(value, Mapping):
        data = dict(value)
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
