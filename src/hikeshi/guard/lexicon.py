"""The curated lexicon: rules as data (YAML under guard/data/lexicon/), validated on load.

A rule matches literal `terms` or regular-expression `patterns` on the normalised, kana-folded text
(katakana is folded to hiragana on both sides, so write either). `near` and `unless` are regular
expressions tested on the hit's sentence: a rule with `near` fires only when one of them also appears
(「無駄」 near 「時間」), and `unless` suppresses it (「地震」 unless 「お見舞い」). Context often sits in the
sentence before or after (「【拡散希望】。この客、食い逃げです」), so `near` may also be found within
`near_window` sentences on either side, on the same line (default 1; 0 keeps it to the sentence); `unless`
then looks at that same window, since borrowed context brings its own qualifiers. `escalate_unless_text` raises
the severity one level when the whole draft has none of them: an apology formula is worse with no concrete measure.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.errors import ConfigError
from hikeshi.text.normalize import fold_kana

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"


class Scope(StrEnum):
    """Where a rule applies at full severity.

    any: everywhere. external: toward customers or the public (one level lower in internal chat).
    official: statements of an official account or press (one level lower in private one-to-one messages).
    """

    ANY = "any"
    EXTERNAL = "external"
    OFFICIAL = "official"


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"正規表現 {pattern!r} が不正です: {error}") from None
    return pattern


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    terms: list[str] = []
    patterns: list[str] = []
    near: list[str] = []
    unless: list[str] = []
    near_window: int = Field(default=1, ge=0, le=2)
    escalate_unless_text: list[str] = []
    severity: int = Field(ge=1, le=3)
    scope: Scope = Scope.ANY
    reason: str = Field(min_length=1)
    suggestion: str | None = None
    replacement: str | None = None
    drop_sentence: bool = False
    # A whole message to offer when the rewrite would drop every sentence (a reply to a customer who declined):
    # one that keeps the message's purpose in words a person would send.
    fallback: str | None = None

    @field_validator("patterns", "near", "unless", "escalate_unless_text")
    @classmethod
    def _valid_regexes(cls, values: list[str]) -> list[str]:
        return [_check_regex(value) for value in values]

    @field_validator("terms")
    @classmethod
    def _non_empty_terms(cls, values: list[str]) -> list[str]:
        if any(not value.strip() for value in values):
            raise ValueError("空の語があります")
        return values

    @model_validator(mode="after")
    def _has_matcher(self) -> Rule:
        if not self.terms and not self.patterns:
            raise ValueError("terms か patterns のどちらかが必要です")
        return self


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(pattern=r"^[a-z_]+$")
    label: str
    rules: list[Rule]


class CompiledRule:
    """A rule with its regular expressions compiled against folded text."""

    __slots__ = (
        "category",
        "escalate_unless_text",
        "label",
        "near",
        "patterns",
        "qualified_id",
        "rule",
        "unless",
    )

    def __init__(self, category: str, label: str, rule: Rule) -> None:
        self.category = category
        self.label = label
        self.rule = rule
        self.qualified_id = f"{category}.{rule.id}"
        self.patterns = [re.compile(fold_kana(p)) for p in rule.patterns]
        self.near = _any_of(rule.near)
        self.unless = _any_of(rule.unless)
        self.escalate_unless_text = _any_of(rule.escalate_unless_text)


def _any_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex matching any of the (kana-folded) patterns, or None for an empty list."""
    return re.compile("|".join(f"(?:{fold_kana(p)})" for p in patterns)) if patterns else None


def load_lexicon_file(path: Path) -> LexiconFile:
    return load_yaml_model(path, LexiconFile)


def compile_rules(files: list[LexiconFile], source: str = "lexicon") -> list[CompiledRule]:
    compiled: list[CompiledRule] = []
    seen: set[str] = set()
    for lexicon in files:
        for rule in lexicon.rules:
            item = CompiledRule(lexicon.category, lexicon.label, rule)
            if item.qualified_id in seen:
                raise ConfigError(source, None, f"規則 ID {item.qualified_id} が重複しています。")
            seen.add(item.qualified_id)
            compiled.append(item)
    return compiled


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[CompiledRule, ...]:
    """All shipped lexicon files, compiled once per process."""
    files = [load_lexicon_file(path) for path in sorted(LEXICON_DIR.glob("*.yaml"))]
    return tuple(compile_rules(files, str(LEXICON_DIR)))


@lru_cache(maxsize=1)
def category_labels() -> dict[str, str]:
    labels = {rule.category: rule.label for rule in builtin_rules()}
    labels.update(EXTRA_CATEGORY_LABELS)
    return labels


EXTRA_CATEGORY_LABELS = {
    "personal_data": "個人情報",
    "calendar": "日付への配慮",
    "policy_ng": "社内ポリシーの NG 語",
    "confidential": "社外秘・機密情報",
    "toxicity": "攻撃的・不穏な文面",
}
