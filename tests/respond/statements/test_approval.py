"""Approval on a real database: draft → review → approved → published, the executive rule, the danger override."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import ConflictError, InputError, NotFoundError
from hikeshi.respond.incidents.records import EventKind, Role
from hikeshi.respond.statements import approval
from hikeshi.respond.statements.approval import ApprovalError, Approver
from hikeshi.respond.statements.drafts import draft
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import DraftKind, LintSummary, PublishChannel, StatementStatus
from hikeshi.respond.statements.store import StatementStore
from hikeshi.timezones import JST

PUBLISHED_AT = dt.datetime(2026, 3, 13, 0, 5, tzinfo=JST)
OK = LintSummary(level="ok")
DANGER = LintSummary(
    level="danger",
    result={"level": "danger", "findings": [{"excerpt": "ご不快な思いをされた方がいらっしゃれば"}]},
)
CONDITIONAL = "このたびはご不快な思いをされた方がいらっしゃれば、お詫び申し上げます。"


def _create(statements: StatementStore, incident_id: int, lint: LintSummary = OK, text: str = "本文") -> int:
    return statements.create(incident_id, DraftKind.HOLDING, "第一報", text, lint, "鈴木").id


def _executive(statements: StatementStore, incident_id: int, name: str = "港") -> Approver:
    statements.incidents.assign_role(incident_id, Role.EXECUTIVE, name, "田中")
    return Approver(name)


def test_full_path_writes_the_timeline(
    statements: StatementStore, incident_id: int, paper: PositionPaper
) -> None:
    holding = draft(paper, DraftKind.HOLDING)
    saved = statements.save_paper(incident_id, paper, "鈴木", source="company: ...")
    statement = statements.create(
        incident_id,
        holding.kind,
        holding.title,
        holding.text,
        holding.lint,
        "鈴木",
        paper_version=saved.version,
    )
    assert (statement.status, statement.version, statement.paper_version) == (StatementStatus.DRAFT, 1, 1)
    approver = _executive(statements, incident_id)
    approval.submit(statements, statement.id, "鈴木")
    approved = approval.approve(statements, statement.id, approver)
    assert (approved.status, approved.approver) == (StatementStatus.APPROVED, "港")
    published = approval.publish(statements, statement.id, PublishChannel.X, "鈴木", at=PUBLISHED_AT)
    published = approval.publish(statements, statement.id, PublishChannel.WEBSITE, "鈴木", at=PUBLISHED_AT)
    assert published.status == StatementStatus.PUBLISHED and published.published_at == PUBLISHED_AT
    assert published.channel == PublishChannel.X
    assert [p.channel for p in published.publications] == [PublishChannel.X, PublishChannel.WEBSITE]

    events = statements.incidents.events(incident_id)
    actions = [event.data.get("action") for event in events if event.kind == EventKind.NOTE]
    assert actions == ["position_paper", "statement_draft", "statement_submit", "statement_approve"]
    published_events = statements.incidents.events(incident_id, kinds=[EventKind.STATEMENT])
    assert [event.data for event in published_events] == [
        {"statement_id": statement.id, "kind": "holding", "channel": "x"},
        {"statement_id": statement.id, "kind": "holding", "channel": "website"},
    ]
    assert published_events[0].at == PUBLISHED_AT and "X で公表" not in published_events[0].summary
    assert "Xで公表しました" in published_events[0].summary


@pytest.mark.parametrize(
    ("approver", "executive", "allowed"),
    [
        (Approver("港"), "港", True),  # the incident's 経営
        (Approver("佐藤", is_admin=True), "港", True),  # an admin
        (Approver("佐藤"), "港", False),  # anyone else
        (Approver("港"), None, False),  # nobody holds 経営 yet
    ],
)
def test_who_may_approve(
    statements: StatementStore, incident_id: int, approver: Approver, executive: str | None, allowed: bool
) -> None:
    statement_id = _create(statements, incident_id)
    if executive:
        _executive(statements, incident_id, executive)
    approval.submit(statements, statement_id, "鈴木")
    if allowed:
        assert approval.approve(statements, statement_id, approver).status == StatementStatus.APPROVED
    else:
        with pytest.raises(ApprovalError, match="承認できるのは管理者か、このインシデントの経営の担当"):
            approval.approve(statements, statement_id, approver)
        assert statements.get(statement_id).status == StatementStatus.REVIEW


def test_danger_needs_a_recorded_override(statements: StatementStore, incident_id: int) -> None:
    statement_id = _create(statements, incident_id, DANGER, CONDITIONAL)
    approver = _executive(statements, incident_id)
    approval.submit(statements, statement_id, "鈴木")
    for reason in (None, "  "):
        with pytest.raises(ApprovalError, match="判定が「危険」です"):
            approval.approve(statements, statement_id, approver, override_reason=reason)
    approved = approval.approve(
        statements, statement_id, approver, override_reason="社長の判断で原文のまま公表"
    )
    assert approved.override_reason == "社長の判断で原文のまま公表"
    [event] = [
        e for e in statements.incidents.events(incident_id) if e.data.get("action") == "statement_approve"
    ]
    assert "上書き承認: 社長の判断で原文のまま公表" in event.summary
    assert (
        event.data["override_reason"] == "社長の判断で原文のまま公表" and event.data["lint_level"] == "danger"
    )


def test_steps_out_of_order_are_refused(statements: StatementStore, incident_id: int) -> None:
    statement_id = _create(statements, incident_id)
    approver = _executive(statements, incident_id)
    with pytest.raises(ApprovalError, match="承認できるのは確認待ち"):
        approval.approve(statements, statement_id, approver)
    with pytest.raises(ApprovalError, match="公表できるのは承認済み"):
        approval.publish(statements, statement_id, PublishChannel.X, "鈴木")
    approval.submit(statements, statement_id, "鈴木")
    with pytest.raises(ApprovalError, match="確認に回せるのは「下書き」"):
        approval.submit(statements, statement_id, "鈴木")
    approval.approve(statements, statement_id, approver)
    approval.publish(statements, statement_id, PublishChannel.X, "鈴木")
    with pytest.raises(ApprovalError, match="X で公表済み"):
        approval.publish(statements, statement_id, PublishChannel.X, "鈴木")
    with pytest.raises(ApprovalError, match="公表済みのため編集できません"):
        approval.revise(statements, statement_id, "新しい本文", OK, "鈴木")
    assert len(statements.incidents.events(incident_id, kinds=[EventKind.STATEMENT])) == 1


def test_revision_clears_the_approval_and_keeps_history(statements: StatementStore, incident_id: int) -> None:
    statement_id = _create(statements, incident_id, DANGER, CONDITIONAL)
    approver = _executive(statements, incident_id)
    approval.submit(statements, statement_id, "鈴木")
    approval.approve(statements, statement_id, approver, override_reason="急ぎ")
    fixed = "当社営業担当者の不適切なメッセージにより、お客様を深く傷つけたことをお詫び申し上げます。"
    revised = approval.revise(statements, statement_id, fixed, OK, "鈴木", note="条件付きの謝罪を直した")
    assert (revised.status, revised.version, revised.approver, revised.override_reason) == (
        StatementStatus.DRAFT,
        2,
        None,
        None,
    )
    assert revised.lint.level == "ok"
    versions = statements.versions(statement_id)
    assert [(v.version, v.text, v.lint.level, v.note) for v in versions] == [
        (1, CONDITIONAL, "danger", None),
        (2, fixed, "ok", "条件付きの謝罪を直した"),
    ]
    with pytest.raises(InputError, match="変わっていません"):
        approval.revise(statements, statement_id, fixed, OK, "鈴木")
    # the fixed text no longer needs an override
    approval.submit(statements, statement_id, "鈴木")
    assert approval.approve(statements, statement_id, approver).status == StatementStatus.APPROVED


def test_send_back_needs_a_reason(statements: StatementStore, incident_id: int) -> None:
    statement_id = _create(statements, incident_id)
    approval.submit(statements, statement_id, "鈴木")
    with pytest.raises(InputError, match="差し戻しの理由"):
        approval.send_back(statements, statement_id, "港", " ")
    assert approval.send_back(statements, statement_id, "港", "原因の書き方").status == StatementStatus.DRAFT


def test_a_stale_step_is_a_conflict(statements: StatementStore, incident_id: int) -> None:
    """Two people acting on the same version: the second one's conditional update matches nothing."""
    statement_id = _create(statements, incident_id)
    approval.submit(statements, statement_id, "鈴木")
    with pytest.raises(ConflictError, match="他の人が先に変更しました"):
        statements.transition(
            statement_id,
            frozenset({StatementStatus.DRAFT}),  # what the second person saw
            {"status": StatementStatus.REVIEW.value},
            event_kind=EventKind.NOTE,
            summary="確認に回しました",
            actor="佐藤",
            event_data={},
            at=PUBLISHED_AT,
        )


