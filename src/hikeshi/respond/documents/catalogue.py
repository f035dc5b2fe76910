"""The clause catalogue: what each of the five documents must contain, as data (`data/<kind>.yaml`).

One entry per clause serves both directions. `docs build` renders its ``body`` (a Jinja2 template over the
company profile and the playbook) under its ``title``; `docs check` looks for the same clause in a company's
own document by its ``headings`` (regular expressions over a heading with its numbering stripped:
「第10条（制裁）」 → 「制裁」) or its ``phrases`` (groups of expressions that must all occur in one paragraph),
so a heading written differently is still recognised. A clause without a body (``body: null``) is a point the
parent clause's text must make, e.g. the removal criterion 「差別」 inside 「投稿の削除」; ``within`` names that
parent, and its phrases are looked for inside the parent's section when the document has one.

Cues are matched against NFKC-normalised text with white space removed, so 「（１）」 is ``(1)``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.respond.documents.profile import DocumentKind

DATA = Path(__file__).with_name("data")


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"正規表現 {pattern!r} が正しくありません: {error}") from None
    return pattern


class Style(StrEnum):
    ARTICLES = "articles"  # 第1条（目的）, as rules and terms are written
    CHAPTERS = "chapters"  # 1. 目的, as handbooks and manuals are written


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]{1,60}$")
    title: str = Field(min_length=1, max_length=60)
    headings: list[str] = Field(default_factory=list)
    phrases: list[list[str]] = Field(default_factory=list)
    within: str | None = None
    reason: str = Field(
        min_length=1, max_length=300, description="why the clause is needed, shown when missing"
    )
    body: str | None = None
    heading: str | None = Field(
        default=None, description="a heading other than 第N条（title）, e.g. 様式第1号"
    )

    @field_validator("headings")
    @classmethod
    def _check_headings(cls, value: list[str]) -> list[str]:
        return [_compiles(pattern) for pattern in value]

    @field_validator("phrases")
    @classmethod
    def _check_phrases(cls, value: list[list[str]]) -> list[list[str]]:
        return [[_compiles(pattern) for pattern in group] for group in value]

    @model_validator(mode="after")
    def _findable(self) -> Clause:
        if not self.headings and not self.phrases:
            raise ValueError(
                f"条項 {self.id} に headings も phrases もありません（docs check が見つけられません）"
            )
        return self

    @property
    def rendered(self) -> bool:
        """Whether the clause is a section of its own in a built document."""
        return self.body is not None


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DocumentKind
    title: str = Field(min_length=1, max_length=60)
    short_title: str = Field(min_length=1, max_length=30)
    audience: str = Field(min_length=1, max_length=60)
    style: Style
    title_cues: list[str] = Field(
        min_length=1, description="how a company's own document of this kind is titled"
    )
    preamble: str = ""
    closing: str = ""
    clauses: list[Clause] = Field(min_length=1)

    @field_validator("title_cues")
    @classmethod
    def _check_title_cues(cls, value: list[str]) -> list[str]:
        return [_compiles(pattern) for pattern in value]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        ids = [clause.id for clause in self.clauses]
        repeated = {clause_id for clause_id in ids if ids.count(clause_id) > 1}
        if repeated:
            raise ValueError(f"条項 id が重複しています: {', '.join(sorted(repeated))}")
        for clause in self.clauses:
            if clause.within is not None and clause.within not in ids:
                raise ValueError(f"条項 {clause.id} の within {clause.within!r} がこの文書にありません")
        return self

    def clause(self, clause_id: str) -> Clause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)

    def sections(self) -> list[Clause]:
        """The clauses that are sections of a built document, in order."""
        return [clause for clause in self.clauses if clause.rendered]


@cache
def load_catalogue(kind: DocumentKind) -> Catalogue:
    """The bundled catalogue of one kind; a bad entry is a ConfigError with the file and line."""
    catalogue = load_yaml_model(DATA / f"{kind.value}.yaml", Catalogue)
    if catalogue.kind != kind:
        raise ValueError(f"{kind.value}.yaml declares kind {catalogue.kind.value}")
    return catalogue


def all_catalogues() -> list[Catalogue]:
    return [load_catalogue(kind) for kind in DocumentKind]
