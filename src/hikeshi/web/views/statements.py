"""The statement pages and /api/statements as calls of `hikeshi.respond.statements`, and the editor's view model.

The web never decides what a statement says or who may approve it; it asks the library. What lives here is the
composition the CLI also does (`hikeshi statement draft --incident`, `statement revise`): draft a kind from the
incident's latest position paper with the call centre's inquiries, or lint a revision against that paper, then
store it. Both the pages and the API call these functions, so a route is one call and one answer.

Who publishes: an admin, or the person the incident names as 広報 (PR). The approval (admin or 経営) is the check
on the words; publishing is the PR desk's act of posting them, so the person who holds the X account at midnight
must be able to record it without waking an admin.

The lint view turns the linter's findings into plain-text segments (`hikeshi.report.highlight`), so a template
marks them with ``<mark>`` under autoescaping and no code ever builds markup from a statement's text.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.guard.lexicon import category_labels as guard_labels
from hikeshi.records import Finding
from hikeshi.report.highlight import Segment, highlight_segments
from hikeshi.respond.incidents.records import Incident
from hikeshi.respond.incidents.records import Role as IncidentRole
from hikeshi.respond.statements import approval
from hikeshi.respond.statements.drafts import REDACTED, draft
from hikeshi.respond.statements.lint import SECTION_LABELS, Section, StatementLint, lint_statement
from hikeshi.respond.statements.lint.facts import LintFacts
from hikeshi.respond.statements.lint.negative_list import CATEGORY as NEGATIVE
from hikeshi.respond.statements.lint.negative_list import LABEL as NEGATIVE_LABEL
from hikeshi.respond.statements.lint.records import StatementKind
from hikeshi.respond.statements.lint.wording import category_labels as wording_labels
from hikeshi.respond.statements.linting import lint_text
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import (
    LINT_KINDS,
    DraftKind,
    LintSummary,
    Statement,
    StatementStatus,
    StatementVersion,
)
from hikeshi.respond.statements.store import StatementStore, clean_text
from hikeshi.respond.statements.xcount import X_LIMIT, x_length
from hikeshi.settings import Settings
from hikeshi.store.accounts import Role
from hikeshi.web.auth import CurrentUser

LEVEL_LABELS = {"ok": "問題なし", "caution": "注意", "danger": "危険"}
LEVEL_CLASSES = {"ok": "level-0", "caution": "level-2", "danger": "level-4"}
SEVERITY_LABELS = {1: "参考", 2: "要注意", 3: "危険"}
SECTION_KEYS = frozenset(section.value for section in Section)


# --- library calls shared by the pages and the API ----------------------------------------------------------


def latest_paper(statements: StatementStore, incident_id: int) -> tuple[PositionPaper, int] | None:
    """The incident's latest position paper and its version, or None before the first is saved."""
    versions = statements.papers(incident_id)
    if not versions:
        return None
    return PositionPaper.model_validate(versions[-1].body), versions[-1].version


def draft_statement(
    statements: StatementStore,
    settings: Settings,
    incident_id: int,
    kind: DraftKind,
    author: str,
    *,
    paper_version: int | None = None,
) -> Statement:
    """Draft `kind` from the paper (latest unless `paper_version`), with the logged inquiries, and store it.

    NotFoundError (404) names what to do when the incident has no paper yet.
    """
    saved = statements.paper(incident_id, paper_version)
    paper = PositionPaper.model_validate(saved.body)
    result = draft(paper, kind, inquiries=statements.inquiries(incident_id), settings=settings)
    return statements.create(
        incident_id, kind, result.title, result.text, result.lint, author, paper_version=saved.version
    )


def revise_statement(
    statements: StatementStore,
    statement_id: int,
    text: str,
    author: str,
    *,
    title: str | None = None,
    note: str | None = None,
) -> Statement:
    """A new version of the text, linted against the incident's latest paper (as `hikeshi statement revise`)."""
    current = statements.get(statement_id)
    found = latest_paper(statements, current.incident_id)
    lint = lint_text(text, current.kind, found[0] if found else None)
    return approval.revise(statements, statement_id, text, lint, author, title=title, note=note)