def test_papers_are_versioned(statements: StatementStore, incident_id: int, paper: PositionPaper) -> None:
    with pytest.raises(NotFoundError, match="statement paper save"):
        statements.paper(incident_id)
    statements.save_paper(incident_id, paper, "鈴木")
    second = paper.model_copy(update={"impact": paper.impact.model_copy(update={"count": 4})})
    statements.save_paper(incident_id, second, "田中")
    assert [v.version for v in statements.papers(incident_id)] == [1, 2]
    assert statements.paper(incident_id).body["impact"]["count"] == 4
    assert PositionPaper.model_validate(statements.paper(incident_id, 1).body) == paper
    with pytest.raises(NotFoundError):
        statements.paper(incident_id, 9)
    with pytest.raises(NotFoundError, match="インシデント 999"):
        statements.save_paper(999, paper, "鈴木")


def test_bad_text_is_refused_and_nothing_is_stored(statements: StatementStore, incident_id: int) -> None:
    for text, message in (("  \n", "本文が空"), ("a\x00b", "制御文字"), ("あ" * 200_001, "200,000 文字以内")):
        with pytest.raises(InputError, match=message):
            statements.create(incident_id, DraftKind.HOLDING, "第一報", text, OK, "鈴木")
    assert statements.list(incident_id) == []
