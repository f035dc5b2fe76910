"""Statements: position-paper versions, statements with their versions and approval, the inquiry log.

Revision ID: 0006_statements
Revises: 0005_alert_channels
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_statements"
down_revision: str | None = "0005_alert_channels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def _incident() -> sa.Column[int]:
    return sa.Column("incident_id", BIG_ID, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "position_papers",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        _incident(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.UniqueConstraint("incident_id", "version", name="uq_position_papers_version"),
    )
    op.create_table(
        "statements",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        _incident(),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lint", sa.JSON(), nullable=False),
        sa.Column("lint_level", sa.String(20), nullable=True),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("paper_version", sa.Integer(), nullable=True),
        sa.Column("approver", sa.String(100), nullable=True),
        sa.Column("approved_at", TIME, nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("published_at", TIME, nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("publications", sa.JSON(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_index("ix_statements_incident", "statements", ["incident_id"])
    op.create_table(
        "statement_versions",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("statement_id", BIG_ID, sa.ForeignKey("statements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lint", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.UniqueConstraint("statement_id", "version", name="uq_statement_versions_version"),
    )
    op.create_table(
        "statement_inquiries",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        _incident(),
        sa.Column("at", TIME, nullable=False),
        sa.Column("channel", sa.String(30), nullable=False),
        sa.Column("caller", sa.String(30), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("logged_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_statement_inquiries_incident", "statement_inquiries", ["incident_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_statement_inquiries_incident", table_name="statement_inquiries")
    op.drop_table("statement_inquiries")
    op.drop_table("statement_versions")
    op.drop_index("ix_statements_incident", table_name="statements")
    op.drop_table("statements")
    op.drop_table("position_papers")
