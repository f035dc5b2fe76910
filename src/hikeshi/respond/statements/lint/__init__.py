"""The statement linter: wording dodges, sections, the negative list, and consistency between documents.

>>> lint_statement("昨日の投稿で不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。").level
<Level.CAUTION: 'caution'>
>>> lint_statement("当社の投稿で、ご不快な思いをおかけし、誠に申し訳ございません。").level
<Level.OK: 'ok'>
"""

from __future__ import annotations

from hikeshi.respond.statements.lint.facts import LintFacts, NegativeTerm, facts_from, load_lint_facts
from hikeshi.respond.statements.lint.linter import MAX_STATEMENT_CHARS, lint_statement, parse_kind
from hikeshi.respond.statements.lint.records import (
    SECTION_LABELS,
    Mention,
    Mismatch,
    MismatchKind,
    Section,
    SectionPresence,
    StatementKind,
    StatementLint,
)

__all__ = [
    "MAX_STATEMENT_CHARS",
    "SECTION_LABELS",
    "LintFacts",
    "Mention",
    "Mismatch",
    "MismatchKind",
    "NegativeTerm",
    "Section",
    "SectionPresence",
    "StatementKind",
    "StatementLint",
    "facts_from",
    "lint_statement",
    "load_lint_facts",
    "parse_kind",
]
