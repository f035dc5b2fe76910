"""`docs check`: which required clauses a company's own document covers, and which are missing and why.

The gap analysis a company needs before it rewrites anything. A clause counts as covered when a heading says it
(「第8条（制裁）」 covers 懲戒 as well as 「第10条（懲戒）」 does) or when one paragraph makes its point in the
catalogue's cue phrases (「…就業規則第62条に定める懲戒処分を行う」). A point that belongs inside another clause
(a removal criterion inside 「投稿の削除」) is looked for in that clause's section when the document has one, so
a word elsewhere (著作権 in the copyright article) does not count as the criterion.

>>> report = check_paragraphs(paragraphs_from_text("第1条（目的）この規程は…を目的とする。"), DocumentKind.EMPLOYEE_RULES)
>>> [clause.id for clause in report.covered]
['purpose']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from hikeshi.respond.documents.catalogue import Catalogue, Clause, load_catalogue
from hikeshi.respond.documents.profile import DocumentKind
from hikeshi.respond.documents.reading import (
    Paragraph,
    heading_title,
    normalise,
    paragraphs_from_text,
    read_document,
)

__all__ = ["CheckReport", "check_document", "check_paragraphs", "guess_kind", "paragraphs_from_text"]

EXCERPT_CHARS = 40


class CoveredClause(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    where: str  # the heading or the start of the paragraph that covers it


class MissingClause(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    reason: str


class CheckReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    title: str  # the kind's name, e.g. 従業員ソーシャルメディア利用規程
    file: str = ""
    kind_guessed: bool = False
    covered: list[CoveredClause]
    missing: list[MissingClause]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class _Section:
    heading: int  # index of the heading paragraph
    end: int  # index after the last paragraph of the section


def _sections(paragraphs: list[Paragraph]) -> list[_Section]:
    """Each heading's extent: up to the next heading of the same or a higher level."""
    sections = []
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.heading:
            continue
        end = len(paragraphs)
        for later in range(index + 1, len(paragraphs)):
            if paragraphs[later].heading and paragraphs[later].level <= paragraph.level:
                end = later
                break
        sections.append(_Section(index, end))
    return sections


def _flags() -> int:
    return re.IGNORECASE


def _heading_hit(clause: Clause, paragraphs: list[Paragraph], indexes: range | list[int]) -> int | None:
    for index in indexes:
        paragraph = paragraphs[index]
        if paragraph.heading:
            title = heading_title(paragraph.text)
            if any(re.search(pattern, title, _flags()) for pattern in clause.headings):
                return index
    return None


def _phrase_hit(clause: Clause, normalised: list[str], indexes: range | list[int]) -> int | None:
    for index in indexes:
        text = normalised[index]
        for group in clause.phrases:
            if all(re.search(pattern, text, _flags()) for pattern in group):
                return index
    return None


def _excerpt(paragraph: Paragraph) -> str:
    text = " ".join(paragraph.text.split())
    if paragraph.heading:
        return f"見出し「{text}」"
    return f"本文「{text[:EXCERPT_CHARS]}{'…' if len(text) > EXCERPT_CHARS else ''}」"


def _scope(clause: Clause, catalogue: Catalogue, paragraphs: list[Paragraph]) -> list[int]:
    """Where to look for `clause`: its parent's sections when it has a parent found by heading, else everywhere."""
    everything = list(range(len(paragraphs)))
    if clause.within is None:
        return everything
    parent = catalogue.clause(clause.within)
    inside: list[int] = []
    for section in _sections(paragraphs):
        title = heading_title(paragraphs[section.heading].text)
        if any(re.search(pattern, title, _flags()) for pattern in parent.headings):
            inside.extend(range(section.heading, section.end))
    return sorted(set(inside)) or everything


def check_paragraphs(
    paragraphs: list[Paragraph], kind: DocumentKind, *, file: str = "", kind_guessed: bool = False
) -> CheckReport:
    """The clauses of `kind` that `paragraphs` cover and those they miss, in catalogue order."""
    catalogue = load_catalogue(kind)
    normalised = [normalise(paragraph.text) for paragraph in paragraphs]
    covered: list[CoveredClause] = []
    missing: list[MissingClause] = []
    for clause in catalogue.clauses:
        scope = _scope(clause, catalogue, paragraphs)
        hit = _heading_hit(clause, paragraphs, scope)
        if hit is None:
            hit = _phrase_hit(clause, normalised, scope)
        if hit is None:
            missing.append(MissingClause(id=clause.id, title=clause.title, reason=clause.reason))
        else:
            covered.append(CoveredClause(id=clause.id, title=clause.title, where=_excerpt(paragraphs[hit])))
    return CheckReport(
        kind=kind,
        title=catalogue.title,
        file=file,
        kind_guessed=kind_guessed,
        covered=covered,
        missing=missing,
    )


def guess_kind(paragraphs: list[Paragraph]) -> DocumentKind:
    """The kind a document most likely is: its title first (the first headings), else the best coverage."""
    for paragraph in paragraphs[:5]:
        text = normalise(paragraph.text)
        for kind in DocumentKind:
            if any(re.search(pattern, text, _flags()) for pattern in load_catalogue(kind).title_cues):
                return kind

    def share(kind: DocumentKind) -> float:
        report = check_paragraphs(paragraphs, kind)
        return len(report.covered) / (len(report.covered) + len(report.missing))

    return max(DocumentKind, key=share)


def check_document(path: Path, kind: DocumentKind | None = None) -> CheckReport:
    """Read `path` (.md, .txt or .docx) and report its coverage of `kind` (guessed when None)."""
    paragraphs = read_document(path)
    chosen = kind if kind is not None else guess_kind(paragraphs)
    return check_paragraphs(paragraphs, chosen, file=str(path), kind_guessed=kind is None)
