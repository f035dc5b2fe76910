"""Tables of the alerting side: channels, per-watch policies, threads, handled signals and the outbox.

Migration 0005 creates them. The store keeps each channel's settings, policy, thread state and pending
message as a JSON document validated by `hikeshi.alerts` (which owns their shape); the columns beside the
document are only what queries need (the watch, whether a thread is closed, when a signal was handled).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hikeshi.store.models import Base, BigId


class AlertChannelRow(Base):
    __tablename__ = "alert_channels"
    __table_args__ = (Index("ix_alert_channels_watch", "watch_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    watch_id: Mapped[int] = mapped_column(BigId, ForeignKey("watches.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    config: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime]


class AlertPolicyRow(Base):
    __tablename__ = "alert_policies"

    watch_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("watches.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    policy: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]


class AlertThreadRow(Base):
    __tablename__ = "alert_threads"
    __table_args__ = (Index("ix_alert_threads_watch_closed", "watch", "closed"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    watch: Mapped[str] = mapped_column(String(200))
    incident_id: Mapped[int | None] = mapped_column(BigId)
    closed: Mapped[bool] = mapped_column(Boolean)
    opened_at: Mapped[dt.datetime]
    last_signal_at: Mapped[dt.datetime]
    state: Mapped[dict[str, Any]]


class AlertHandledRow(Base):
    __tablename__ = "alert_handled"
    __table_args__ = (Index("ix_alert_handled_at", "handled_at"),)

    signal_key: Mapped[str] = mapped_column(String(600), primary_key=True)
    severity: Mapped[int] = mapped_column(Integer)
    handled_at: Mapped[dt.datetime]


class AlertOutboxRow(Base):
    __tablename__ = "alert_outbox"
    __table_args__ = (Index("ix_alert_outbox_channel", "channel_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(BigId, ForeignKey("alert_channels.id", ondelete="CASCADE"))
    message: Mapped[dict[str, Any]]
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
