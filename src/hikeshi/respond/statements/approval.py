"""Approval: draft → review → approved → published, with the rules a crisis team actually needs.

- Anyone on the team may submit a draft for review or revise it; a revision sends it back to draft, because
  an approval covers the words that were approved, not the ones written afterwards.
- Only an admin or the person holding the incident's 経営 (executive) role approves.
- A text the linter rates danger (e.g. 「ご不快な思いをされた方がいらっしゃれば」, a conditional apology) cannot
  be approved unless the approver records an override with a reason; the reason stays on the statement and the
  timeline.
- Publishing records the time and the channel and writes an `EventKind.STATEMENT` event with
  ``{statement_id, kind, channel}``: the statement-fit comparison in the incident report reads those events.
  A statement may be published on several channels (X and the website); each is its own event.
- A published text is never edited: a correction is a new statement.

The rule functions (`can_approve`, `approval_problem`) are pure, so a web form can show why a button is off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hikeshi.errors import ConflictError, InputError
from hikeshi.respond.incidents.records import EventKind, Incident, Role
from hikeshi.respond.statements.records import (
    PUBLISH_CHANNEL_LABELS,
    STATEMENT_STATUS_LABELS,
    LintSummary,
    Publication,
    PublishChannel,
    Statement,
    StatementStatus,
)
from hikeshi.respond.statements.store import StatementStore, clean_name, clean_text
from hikeshi.timezones import utc_now

MAX_REASON = 2000


class ApprovalError(ConflictError):
    """The step is not allowed for this person or in this state (the API answers 409)."""


@dataclass(frozen=True)
class Approver:
    """Who is acting: their name, and whether their account is an admin (the web knows; the CLI looks it up)."""

    name: str
    is_admin: bool = False


def can_approve(incident: Incident, approver: Approver) -> bool:
    """An admin, or the person the incident names as 経営 (executive)."""
    return approver.is_admin or incident.roles.get(Role.EXECUTIVE.value) == approver.name


def approval_problem(
    statement: Statement, incident: Incident, approver: Approver, override_reason: str | None
) -> str | None:
    """Why `approver` may not approve `statement` now (Japanese), or None when they may."""
    if statement.status != StatementStatus.REVIEW:
        return (
            f"声明 #{statement.id} は「{STATEMENT_STATUS_LABELS[statement.status]}」です。"
            "承認できるのは確認待ち（submit 済み）の声明だけです。"
        )
    if not can_approve(incident, approver):
        holder = incident.roles.get(Role.EXECUTIVE.value)
        who = f"経営の担当（{holder} さん）" if holder else "経営の担当（未割り当て）"
        return f"{approver.name} さんは承認できません。承認できるのは管理者か、このインシデントの{who}です。"
    if statement.lint.danger and not (override_reason and override_reason.strip()):
        return (
            "文面チェックの判定が「危険」です。直してから確認に回すか、承認するなら理由を添えて"
            "上書き承認してください（--override-reason）。"
        )
    return None


def submit(
    statements: StatementStore, statement_id: int, actor: str, *, at: dt.datetime | None = None
) -> Statement:
    """draft → review."""
    actor = clean_name(actor)
    statement = statements.get(statement_id)
    _expect(statement, StatementStatus.DRAFT, "確認に回せる")
    return statements.transition(
        statement_id,
        frozenset({StatementStatus.DRAFT}),
        {"status": StatementStatus.REVIEW.value},
        event_kind=EventKind.NOTE,
        summary=f"声明 #{statement_id}「{statement.title}」を確認に回しました（第 {statement.version} 版）",
        actor=actor,
        event_data=_data(statement, "statement_submit"),
        at=at or utc_now(),
    )


def send_back(
    statements: StatementStore, statement_id: int, actor: str, reason: str, *, at: dt.datetime | None = None
) -> Statement:
    """review → draft, with the reviewer's reason on the timeline."""
    actor = clean_name(actor)
    reason = _reason(reason, "差し戻しの理由")
    statement = statements.get(statement_id)
    _expect(statement, StatementStatus.REVIEW, "差し戻せる")
    return statements.transition(
        statement_id,
        frozenset({StatementStatus.REVIEW}),
        {"status": StatementStatus.DRAFT.value},
        event_kind=EventKind.NOTE,
        summary=f"声明 #{statement_id}「{statement.title}」を差し戻しました: {reason}",
        actor=actor,
        event_data={**_data(statement, "statement_send_back"), "reason": reason},
        at=at or utc_now(),
    )


