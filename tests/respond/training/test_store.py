"""Trainees and their answers in the database (SQLite and PostgreSQL): sittings, retakes, summaries, CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hikeshi.errors import ConflictError, InputError, NotFoundError
from hikeshi.respond.training import (
    ExamKind,
    TrainingRole,
    TrainingStore,
    completion_csv,
    exam_items,
    parse_answer,
    parse_role,
    score,
)
from hikeshi.respond.training.records import Trainee
from hikeshi.store import Store
from hikeshi.store.migrate import current_revision, downgrade, head_revision, upgrade
from tests.respond.training.support import key_answer, wrong_answer

NOW = dt.datetime(2027, 4, 1, 1, 0, tzinfo=dt.UTC)


def _take(training: TrainingStore, trainee: Trainee, exam: ExamKind, right: int) -> None:
    """Answer the whole test: the first `right` items right, the rest wrong."""
    for number, item in enumerate(exam_items(trainee.role, exam)):
        raw = key_answer(item) if number < right else wrong_answer(item)
        parsed = parse_answer(item, raw)
        sitting = training.answering_sitting(trainee, exam)
        training.record(trainee, exam, sitting, item.id, parsed.value, score(item, parsed), at=NOW)


def test_enrolment_is_an_upsert_with_clean_names(training: TrainingStore) -> None:
    trainee, created = training.enrol("  山田   花子 ", "営業部", TrainingRole.SALES, at=NOW)
    assert created and trainee.name == "山田 花子" and trainee.enrolled_at == NOW
    moved, created = training.enrol("山田 花子", "東京支店 営業課", parse_role("管理職・経営層"))
    assert not created and moved.id == trainee.id
    assert (moved.department, moved.role) == ("東京支店 営業課", TrainingRole.MANAGER)
    with pytest.raises(NotFoundError, match="training enrol"):
        training.trainee("佐藤 一郎")
    with pytest.raises(InputError, match="部署が空"):
        training.enrol("佐藤 一郎", "  ", TrainingRole.SALES)
    with pytest.raises(InputError, match="役割 'ceo' はありません"):
        parse_role("ceo")


def test_a_sitting_fills_up_and_the_pre_test_is_taken_once(training: TrainingStore) -> None:
    trainee, _ = training.enrol("山田 花子", "営業部", TrainingRole.SALES)
    assert training.answering_sitting(trainee, ExamKind.PRE) == 1
    first = exam_items(trainee.role, ExamKind.PRE)[0]
    parsed = parse_answer(first, key_answer(first))
    training.record(trainee, ExamKind.PRE, 1, first.id, parsed.value, score(first, parsed))
    assert training.current_sitting(trainee, ExamKind.PRE) == 1
    with pytest.raises(ConflictError, match="すでに答えています"):
        training.record(trainee, ExamKind.PRE, 1, first.id, parsed.value, score(first, parsed))
    with pytest.raises(ConflictError, match="第 2 回には答えられません"):
        training.record(trainee, ExamKind.PRE, 2, first.id, parsed.value, score(first, parsed))
    post_item = exam_items(trainee.role, ExamKind.POST)[0]
    with pytest.raises(InputError, match="事前テスト"):
        training.record(trainee, ExamKind.PRE, 1, post_item.id, "risky", score(first, parsed))
    for item in exam_items(trainee.role, ExamKind.PRE)[1:]:
        parsed = parse_answer(item, key_answer(item))
        training.record(trainee, ExamKind.PRE, 1, item.id, parsed.value, score(item, parsed))
    assert training.current_sitting(trainee, ExamKind.PRE) is None
    with pytest.raises(ConflictError, match="一度だけ"):
        training.answering_sitting(trainee, ExamKind.PRE)
    result = training.sitting_result(trainee, ExamKind.PRE, 1)
    assert result.complete and result.score == 100.0 and result.finished_at is not None


def test_the_best_complete_post_test_decides_completion(training: TrainingStore) -> None:
    trainee, _ = training.enrol("山田 花子", "営業部", TrainingRole.SALES)
    _take(training, trainee, ExamKind.PRE, right=6)
    _take(training, trainee, ExamKind.POST, right=9)  # 75 points: not enough
    progress = training.progress(trainee)
    assert progress.pre is not None and progress.pre.score == 50.0
    assert progress.post is not None and progress.post.score == 75.0 and not progress.completed
    assert training.answering_sitting(trainee, ExamKind.POST) == 2
    _take(training, trainee, ExamKind.POST, right=12)
    progress = training.progress(trainee)
    assert progress.post is not None and progress.post.sitting == 2 and progress.completed
    assert len(training.attempts(trainee, ExamKind.POST)) == 24  # the first sitting is kept


def test_department_summaries_and_the_completion_csv(training: TrainingStore) -> None:
    sales, _ = training.enrol("山田 花子", "営業部", TrainingRole.SALES)
    other, _ = training.enrol("佐藤 一郎", "営業部", TrainingRole.SALES)
    press, _ = training.enrol("=cmd|' /C calc'!A0", "広報部", TrainingRole.SNS_STAFF)
    _take(training, sales, ExamKind.PRE, right=6)
    _take(training, sales, ExamKind.POST, right=12)
    _take(training, other, ExamKind.PRE, right=3)
    _take(training, press, ExamKind.PRE, right=12)
    by_department = {summary.department: summary for summary in training.department_summaries()}
    assert by_department["営業部"].model_dump() == {
        "department": "営業部",
        "trainees": 2,
        "pre_done": 2,
        "post_done": 1,
        "completed": 1,
        "mean_pre": 37.5,
        "mean_post": 100.0,
    }
    assert by_department["営業部"].completion_rate == 0.5
    assert [summary.department for summary in training.department_summaries("広報部")] == ["広報部"]
    text = completion_csv(training.progress_all())
    assert text.startswith("\ufeff氏名,部署,役割,事前テスト（点）")
    lines = text.lstrip("\ufeff").splitlines()
    assert "山田 花子,営業部,営業・お客様への連絡,50.0,2027-04-01,100.0,2027-04-01,修了" in lines
    assert any(line.startswith("'=cmd|' /C calc'!A0,広報部") for line in lines), lines


def test_the_migration_goes_down_and_up(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}") as store:
        assert current_revision(store.engine) == head_revision()
        downgrade(store.engine, "0006_statements")
        assert current_revision(store.engine) == "0006_statements"
        upgrade(store.engine)
        trainee, _ = TrainingStore(store).enrol("山田 花子", "営業部", TrainingRole.SALES)
        assert trainee.id == 1
