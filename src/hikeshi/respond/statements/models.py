"""ORM rows of position-paper versions, statements, their versions and the call centre's inquiry log.

They share the store's declarative base (UTC datetimes, JSON columns); migration 0006 creates them. Paper
versions and statement versions are only ever inserted, so the history a reviewer reads is the history that
happened; the statement row carries the current state for quick listing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hikeshi.store.models import Base, BigId


class PositionPaperRow(Base):
    __tablename__ = "position_papers"
    __table_args__ = (UniqueConstraint("incident_id", "version", name="uq_position_papers_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]]
    source: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime]


class StatementRow(Base):
    __tablename__ = "statements"
    __table_args__ = (Index("ix_statements_incident", "incident_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    lint: Mapped[dict[str, Any]]
    lint_level: Mapped[str | None] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(100))
    paper_version: Mapped[int | None] = mapped_column(Integer)
    approver: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime | None]
    override_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None]
    channel: Mapped[str | None] = mapped_column(String(20))
    publications: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class StatementVersionRow(Base):
    __tablename__ = "statement_versions"
    __table_args__ = (UniqueConstraint("statement_id", "version", name="uq_statement_versions_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    statement_id: Mapped[int] = mapped_column(BigId, ForeignKey("statements.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    lint: Mapped[dict[str, Any]]
    author: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class InquiryRow(Base):
    __tablename__ = "statement_inquiries"
    __table_args__ = (Index("ix_statement_inquiries_incident", "incident_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime]
    channel: Mapped[str] = mapped_column(String(30))
    caller: Mapped[str] = mapped_column(String(30))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    repeat: Mapped[bool] = mapped_column(Boolean)
    escalated: Mapped[bool] = mapped_column(Boolean)
    logged_by: Mapped[str] = mapped_column(String(100))
