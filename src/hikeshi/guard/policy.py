"""Company policy packs: NG terms, confidential names, exceptions and strictness per channel, from YAML.

Example (`--policy policy.yaml`):

    name: 株式会社サンプル
    ng_terms: [激安, {term: 業界最安, reason: 根拠のない最上級表現は禁止です。}]
    confidential_terms: [プロジェクトK, {term: 大和商事, reason: 取引先名は社外秘です。}]
    exceptions: [二度と同じ過ちを]
    strictness: {default: normal, x: strict, line: strict}
    disasters: [{name: 令和8年台風10号, start: 2026-09-01, end: 2026-09-30, terms: [台風]}]
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.guard.calendar import Disaster
from hikeshi.guard.lexicon import CompiledRule, LexiconFile, Rule, Scope
from hikeshi.records import Channel


class Strictness(StrEnum):
    LENIENT = "lenient"
    NORMAL = "normal"
    STRICT = "strict"


# (caution, danger) score thresholds per strictness.
THRESHOLDS = {
    Strictness.LENIENT: (0.5, 0.85),
    Strictness.NORMAL: (0.4, 0.75),
    Strictness.STRICT: (0.25, 0.6),
}


class PolicyTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    term: str = Field(min_length=1, pattern=r"\S")
    reason: str | None = None
    severity: int = Field(default=3, ge=1, le=3)
    replacement: str | None = None


class PolicyPack(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ""
    ng_terms: list[str | PolicyTerm] = []
    confidential_terms: list[str | PolicyTerm] = []
    exceptions: list[str] = []
    strictness: dict[str, Strictness] = {}
    disasters: list[Disaster] = []
    lexicons: list[LexiconFile] = []

    @field_validator("ng_terms", "confidential_terms", "exceptions")
    @classmethod
    def _no_blank_terms(
        cls, values: list[str | PolicyTerm] | list[str]
    ) -> list[str | PolicyTerm] | list[str]:
        for value in values:
            term = value if isinstance(value, str) else value.term
            if not term.strip():
                raise ValueError("空の語があります")
        return values

    @field_validator("strictness")
    @classmethod
    def _known_channels(cls, value: dict[str, Strictness]) -> dict[str, Strictness]:
        allowed = {"default", *(channel.value for channel in Channel)}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(
                f"不明なチャネル {', '.join(unknown)}（使えるのは {', '.join(sorted(allowed))}）"
            )
        return value

    def strictness_for(self, channel: Channel | None) -> Strictness:
        if channel is not None and channel.value in self.strictness:
            return self.strictness[channel.value]
        return self.strictness.get("default", Strictness.NORMAL)

    def compiled_rules(self) -> list[CompiledRule]:
        """NG and confidential terms as lexicon rules, plus any inline lexicons."""
        rules: list[CompiledRule] = []
        for category, label, terms, default_reason in (
            (
                "policy_ng",
                "社内ポリシーの NG 語",
                self.ng_terms,
                "社内ポリシーで使用が禁止されている語です。",
            ),
            ("confidential", "社外秘・機密情報", self.confidential_terms, "社外秘に指定された名称です。"),
        ):
            for index, item in enumerate(terms):
                entry = PolicyTerm(term=item) if isinstance(item, str) else item
                rule = Rule(
                    id=f"policy_{index}",
                    terms=[entry.term],
                    severity=entry.severity,
                    scope=Scope.ANY,
                    reason=entry.reason or f"{default_reason}（{entry.term}）",
                    suggestion="この語を使わない表現に書き換えるか、担当部署に確認してください。",
                    replacement=entry.replacement,
                )
                rules.append(CompiledRule(category, label, rule))
        for lexicon in self.lexicons:
            rules.extend(CompiledRule(lexicon.category, lexicon.label, rule) for rule in lexicon.rules)
        return rules


def load_policy(path: Path) -> PolicyPack:
    """Read a policy pack; a bad file raises ConfigError naming the file and line."""
    return load_yaml_model(path, PolicyPack)
