"""`lint_statement`: wording findings, sections and the negative list for one statement, and its level.

The level comes from the wording findings only, scored like the guard (one distinct rule counts once; a single
要注意 finding is 注意, a single 危険 finding or two 要注意 findings are 危険, a lone 参考 finding is advice and
leaves the text 問題なし). Missing sections raise the level by one step for a full statement or press release
(to 危険 when four or more are missing), never for the other kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hikeshi.errors import InputError
from hikeshi.guard.policy import THRESHOLDS, Strictness
from hikeshi.guard.scoring import combined_score, level_for
from hikeshi.records import Finding, Level
from hikeshi.respond.statements.lint.facts import LintFacts, facts_from
from hikeshi.respond.statements.lint.guard_bridge import guard_findings
from hikeshi.respond.statements.lint.negative_list import CATEGORY as NEGATIVE
from hikeshi.respond.statements.lint.negative_list import find_negative, negative_reason
from hikeshi.respond.statements.lint.records import (
    SECTIONS_RAISE_LEVEL,
    StatementKind,
    StatementLint,
)
from hikeshi.respond.statements.lint.sections import find_sections, missing_sections
from hikeshi.respond.statements.lint.wording import has_apology, wording_hits
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.text.normalize import NormalizedText, normalize

MAX_STATEMENT_CHARS = 20_000
"""Longer texts are refused: a full お詫び is 1,000–5,000 characters and a drafted Q&A rarely over 10,000;
at 20,000 characters a statement is linted in well under a second (bench/statement_lint_eval.py --speed)."""

MANY_MISSING = 4
_STEP_UP = {Level.OK: Level.CAUTION, Level.CAUTION: Level.DANGER, Level.DANGER: Level.DANGER}


def parse_kind(kind: StatementKind | str | None) -> StatementKind | None:
    if kind is None or isinstance(kind, StatementKind):
        return kind
    try:
        return StatementKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in StatementKind)
        raise InputError(f"kind {kind!r} は使えません。{known} のどれかを指定してください。") from None


def lint_statement(
    text: str,
    kind: StatementKind | str | None = None,
    facts: LintFacts | PositionPaper | Mapping[str, Any] | None = None,
) -> StatementLint:
    """Lint one statement. `facts` is a position paper (its negative list is checked and its contacts are not
    personal data), LintFacts, or a dict with some of the paper's fields.

    >>> lint_statement("昨日の投稿で不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。").level
    <Level.CAUTION: 'caution'>
    """
    if not isinstance(text, str):
        raise InputError("text は文字列で指定してください。")
    if len(text) > MAX_STATEMENT_CHARS:
        raise InputError(
            f"文章が長すぎます（{len(text):,} 文字）。声明文は {MAX_STATEMENT_CHARS:,} 文字以内で渡してください"
            "（想定問答などは分けてください）。"
        )
    statement_kind = parse_kind(kind)
    paper = facts_from(facts)
    normalized = normalize(text)
    folded = normalized.folded
    apology = has_apology(folded)
    findings = _wording_findings(normalized, statement_kind)
    contacts = paper.contact_values if paper is not None else []
    findings += guard_findings(text, apology=apology, contacts=contacts) if folded.strip() else []
    if paper is not None:
        findings += _negative_findings(normalized, paper)
    findings = _deduplicated(findings)
    per_rule: dict[str, int] = {}
    for finding in findings:
        per_rule[finding.rule] = max(per_rule.get(finding.rule, 0), finding.severity)
    score = combined_score(per_rule.values())
    level = level_for(score, THRESHOLDS[Strictness.NORMAL])
    sections = find_sections(folded)
    missing = missing_sections(sections, statement_kind)
    if statement_kind in SECTIONS_RAISE_LEVEL and missing and folded.strip():
        level = _STEP_UP[level]
        if len(missing) >= MANY_MISSING:
            level = Level.DANGER
    return StatementLint(
        level=level,
        score=score,
        findings=sorted(findings, key=lambda f: (f.start, -f.severity, f.end)),
        sections=sections,
        missing=missing,
        kind=statement_kind,
    )


def _finding(
    normalized: NormalizedText,
    start: int,
    end: int,
    category: str,
    severity: int,
    reason: str,
    suggestion: str | None,
    rule: str,
) -> Finding:
    original_start, original_end = normalized.to_original(start, end)
    return Finding(
        start=original_start,
        end=original_end,
        category=category,
        severity=severity,
        reason=reason,
        suggestion=suggestion,
        rule=rule,
        excerpt=normalized.original[original_start:original_end],
    )


def _wording_findings(normalized: NormalizedText, kind: StatementKind | None) -> list[Finding]:
    return [
        _finding(normalized, h.start, h.end, h.category, h.severity, h.reason, h.suggestion, h.rule_id)
        for h in wording_hits(normalized.folded, kind)
    ]


def _negative_findings(normalized: NormalizedText, facts: LintFacts) -> list[Finding]:
    return [
        _finding(
            normalized,
            hit.start,
            hit.end,
            NEGATIVE,
            3,
            negative_reason(hit.term),
            "この語を消し、必要なら「お客様」「当該の従業員」のように一般的な言い方にしてください。",
            f"{NEGATIVE}.item",
        )
        for hit in find_negative(normalized.folded, facts.negative_terms)
    ]


def _deduplicated(findings: list[Finding]) -> list[Finding]:
    """One finding per dodge: of overlapping findings in one category, the most severe (then longest) stays.

    The guard and the statement rules can read the same words, and two rules of a category can cover one
    phrase (「不快な思いをされた方がいらっしゃったのであれば」 is both conditional and feeling-only).
    """
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (-f.severity, -(f.end - f.start), f.start)):
        if any(
            other.category == finding.category and other.start < finding.end and finding.start < other.end
            for other in kept
        ):
            continue
        kept.append(finding)
    return kept
