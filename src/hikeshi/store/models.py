"""The database schema as typed SQLAlchemy 2 ORM classes.

The migrations in `migrations/versions/` create exactly these tables; the ORM classes are what the queries in
`store.py` are written against. Times are stored in UTC (see `UTCDateTime`) so that ordering by event time
is the same on SQLite, which has no time-zone type, and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the backend does with zones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a time zone first")
        utc = value.astimezone(dt.UTC)
        # SQLite stores text: drop the offset so that string order is time order.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        dict[str, float]: JSON,
        list[str]: JSON,
        dt.datetime: UTCDateTime,
    }


class WatchRow(Base):
    __tablename__ = "watches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    terms: Mapped[list[str]]
    exclude: Mapped[list[str]]
    risk_terms: Mapped[list[str]]
    thresholds: Mapped[dict[str, float]]
    created_at: Mapped[dt.datetime]


class PostRow(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("watch_id", "source", "source_id", name="uq_posts_watch_source_id"),
        Index("ix_posts_watch_created", "watch_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    watch_id: Mapped[int] = mapped_column(BigId, ForeignKey("watches.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(50))
    source_id: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    author_followers: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    fetched_at: Mapped[dt.datetime | None]
    metrics: Mapped[dict[str, Any]]
    parent_id: Mapped[str | None] = mapped_column(String(500))
    quote_id: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(16))
    rating: Mapped[float | None] = mapped_column(Float)
    reply: Mapped[str | None] = mapped_column(Text)
    dup_group: Mapped[str | None] = mapped_column(String(100))


class AnalysisRow(Base):
    __tablename__ = "analyses"

    post_id: Mapped[int] = mapped_column(BigId, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    negative: Mapped[float] = mapped_column(Float)
    neutral: Mapped[float] = mapped_column(Float)
    positive: Mapped[float] = mapped_column(Float)
    sentiment_label: Mapped[str] = mapped_column(String(10), index=True)
    emotions: Mapped[dict[str, float]]
    harm: Mapped[dict[str, float]]
    risk: Mapped[float] = mapped_column(Float)
    model_versions: Mapped[dict[str, Any]]


class SignalRow(Base):
    __tablename__ = "signals"
    __table_args__ = (
        UniqueConstraint("watch_id", "kind", "window_start", name="uq_signals_watch_kind_window"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    watch_id: Mapped[int] = mapped_column(BigId, ForeignKey("watches.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    window_start: Mapped[dt.datetime]
    detected_at: Mapped[dt.datetime]
    severity: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[dict[str, Any]]
    summary: Mapped[str] = mapped_column(Text)


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    watch_id: Mapped[int] = mapped_column(BigId, ForeignKey("watches.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    config: Mapped[dict[str, Any]]
    interval_seconds: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]]
    last_polled_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]


class SuggestSnapshotRow(Base):
    __tablename__ = "suggest_snapshots"
    __table_args__ = (
        Index("ix_suggest_watch_engine_query_taken", "watch_id", "engine", "query", "taken_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    watch_id: Mapped[int] = mapped_column(BigId, ForeignKey("watches.id", ondelete="CASCADE"))
    engine: Mapped[str] = mapped_column(String(50))
    query: Mapped[str] = mapped_column(String(500))
    taken_at: Mapped[dt.datetime]
    suggestions: Mapped[list[str]]
