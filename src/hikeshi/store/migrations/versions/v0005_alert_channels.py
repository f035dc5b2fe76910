"""Alert channels, per-watch policies and the alert state move from files into the database.

Until now ``alerts.yaml`` and ``alert_state.json`` lived in a config folder, and the web app and the monitor
could disagree on which folder that was (``HIKESHI_CONFIG_DIR`` was only read by the CLI). In the database,
every process that opens the store sees the same channels and the same threads. Existing files are imported
once by `hikeshi.alerts.legacy` on first use.

Revision ID: 0005_alert_channels
Revises: 0004_incidents
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_alert_channels"
down_revision: str | None = "0004_incidents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_channels",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("watch_id", BIG_ID, sa.ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_index("ix_alert_channels_watch", "alert_channels", ["watch_id"])
    op.create_table(
        "alert_policies",
        sa.Column(
            "watch_id",
            BIG_ID,
            sa.ForeignKey("watches.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_table(
        "alert_threads",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("watch", sa.String(200), nullable=False),
        sa.Column("incident_id", BIG_ID, nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("last_signal_at", TIME, nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
    )
    op.create_index("ix_alert_threads_watch_closed", "alert_threads", ["watch", "closed"])
    op.create_table(
        "alert_handled",
        sa.Column("signal_key", sa.String(600), primary_key=True),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("handled_at", TIME, nullable=False),
    )
    op.create_index("ix_alert_handled_at", "alert_handled", ["handled_at"])
    op.create_table(
        "alert_outbox",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "channel_id", BIG_ID, sa.ForeignKey("alert_channels.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_index("ix_alert_outbox_channel", "alert_outbox", ["channel_id"])


def downgrade() -> None:
    op.drop_index("ix_alert_outbox_channel", table_name="alert_outbox")
    op.drop_table("alert_outbox")
    op.drop_index("ix_alert_handled_at", table_name="alert_handled")
    op.drop_table("alert_handled")
    op.drop_index("ix_alert_threads_watch_closed", table_name="alert_threads")
    op.drop_table("alert_threads")
    op.drop_table("alert_policies")
    op.drop_index("ix_alert_channels_watch", table_name="alert_channels")
    op.drop_table("alert_channels")
