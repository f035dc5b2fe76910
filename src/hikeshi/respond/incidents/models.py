"""ORM rows of incidents, their tasks, their timeline, and the evidence captured for them.

They share the store's declarative base (and so its UTC datetime handling); migration 0004 creates them. They
live here, not in `hikeshi.store.models`, because nothing below `respond` may know about incidents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hikeshi.store.models import Base, BigId


class IncidentRow(Base):
    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_watch_status", "watch_id", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    watch_id: Mapped[int] = mapped_column(BigId, ForeignKey("watches.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    severity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    roles: Mapped[dict[str, Any]]
    drill: Mapped[bool] = mapped_column(Boolean)
    opened_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    first_signal_at: Mapped[dt.datetime | None]
    onset_at: Mapped[dt.datetime | None]
    monitoring_since: Mapped[dt.datetime | None]
    calmed_at: Mapped[dt.datetime | None]
    opened_by: Mapped[str] = mapped_column(String(100))
    playbook: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]


class IncidentEventRow(Base):
    __tablename__ = "incident_events"
    __table_args__ = (
        UniqueConstraint("incident_id", "dedupe_key", name="uq_incident_events_dedupe"),
        Index("ix_incident_events_incident_at", "incident_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime]
    recorded_at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]]
    dedupe_key: Mapped[str | None] = mapped_column(String(300))


class IncidentTaskRow(Base):
    __tablename__ = "incident_tasks"
    __table_args__ = (UniqueConstraint("incident_id", "key", name="uq_incident_tasks_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    phase: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    due_at: Mapped[dt.datetime | None]
    assignee: Mapped[str | None] = mapped_column(String(100))
    done_at: Mapped[dt.datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    overdue_notified_at: Mapped[dt.datetime | None]
    position: Mapped[int] = mapped_column(Integer)


class EvidenceRow(Base):
    """One artefact (a post's JSON, a page's raw HTML, its extracted text, its headers, a screenshot)."""

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_incident", "incident_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id", ondelete="CASCADE"))
    capture_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    source_url: Mapped[str | None] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    post_key: Mapped[str | None] = mapped_column(String(600))
    author: Mapped[str | None] = mapped_column(String(500))
    posted_at: Mapped[dt.datetime | None]
    captured_at: Mapped[dt.datetime]
    captured_by: Mapped[str] = mapped_column(String(100))
    media_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    meta: Mapped[dict[str, Any]]


class CustodyRow(Base):
    """Append-only custody log: who captured, exported or verified which evidence, and when."""

    __tablename__ = "evidence_custody"
    __table_args__ = (Index("ix_evidence_custody_incident", "incident_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id", ondelete="CASCADE"))
    evidence_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("evidence.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime]
    detail: Mapped[dict[str, Any]]
