"""Training: trainees (name, department, role) and their answers to the pre- and post-tests.

Revision ID: 0007_training
Revises: 0006_statements
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_training"
down_revision: str | None = "0006_statements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "trainees",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("department", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("enrolled_at", TIME, nullable=False),
    )
    op.create_table(
        "training_attempts",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("trainee_id", BIG_ID, sa.ForeignKey("trainees.id", ondelete="CASCADE"), nullable=False),
        sa.Column("exam", sa.String(10), nullable=False),
        sa.Column("sitting", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(60), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", TIME, nullable=False),
        sa.UniqueConstraint("trainee_id", "exam", "sitting", "item_id", name="uq_training_attempts_item"),
    )
    op.create_index("ix_training_attempts_trainee", "training_attempts", ["trainee_id", "exam", "sitting"])


def downgrade() -> None:
    op.drop_index("ix_training_attempts_trainee", table_name="training_attempts")
    op.drop_table("training_attempts")
    op.drop_table("trainees")