def unchanged(statement: Statement, text: str, title: str | None) -> bool:
    """Whether a PUT would store the same words again (then the API answers with the statement as it is)."""
    body, heading = clean_text(text, title or statement.title)
    return body == statement.text and heading == statement.title


def lint_facts(
    statements: StatementStore, facts: int | LintFacts | None, version: int | None = None
) -> LintFacts | PositionPaper | None:
    """`facts` of a lint request: an incident whose saved paper to use (latest, or `version`), or inline facts."""
    if facts is None or isinstance(facts, LintFacts):
        return facts
    return PositionPaper.model_validate(statements.paper(facts, version).body)


def lint(text: str, kind: StatementKind | None, facts: LintFacts | PositionPaper | None) -> StatementLint:
    """The linter on one text (InputError for a text it refuses, e.g. longer than it reads)."""
    return lint_statement(text, kind=kind, facts=facts)


def lint_payload(record_id: Any, result: StatementLint) -> dict[str, Any]:
    """The JSON line `hikeshi statement lint --jsonl` writes for one record."""
    body = result.model_dump(mode="json", include={"level", "findings", "sections", "missing"})
    return {"id": record_id, **body}


def is_admin(user: CurrentUser) -> bool:
    return user.role.allows(Role.ADMIN)


def approver_of(user: CurrentUser) -> approval.Approver:
    return approval.Approver(user.name, is_admin=is_admin(user))


def may_approve(incident: Incident, user: CurrentUser) -> bool:
    return approval.can_approve(incident, approver_of(user))


def may_publish(incident: Incident, user: CurrentUser) -> bool:
    """An admin, or an analyst the incident names as 広報 (see the module docstring)."""
    holds_pr = incident.roles.get(IncidentRole.PR.value) == user.name
    return is_admin(user) or (holds_pr and user.role.allows(Role.ANALYST))


def approve_refusal(incident: Incident, user: CurrentUser) -> str:
    holder = incident.roles.get(IncidentRole.EXECUTIVE.value)
    who = f"経営の担当（{holder} さん）" if holder else "経営の担当（未割り当て）"
    return f"{user.name} さんは承認できません。承認できるのは管理者か、このインシデントの{who}です。"


def publish_refusal(incident: Incident, user: CurrentUser) -> str:
    holder = incident.roles.get(IncidentRole.PR.value)
    who = f"広報の担当（{holder} さん）" if holder else "広報の担当（未割り当て）"
    return f"{user.name} さんは公表を記録できません。公表できるのは管理者か、このインシデントの{who}です。"


# --- the lint as the page shows it ----------------------------------------------------------------------------


