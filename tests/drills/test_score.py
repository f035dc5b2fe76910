"""Scoring after the team has responded: tasks against their due times, the holding statement and its lint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hikeshi.drills import (
    load_scenario,
    render_html,
    render_markdown,
    run_drill,
    score_incident,
    write_debrief,
)
from hikeshi.errors import InputError
from hikeshi.ingest import Analyzer
from hikeshi.records import Watch
from hikeshi.respond.incidents.records import Role
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.statements.approval import Approver, approve, publish, submit
from hikeshi.respond.statements.linting import lint_text
from hikeshi.respond.statements.records import DraftKind, PublishChannel
from hikeshi.respond.statements.store import StatementStore
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.timezones import utc_now
from tests.drills.conftest import write_scenario

HOLDING = (
    "当店スタッフの SNS での返信について、ご不快な思いをされた方がいらっしゃれば、お詫び申し上げます。"
    "現在、事実関係を確認しております。"
)


@pytest.mark.slow
def test_an_unattended_drill_scores_detection_and_opening_but_no_statement(
    tmp_path: Path, store: Store, settings: Settings, analyzer: Analyzer
) -> None:
    outcome = run_drill(
        store, settings, load_scenario(write_scenario(tmp_path)), analyzer, default_playbook()
    )
    assert outcome.incident_id is not None
    score = score_incident(store, outcome.incident_id)
    onset = outcome.run.onset_at
    assert score.scenario == "komugi_reply" and score.drill is True and score.speed == "max"
    assert score.detected_at is not None and score.opened_at is not None
    assert score.time_to_detect_min == round((score.detected_at - onset).total_seconds() / 60, 1)
    assert score.time_to_detect_min is not None and score.time_to_incident_min is not None
    assert 0 < score.time_to_detect_min <= score.time_to_incident_min
    assert score.time_to_incident_min == round((score.opened_at - onset).total_seconds() / 60, 1)
    assert score.time_to_statement_min is None and score.first_statement_at is None
    assert score.tasks_done_on_time == 0 and score.tasks_due >= 3  # 60, 120 and 180 minutes came and went
    assert all(
        task.on_time is False for task in score.tasks if task.due_at and task.due_at <= score.scored_at
    )
    assert [inject.on_timeline for inject in score.injects] == [True, True, True]
    assert score.false_alarms == 0

    # The team responds after the replay, on the wall clock (which then continues the drill's clock).
    incidents = IncidentStore(store)
    incidents.complete_task(
        outcome.incident_id,
        "preserve_evidence",
        "記録係の佐藤",
        at=score.opened_at + dt.timedelta(minutes=40),
    )
    incidents.complete_task(outcome.incident_id, "convene", "責任者の田中")
    incidents.assign_role(outcome.incident_id, Role.EXECUTIVE, "社長", "責任者の田中")
    statements = StatementStore(store)
    draft = statements.create(
        outcome.incident_id,
        DraftKind.HOLDING,
        "<script>第一報</script>",
        HOLDING,
        lint_text(HOLDING, DraftKind.HOLDING),
        "広報の鈴木",
    )
    submit(statements, draft.id, "広報の鈴木")
    approve(statements, draft.id, Approver("社長"), override_reason="訓練のため")
    before = utc_now()
    publish(statements, draft.id, PublishChannel.X, "広報の鈴木")

    rescored = score_incident(store, outcome.incident_id)
    clock = outcome.run.clock
    assert clock.wall_finished_at is not None and clock.drill_finished_at is not None
    published_on_drill_line = clock.drill_finished_at + (before - clock.wall_finished_at)
    assert rescored.first_statement_at is not None
    assert dt.timedelta(0) <= rescored.first_statement_at - published_on_drill_line < dt.timedelta(seconds=30)
    assert rescored.time_to_statement_min is not None
    assert rescored.time_to_statement_min > score.time_to_incident_min
    by_key = {task.key: task for task in rescored.tasks}
    assert by_key["preserve_evidence"].on_time is True  # done 40 minutes after opening, due at 60
    assert by_key["convene"].on_time is False  # done after the replay: hours past its due time
    assert (rescored.tasks_done_on_time, rescored.tasks_done_late) == (1, 1)
    (lint,) = rescored.statement_lint
    assert lint.level in ("caution", "danger") and lint.findings  # the conditional apology is named
    assert rescored.worst_lint_level == lint.level and rescored.statements_published == 1

    paths = write_debrief(rescored, tmp_path / "debrief")
    markdown = Path(paths["markdown"]).read_text(encoding="utf-8")
    assert markdown.startswith("# 訓練の振り返り: アルバイトの失礼な返信が拡散（コムギ堂）")
    assert "期限に間に合わなかったタスク" in markdown and "責任者を決めて招集" in markdown
    html = Path(paths["html"]).read_text(encoding="utf-8")
    assert "&lt;script&gt;第一報&lt;/script&gt;" in html and "<script>第一報" not in html
    assert render_html(rescored) == html and render_markdown(rescored) == markdown


def test_only_a_drill_can_be_scored(store: Store) -> None:
    store.add_watch(Watch(name="コムギ堂", terms=["コムギ堂"]))
    real = IncidentStore(store).open("コムギ堂", "本物の炎上", playbook=default_playbook())
    with pytest.raises(InputError, match="訓練ではありません"):
        score_incident(store, real.id)
    manual = IncidentStore(store).open("コムギ堂", "手動の訓練", playbook=default_playbook(), drill=True)
    score = score_incident(store, manual.id)
    assert score.incident_id == manual.id and score.scenario == "" and score.time_to_incident_min == 0
