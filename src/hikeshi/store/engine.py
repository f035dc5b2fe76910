"""Engines for the store: SQLite tuned for a single-file embedded database, PostgreSQL as is.

SQLite gets WAL (readers never block the writer, and a killed writer leaves a consistent file), foreign keys
(off by default in SQLite, needed for ON DELETE CASCADE), a busy timeout, and explicit BEGIN so that each
batch the store writes is one real transaction (Python's sqlite3 module otherwise decides when to begin).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hikeshi.errors import InputError

SQLITE_BUSY_TIMEOUT_MS = 30_000
IMMEDIATE_OPTION = "hikeshi_immediate"
"""Execution option: begin SQLite transactions with BEGIN IMMEDIATE (ignored elsewhere)."""


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; a SQLite file's parent folder is created when missing."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise InputError(
            f"データベース URL {database_url!r} を読めません。例: sqlite:///hikeshi.sqlite3 "
            "または postgresql+psycopg://user@host/db"
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        _tune_sqlite(engine)
        return engine
    if backend == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return create_engine(url, pool_pre_ping=True)
    raise InputError(f"対応していないデータベースです: {backend}（SQLite と PostgreSQL に対応しています）")


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two processes migrating a new file do not both try.
        immediate = connection.get_execution_options().get(IMMEDIATE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
