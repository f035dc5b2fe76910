"""The incident room: incidents, their tasks and timeline, evidence artefacts and the custody log.

Revision ID: 0004_incidents
Revises: 0003_review_reply
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_incidents"
down_revision: str | None = "0003_review_reply"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("watch_id", BIG_ID, sa.ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("drill", sa.Boolean(), nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("closed_at", TIME, nullable=True),
        sa.Column("first_signal_at", TIME, nullable=True),
        sa.Column("onset_at", TIME, nullable=True),
        sa.Column("monitoring_since", TIME, nullable=True),
        sa.Column("calmed_at", TIME, nullable=True),
        sa.Column("opened_by", sa.String(100), nullable=False),
        sa.Column("playbook", sa.String(200), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_index("ix_incidents_watch_status", "incidents", ["watch_id", "status"])
    op.create_table(
        "incident_events",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("incident_id", BIG_ID, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(300), nullable=True),
        sa.UniqueConstraint("incident_id", "dedupe_key", name="uq_incident_events_dedupe"),
    )
    op.create_index("ix_incident_events_incident_at", "incident_events", ["incident_id", "at"])
    op.create_table(
        "incident_tasks",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("incident_id", BIG_ID, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("phase", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("due_at", TIME, nullable=True),
        sa.Column("assignee", sa.String(100), nullable=True),
        sa.Column("done_at", TIME, nullable=True),
        sa.Column("done_by", sa.String(100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("overdue_notified_at", TIME, nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("incident_id", "key", name="uq_incident_tasks_key"),
    )
    op.create_table(
        "evidence",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("incident_id", BIG_ID, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("capture_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("post_key", sa.String(600), nullable=True),
        sa.Column("author", sa.String(500), nullable=True),
        sa.Column("posted_at", TIME, nullable=True),
        sa.Column("captured_at", TIME, nullable=False),
        sa.Column("captured_by", sa.String(100), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
    )
    op.create_index("ix_evidence_incident", "evidence", ["incident_id"])
    op.create_index("ix_evidence_capture_id", "evidence", ["capture_id"])
    op.create_table(
        "evidence_custody",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("incident_id", BIG_ID, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("evidence_id", BIG_ID, sa.ForeignKey("evidence.id", ondelete="CASCADE"), nullable=True),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_evidence_custody_incident", "evidence_custody", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_custody_incident", table_name="evidence_custody")
    op.drop_table("evidence_custody")
    op.drop_index("ix_evidence_capture_id", table_name="evidence")
    op.drop_index("ix_evidence_incident", table_name="evidence")
    op.drop_table("evidence")
    op.drop_table("incident_tasks")
    op.drop_index("ix_incident_events_incident_at", table_name="incident_events")
    op.drop_table("incident_events")
    op.drop_index("ix_incidents_watch_status", table_name="incidents")
    op.drop_table("incidents")