class FindingView(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    severity: int
    severity_label: str
    category: str
    category_label: str
    excerpt: str
    reason: str
    suggestion: str | None = None


class SectionView(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    present: bool
    required: bool


class LintView(BaseModel):
    """One text's lint for a template: the level, the text cut into marked segments, reasons and sections."""

    model_config = ConfigDict(frozen=True)

    level: str | None
    level_label: str
    level_class: str
    note: str | None = None
    segments: list[Segment] = Field(default_factory=list)
    findings: list[FindingView] = Field(default_factory=list)
    negative: list[FindingView] = Field(default_factory=list)
    sections: list[SectionView] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


def category_labels() -> dict[str, str]:
    """Every category the statement linter reports, in Japanese (guard, wording and the negative list)."""
    labels = dict(guard_labels())
    labels.update(wording_labels())
    labels[NEGATIVE] = NEGATIVE_LABEL
    return labels


def labels_for_script() -> dict[str, Any]:
    """What statement_lint.js needs to word the API's answer as the server does."""
    return {
        "categories": category_labels(),
        "sections": [[section.value, label] for section, label in SECTION_LABELS.items()],
        "severities": {str(key): label for key, label in SEVERITY_LABELS.items()},
        "levels": LEVEL_LABELS,
        "level_classes": LEVEL_CLASSES,
        "negative": NEGATIVE,
    }


def lint_view(text: str, result: dict[str, Any], note: str | None = None) -> LintView:
    """The view of a lint result as JSON (a stored `LintSummary.result` or a fresh `StatementLint`)."""
    level = result.get("level")
    if level not in LEVEL_LABELS:
        return LintView(level=None, level_label="未判定", level_class="", note=note)
    findings = [Finding.model_validate(item) for item in result.get("findings") or []]
    labels = category_labels()
    views = [
        FindingView(
            number=number,
            severity=finding.severity,
            severity_label=SEVERITY_LABELS.get(finding.severity, str(finding.severity)),
            category=finding.category,
            category_label=labels.get(finding.category, finding.category),
            excerpt=finding.excerpt,
            reason=finding.reason,
            suggestion=finding.suggestion,
        )
        for number, finding in enumerate(findings, start=1)
    ]
    present = result.get("sections") or {}
    missing = [str(item) for item in result.get("missing") or []]
    return LintView(
        level=level,
        level_label=LEVEL_LABELS[level],
        level_class=LEVEL_CLASSES[level],
        note=note,
        segments=highlight_segments(text, findings),
        findings=views,
        negative=[view for view in views if view.category == NEGATIVE],
        sections=[
            SectionView(
                key=section.value,
                label=label,
                present=bool(present.get(section.value)),
                required=section.value in missing,
            )
            for section, label in SECTION_LABELS.items()
        ],
        missing=[SECTION_LABELS[Section(item)] for item in missing if item in SECTION_KEYS],
    )


def summary_view(text: str, summary: LintSummary) -> LintView:
    return lint_view(text, summary.result, summary.note)


def fresh_lint_view(statements: StatementStore, statement: Statement, text: str) -> LintView:
    """The lint of an unsaved text (the no-JavaScript 「チェックだけする」 button), against the latest paper."""
    found = latest_paper(statements, statement.incident_id)
    summary = lint_text(text, statement.kind, found[0] if found else None)
    return summary_view(text, summary)


# --- the editor page ------------------------------------------------------------------------------------------


class EditorView(BaseModel):
    model_config = ConfigDict(frozen=True)

    statement: Statement
    incident: Incident
    versions: list[StatementVersion]
    lint: LintView
    text: str
    lint_kind: str
    can_edit: bool
    can_submit: bool
    can_approve: bool
    can_publish: bool
    approval_problem: str | None
    x_length: int | None
    x_limit: int
    redacted: bool


def editor_view(
    statements: StatementStore,
    statement_id: int,
    user: CurrentUser,
    *,
    text: str | None = None,
    lint: LintView | None = None,
) -> EditorView:
    """The editor of one statement; `text` and `lint` replace the stored ones when a check was asked for."""
    statement = statements.get(statement_id)
    incident = statements.incidents.get(statement.incident_id)
    shown = statement.text if text is None else text
    approver = approver_of(user)
    problem = approval.approval_problem(statement, incident, approver, None)
    editable = statement.status != StatementStatus.PUBLISHED and user.role.allows(Role.ANALYST)
    return EditorView(
        statement=statement,
        incident=incident,
        versions=list(reversed(statements.versions(statement_id))),
        lint=lint or summary_view(statement.text, statement.lint),
        text=shown,
        lint_kind=LINT_KINDS[statement.kind],
        can_edit=editable,
        can_submit=editable and statement.status == StatementStatus.DRAFT,
        can_approve=statement.status == StatementStatus.REVIEW and approval.can_approve(incident, approver),
        can_publish=statement.status in (StatementStatus.APPROVED, StatementStatus.PUBLISHED)
        and may_publish(incident, user),
        approval_problem=problem,
        x_length=x_length(shown) if statement.kind == DraftKind.SNS_X else None,
        x_limit=X_LIMIT,
        redacted=REDACTED in shown,
    )
