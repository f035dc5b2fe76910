"""Trainees and their answers, on the installation's database (SQLite or PostgreSQL).

A test is taken in sittings. The first answer opens sitting 1; the next answers go to the same sitting until
every item of the test is answered; after that, the next answer opens sitting 2, a retake (post-test only: the
pre-test is the baseline and is taken once). A form posted twice for the same item is a ConflictError, so a double tap on a
phone never counts twice.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hikeshi.errors import ConflictError, InputError, NotFoundError
from hikeshi.respond.training.exams import PASS_MARK, exam_items
from hikeshi.respond.training.models import AttemptRow, TraineeRow
from hikeshi.respond.training.records import (
    Attempt,
    DepartmentSummary,
    ExamKind,
    ItemScore,
    Progress,
    SittingResult,
    Trainee,
    TrainingRole,
)
from hikeshi.store import Store
from hikeshi.timezones import utc_now

MAX_NAME = 100


def clean_label(value: str, what: str) -> str:
    """A name or department as stored: trimmed, one line, 1–100 characters."""
    text = " ".join(value.split())
    if not text:
        raise InputError(f"{what}が空です。")
    if len(text) > MAX_NAME:
        raise InputError(f"{what}は {MAX_NAME} 文字以内にしてください（{len(text)} 文字）。")
    if any(ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0 for character in text):
        raise InputError(f"{what}に制御文字は使えません。")
    return text


def parse_role(value: str) -> TrainingRole:
    """The role code (`sales`) or its Japanese label (`営業・お客様への連絡`)."""
    for role in TrainingRole:
        if value.strip() in (role.value, role.label):
            return role
    options = "、".join(f"{role.value}（{role.label}）" for role in TrainingRole)
    raise InputError(f"役割 {value!r} はありません。次のいずれかです: {options}")


class TrainingStore:
    """Enrolment, answers and progress of the training course."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- trainees ---------------------------------------------------------------------------------------------

    def enrol(
        self, name: str, department: str, role: TrainingRole, *, at: dt.datetime | None = None
    ) -> tuple[Trainee, bool]:
        """Enrol a trainee, or update the department and role of one already enrolled; True when new."""
        name = clean_label(name, "氏名")
        department = clean_label(department, "部署")
        with self.store.writer.begin() as connection:
            existing = connection.execute(select(TraineeRow.id).where(TraineeRow.name == name)).scalar()
            if existing is None:
                connection.execute(
                    insert(TraineeRow).values(
                        name=name, department=department, role=role.value, enrolled_at=at or utc_now()
                    )
                )
            else:
                connection.execute(
                    update(TraineeRow)
                    .where(TraineeRow.id == existing)
                    .values(department=department, role=role.value)
                )
        return self.trainee(name), existing is None

    def find_trainee(self, name: str) -> Trainee | None:
        with Session(self.store.engine) as session:
            row = session.scalars(select(TraineeRow).where(TraineeRow.name == " ".join(name.split()))).first()
            return _trainee(row) if row is not None else None

    def trainee(self, name: str) -> Trainee:
        found = self.find_trainee(name)
        if found is None:
            raise NotFoundError(
                f"受講者「{name}」は登録されていません。`hikeshi training enrol 氏名 --department 部署 --role 役割` "
                "で登録してください。"
            )
        return found

    def trainees(self, department: str | None = None) -> builtins.list[Trainee]:
        with Session(self.store.engine) as session:
            query = select(TraineeRow).order_by(TraineeRow.department, TraineeRow.name)
            if department is not None:
                query = query.where(TraineeRow.department == " ".join(department.split()))
            return [_trainee(row) for row in session.scalars(query)]

    # --- answers ----------------------------------------------------------------------------------------------

    def attempts(
        self, trainee: Trainee, exam: ExamKind, sitting: int | None = None
    ) -> builtins.list[Attempt]:
        """Answers of one test (one sitting, or all), in the order they were given."""
        with Session(self.store.engine) as session:
            query = select(AttemptRow).where(
                AttemptRow.trainee_id == trainee.id, AttemptRow.exam == exam.value
            )
            if sitting is not None:
                query = query.where(AttemptRow.sitting == sitting)
            rows = session.scalars(query.order_by(AttemptRow.sitting, AttemptRow.answered_at, AttemptRow.id))
            return [_attempt(row) for row in rows]

    def current_sitting(self, trainee: Trainee, exam: ExamKind) -> int | None:
        """The sitting in progress (begun, not finished), or None."""
        latest = self._latest_sitting(trainee, exam)
        if latest == 0 or self.sitting_result(trainee, exam, latest).complete:
            return None
        return latest

    def answering_sitting(self, trainee: Trainee, exam: ExamKind) -> int:
        """The sitting the next answer goes to: the one in progress, else a new one (post-test retakes only)."""
        latest = self._latest_sitting(trainee, exam)
        if latest == 0:
            return 1
        if not self.sitting_result(trainee, exam, latest).complete:
            return latest
        if exam is ExamKind.PRE:
            raise ConflictError("事前テストは一度だけ受けます。事後テストに進んでください。")
        return latest + 1

    def record(
        self,
        trainee: Trainee,
        exam: ExamKind,
        sitting: int,
        item_id: str,
        answer: Any,
        result: ItemScore,
        *,
        at: dt.datetime | None = None,
    ) -> Attempt:
        """Store one graded answer; the item must belong to the test and not be answered yet in this sitting."""
        if item_id not in {item.id for item in exam_items(trainee.role, exam)}:
            raise InputError(f"問題 {item_id} は{exam.label}（{trainee.role.label}）の問題ではありません。")
        allowed = self.answering_sitting(trainee, exam)
        if sitting != allowed:
            raise ConflictError(
                f"{exam.label}の第 {sitting} 回には答えられません（今は第 {allowed} 回です）。"
                "ページを読み込み直してください。"
            )
        row = {
            "trainee_id": trainee.id,
            "exam": exam.value,
            "sitting": sitting,
            "item_id": item_id,
            "answer": answer,
            "score": result.score,
            "correct": result.correct,
            "answered_at": at or utc_now(),
        }
        try:
            with self.store.writer.begin() as connection:
                connection.execute(insert(AttemptRow).values(**row))
        except IntegrityError:
            raise ConflictError(f"問題 {item_id} にはこの回ですでに答えています。") from None
        return Attempt.model_validate({**row, "exam": exam})

    def sitting_result(self, trainee: Trainee, exam: ExamKind, sitting: int) -> SittingResult:
        answers = self.attempts(trainee, exam, sitting)
        total = len(exam_items(trainee.role, exam))
        return SittingResult(
            exam=exam,
            sitting=sitting,
            answered=len(answers),
            total=total,
            score=round(100 * sum(answer.score for answer in answers) / total, 1) if total else 0.0,
            finished_at=answers[-1].answered_at if len(answers) >= total else None,
        )

    def progress(self, trainee: Trainee) -> Progress:
        """The pre-test (its one sitting) and the post-test (best complete sitting, else the one in progress)."""
        pre_sitting = self._latest_sitting(trainee, ExamKind.PRE)
        pre = self.sitting_result(trainee, ExamKind.PRE, pre_sitting) if pre_sitting else None
        posts = [
            self.sitting_result(trainee, ExamKind.POST, number)
            for number in range(1, self._latest_sitting(trainee, ExamKind.POST) + 1)
        ]
        complete = [result for result in posts if result.complete]
        post = max(complete, key=lambda result: result.score) if complete else (posts[-1] if posts else None)
        completed = post is not None and post.complete and post.score >= PASS_MARK
        return Progress(trainee=trainee, pre=pre, post=post, completed=completed)

    def progress_all(self, department: str | None = None) -> builtins.list[Progress]:
        return [self.progress(trainee) for trainee in self.trainees(department)]

    def department_summaries(self, department: str | None = None) -> builtins.list[DepartmentSummary]:
        """One line per department: trainees, tests done, completions and mean scores of complete tests."""
        by_department: dict[str, list[Progress]] = {}
        for entry in self.progress_all(department):
            by_department.setdefault(entry.trainee.department, []).append(entry)
        summaries = []
        for name, entries in sorted(by_department.items()):
            pre_scores = [entry.pre.score for entry in entries if entry.pre and entry.pre.complete]
            post_scores = [entry.post.score for entry in entries if entry.post and entry.post.complete]
            summaries.append(
                DepartmentSummary(
                    department=name,
                    trainees=len(entries),
                    pre_done=len(pre_scores),
                    post_done=len(post_scores),
                    completed=sum(entry.completed for entry in entries),
                    mean_pre=round(sum(pre_scores) / len(pre_scores), 1) if pre_scores else None,
                    mean_post=round(sum(post_scores) / len(post_scores), 1) if post_scores else None,
                )
            )
        return summaries

    def _latest_sitting(self, trainee: Trainee, exam: ExamKind) -> int:
        with self.store.engine.connect() as connection:
            return _latest(connection, trainee.id, exam)


def _latest(connection: Connection, trainee_id: int, exam: ExamKind) -> int:
    value = connection.execute(
        select(func.max(AttemptRow.sitting)).where(
            AttemptRow.trainee_id == trainee_id, AttemptRow.exam == exam.value
        )
    ).scalar()
    return int(value or 0)


def _trainee(row: TraineeRow) -> Trainee:
    return Trainee(
        id=row.id,
        name=row.name,
        department=row.department,
        role=TrainingRole(row.role),
        enrolled_at=row.enrolled_at,
    )


def _attempt(row: AttemptRow) -> Attempt:
    return Attempt(
        trainee_id=row.trainee_id,
        exam=ExamKind(row.exam),
        sitting=row.sitting,
        item_id=row.item_id,
        answer=row.answer,
        score=row.score,
        correct=row.correct,
        answered_at=row.answered_at,
    )
