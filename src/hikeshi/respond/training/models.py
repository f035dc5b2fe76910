"""ORM rows of the training course: trainees and their answered items (migration 0007_training creates them).

Answers are only ever inserted: a retake is a new sitting, so a department's history of pre- and post-test
scores stays what it was. One item is answered once per sitting (a double-submitted form is a conflict, not a
second score).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hikeshi.store.models import Base, BigId


class TraineeRow(Base):
    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    department: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    enrolled_at: Mapped[dt.datetime]


class AttemptRow(Base):
    __tablename__ = "training_attempts"
    __table_args__ = (
        UniqueConstraint("trainee_id", "exam", "sitting", "item_id", name="uq_training_attempts_item"),
        Index("ix_training_attempts_trainee", "trainee_id", "exam", "sitting"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    trainee_id: Mapped[int] = mapped_column(BigId, ForeignKey("trainees.id", ondelete="CASCADE"))
    exam: Mapped[str] = mapped_column(String(10))
    sitting: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(60))
    answer: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[dt.datetime]
