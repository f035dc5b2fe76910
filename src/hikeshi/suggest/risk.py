"""The risk-term dictionary for search suggestions and the matcher that finds risk terms in a suggestion.

When 「社名 ブラック」 or 「社名 詐欺」 shows up as a search suggestion, every person who types the company name
sees it: it is both a symptom of a flame and a cause of further damage. The dictionary is data
(``data/risk_terms.tsv``), so a client can add terms without code; a bad line is reported with its line number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.errors import ConfigError
from hikeshi.text import normalize

WATCH_TERM_SEVERITY = 2
"""Severity given to a watch's own ``risk_terms``, which the dictionary does not know."""


class RiskTerm(BaseModel):
    model_config = ConfigDict(frozen=True)

    term: str = Field(min_length=1)
    severity: int = Field(ge=1, le=4)
    category: str
    exceptions: tuple[str, ...] = ()


class RiskHit(BaseModel):
    """A suggestion that carries a risk term, e.g. 「ミナト住建 ブラック」 → ブラック (severity 3)."""

    model_config = ConfigDict(frozen=True)

    suggestion: str
    term: str
    severity: int = Field(ge=1, le=4)
    category: str
    rank: int = Field(ge=1, description="1-based position in the engine's list; top positions are seen most")


def match_key(text: str) -> str:
    """Spaces, width and kana type removed: 「ﾐﾅﾄ住建　ヤバい」 and 「ミナト住建やばい」 give the same key."""
    return "".join(normalize(text).folded.split())


class RiskDictionary:
    """Risk terms matched on `match_key`s, after the watched names themselves are taken out."""

    def __init__(self, terms: Iterable[RiskTerm]) -> None:
        self.terms = list(terms)
        self._keys = [
            (match_key(term.term), tuple(match_key(exception) for exception in term.exceptions), term)
            for term in self.terms
        ]

    def with_terms(self, extra: Sequence[str], severity: int = WATCH_TERM_SEVERITY) -> RiskDictionary:
        """This dictionary plus a watch's own risk terms (「不買」, a product name involved in a recall, ...)."""
        known = {match_key(term.term) for term in self.terms}
        added = [
            RiskTerm(term=word, severity=severity, category="ウォッチ固有")
            for word in extra
            if word.strip() and match_key(word) not in known
        ]
        return RiskDictionary([*self.terms, *added])

    def find(self, suggestion: str, names: Sequence[str], rank: int = 1) -> RiskHit | None:
        """The most severe risk term in ``suggestion`` (longest on ties), or None.

        The watched names are removed first, so that a brand named 「ブラックサンダー」 is not "ブラック".
        """
        remainder = match_key(suggestion)
        for name_key in sorted((match_key(name) for name in names), key=len, reverse=True):
            if name_key:
                remainder = remainder.replace(name_key, " ")
        best: RiskTerm | None = None
        for term_key, exception_keys, term in self._keys:
            text = remainder
            for exception_key in exception_keys:
                text = text.replace(exception_key, " ")
            if not term_key or term_key not in text:
                continue
            if best is None or (term.severity, len(term.term)) > (best.severity, len(best.term)):
                best = term
        if best is None:
            return None
        return RiskHit(
            suggestion=suggestion, term=best.term, severity=best.severity, category=best.category, rank=rank
        )

    def scan(self, suggestions: Sequence[str], names: Sequence[str]) -> list[RiskHit]:
        hits = (self.find(suggestion, names, rank) for rank, suggestion in enumerate(suggestions, start=1))
        return [hit for hit in hits if hit is not None]


def parse_risk_terms(text: str, source: str) -> list[RiskTerm]:
    """Parse the TSV format described at the top of ``data/risk_terms.tsv``; errors name file and line."""
    terms: list[RiskTerm] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("term\t"):
            continue
        columns = line.split("\t")
        if len(columns) < 3:
            raise ConfigError(
                source, number, "列が足りません（語・重大度・分類をタブ区切りで書いてください）。"
            )
        term, severity_text, category = (column.strip() for column in columns[:3])
        exceptions = tuple(
            word.strip() for word in (columns[3] if len(columns) > 3 else "").split(",") if word.strip()
        )
        if not term:
            raise ConfigError(source, number, "語が空です。")
        if severity_text not in {"1", "2", "3", "4"}:
            raise ConfigError(source, number, f"重大度は 1〜4 の数字です（{severity_text!r}）。")
        key = match_key(term)
        if key in seen:
            raise ConfigError(source, number, f"語「{term}」は {seen[key]} 行目と重複しています。")
        seen[key] = number
        terms.append(
            RiskTerm(term=term, severity=int(severity_text), category=category, exceptions=exceptions)
        )
    return terms


@lru_cache(maxsize=1)
def default_risk_dictionary() -> RiskDictionary:
    data = resources.files("hikeshi.suggest").joinpath("data/risk_terms.tsv")
    return RiskDictionary(
        parse_risk_terms(data.read_text(encoding="utf-8"), "hikeshi/suggest/data/risk_terms.tsv")
    )


def load_risk_dictionary(path: Path) -> RiskDictionary:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), None, f"読めません（{type(error).__name__}）。") from None
    return RiskDictionary(parse_risk_terms(text, str(path)))