def approve(
    statements: StatementStore,
    statement_id: int,
    approver: Approver,
    *,
    override_reason: str | None = None,
    at: dt.datetime | None = None,
) -> Statement:
    """review → approved, by an admin or the incident's executive; danger needs a recorded override."""
    approver = Approver(clean_name(approver.name, "承認者"), approver.is_admin)
    statement = statements.get(statement_id)
    incident = statements.incidents.get(statement.incident_id)
    problem = approval_problem(statement, incident, approver, override_reason)
    if problem is not None:
        raise ApprovalError(problem)
    override = _reason(override_reason, "上書きの理由") if statement.lint.danger else None
    when = at or utc_now()
    summary = f"声明 #{statement_id}「{statement.title}」を承認しました（第 {statement.version} 版）"
    if override:
        summary += f"。文面チェックは「危険」でしたが上書き承認: {override}"
    return statements.transition(
        statement_id,
        frozenset({StatementStatus.REVIEW}),
        {
            "status": StatementStatus.APPROVED.value,
            "approver": approver.name,
            "approved_at": when,
            "override_reason": override,
        },
        event_kind=EventKind.NOTE,
        summary=summary,
        actor=approver.name,
        event_data={
            **_data(statement, "statement_approve"),
            "override_reason": override,
            "lint_level": statement.lint.level,
        },
        at=when,
    )


def publish(
    statements: StatementStore,
    statement_id: int,
    channel: PublishChannel,
    actor: str,
    *,
    at: dt.datetime | None = None,
) -> Statement:
    """approved → published on `channel` (again for another channel); writes the STATEMENT event."""
    actor = clean_name(actor)
    statement = statements.get(statement_id)
    if statement.status not in (StatementStatus.APPROVED, StatementStatus.PUBLISHED):
        raise ApprovalError(
            f"声明 #{statement_id} は「{statement.status_label}」です。公表できるのは承認済みの声明だけです。"
        )
    if any(publication.channel == channel for publication in statement.publications):
        raise ApprovalError(f"声明 #{statement_id} は {PUBLISH_CHANNEL_LABELS[channel]} で公表済みです。")
    when = at or utc_now()
    publications = [*statement.publications, Publication(channel=channel, at=when, by=actor)]
    values: dict[str, object] = {
        "status": StatementStatus.PUBLISHED.value,
        "publications": [publication.model_dump(mode="json") for publication in publications],
    }
    if statement.published_at is None:
        values.update(published_at=when, channel=channel.value)
    return statements.transition(
        statement_id,
        frozenset({StatementStatus.APPROVED, StatementStatus.PUBLISHED}),
        values,
        event_kind=EventKind.STATEMENT,
        summary=(
            f"{statement.kind_label}「{statement.title}」を{PUBLISH_CHANNEL_LABELS[channel]}で公表しました"
            f"（声明 #{statement_id}）"
        ),
        actor=actor,
        event_data={"statement_id": statement_id, "kind": statement.kind.value, "channel": channel.value},
        at=when,
    )


def revise(
    statements: StatementStore,
    statement_id: int,
    text: str,
    lint: LintSummary,
    author: str,
    *,
    title: str | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> Statement:
    """A new version of the text; any state before publication goes back to draft (approval is cleared)."""
    author = clean_name(author)
    statement = statements.get(statement_id)
    if statement.status == StatementStatus.PUBLISHED:
        raise ApprovalError(
            f"声明 #{statement_id} は公表済みのため編集できません。訂正は新しい声明として作成してください。"
        )
    body, heading = clean_text(text, title or statement.title)
    if body == statement.text and heading == statement.title:
        raise InputError("本文も題名も変わっていません。")
    summary = f"声明 #{statement_id}「{heading}」を修正しました（第 {statement.version + 1} 版）"
    if statement.status != StatementStatus.DRAFT:
        summary += f"。{statement.status_label}から下書きに戻りました"
    return statements.transition(
        statement_id,
        frozenset({StatementStatus.DRAFT, StatementStatus.REVIEW, StatementStatus.APPROVED}),
        {
            "status": StatementStatus.DRAFT.value,
            "title": heading,
            "text": body,
            "lint": lint.model_dump(mode="json"),
            "lint_level": lint.level,
            "approver": None,
            "approved_at": None,
            "override_reason": None,
        },
        event_kind=EventKind.NOTE,
        summary=summary,
        actor=author,
        event_data={**_data(statement, "statement_revise"), "version": statement.version + 1},
        at=at or utc_now(),
        new_version=(heading, body, lint, note),
    )


def _expect(statement: Statement, status: StatementStatus, what: str) -> None:
    if statement.status != status:
        raise ApprovalError(
            f"声明 #{statement.id} は「{statement.status_label}」です。{what}のは"
            f"「{STATEMENT_STATUS_LABELS[status]}」の声明だけです。"
        )


def _reason(value: str | None, field: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise InputError(f"{field}を書いてください。")
    if len(text) > MAX_REASON:
        raise InputError(f"{field}は {MAX_REASON} 文字以内にしてください。")
    return text


def _data(statement: Statement, action: str) -> dict[str, object]:
    return {
        "action": action,
        "statement_id": statement.id,
        "kind": statement.kind.value,
        "version": statement.version,
    }
