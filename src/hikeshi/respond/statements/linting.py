"""Every drafted or edited text goes through the statement linter; this is the one place that calls it.

The result is kept as JSON beside the text it judged (a statement's version), so the level that decides whether
approval needs an override is the level of exactly those words. A text the linter refuses to read (longer than
it accepts) is kept with a note and no level rather than lost.
"""

from __future__ import annotations

from hikeshi.errors import InputError
from hikeshi.respond.statements.lint import lint_statement
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import LINT_KINDS, DraftKind, LintSummary


def lint_text(text: str, kind: DraftKind, paper: PositionPaper | None = None) -> LintSummary:
    """The linter's verdict on `text` as a draft of `kind`, judged against `paper`'s facts when given."""
    try:
        result = lint_statement(text, kind=LINT_KINDS[kind], facts=paper)
    except InputError as error:
        return LintSummary(level=None, note=f"文面チェックができませんでした: {error}")
    return LintSummary(level=result.level.value, result=result.model_dump(mode="json"))
