"""Wording rules for statements: the guard's lexicon format, plus `unless_text` for whole-statement context.

A statement's rules differ from a message's in one way: whether a phrase is a dodge often depends on the rest of
the text. 「不快な思いをされた方々にお詫びします」 is the ご不快構文 in a text that never says what was wrong, and
harmless in one that says 「私の発言は差別的なものでした」. So a rule may name `unless_text` patterns: when any
of them appears anywhere in the statement the rule stays silent. Everything else (terms, patterns, near,
near_window, unless, escalate_unless_text, severity) means what it means in `hikeshi.guard.lexicon`, and the
guard's matcher finds the hits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.errors import ConfigError
from hikeshi.guard.lexicon import CompiledRule, Rule
from hikeshi.guard.matcher import Matcher
from hikeshi.text.normalize import fold_kana

DATA_DIR = Path(__file__).parent / "data"
WORDING_DIR = DATA_DIR / "wording"


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"正規表現 {pattern!r} が不正です: {error}") from None
    return pattern


class StatementRule(Rule):
    """A guard lexicon rule with whole-text exceptions."""

    unless_text: list[str] = Field(default_factory=list)

    @field_validator("unless_text")
    @classmethod
    def _valid_text_regexes(cls, values: list[str]) -> list[str]:
        return [_check_regex(value) for value in values]


class WordingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(pattern=r"^[a-z_]+$")
    label: str = Field(min_length=1)
    rules: list[StatementRule]


def any_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex matching any of the patterns on kana-folded text, or None for an empty list."""
    return re.compile("|".join(f"(?:{fold_kana(p)})" for p in patterns)) if patterns else None


@dataclass(frozen=True, slots=True)
class WordingHit:
    start: int  # normalised coordinates
    end: int
    category: str
    rule_id: str
    severity: int
    reason: str
    suggestion: str | None


class WordingRules:
    """The compiled statement rules: one guard matcher plus each rule's whole-text exceptions."""

    def __init__(self, files: list[WordingFile], source: str) -> None:
        compiled: list[CompiledRule] = []
        self.labels: dict[str, str] = {}
        self._unless_text: dict[str, re.Pattern[str] | None] = {}
        for wording in files:
            self.labels[wording.category] = wording.label
            for rule in wording.rules:
                item = CompiledRule(wording.category, wording.label, rule)
                if item.qualified_id in self._unless_text:
                    raise ConfigError(source, None, f"規則 ID {item.qualified_id} が重複しています。")
                self._unless_text[item.qualified_id] = any_of(rule.unless_text)
                compiled.append(item)
        self._matcher = Matcher(compiled)

    def find(self, folded: str) -> list[WordingHit]:
        hits = []
        for hit in self._matcher.find(folded):
            unless_text = self._unless_text[hit.rule.qualified_id]
            if unless_text is not None and unless_text.search(folded):
                continue
            severity = hit.rule.rule.severity
            escalate = hit.rule.escalate_unless_text
            if escalate is not None and not escalate.search(folded):
                severity = min(severity + 1, 3)
            rule = hit.rule.rule
            hits.append(
                WordingHit(
                    hit.start,
                    hit.end,
                    hit.rule.category,
                    hit.rule.qualified_id,
                    severity,
                    rule.reason,
                    rule.suggestion,
                )
            )
        return hits


def load_wording_file(path: Path) -> WordingFile:
    return load_yaml_model(path, WordingFile)


@lru_cache(maxsize=1)
def wording_rules() -> WordingRules:
    """The shipped statement rules (data/wording/*.yaml), compiled once per process."""
    files = [load_wording_file(path) for path in sorted(WORDING_DIR.glob("*.yaml"))]
    return WordingRules(files, str(WORDING_DIR))
