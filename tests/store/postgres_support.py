"""A real PostgreSQL server for tests marked `postgres`, and a fresh database per test.

The server is `HIKESHI_TEST_POSTGRES_URL` when set (CI starts one with scripts/start_postgres.sh); otherwise
the script is run once per test session and its cluster stopped at exit. With CI=true a missing server fails
the tests instead of skipping them, so CI cannot go green without having run them.
"""

from __future__ import annotations

import atexit
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "start_postgres.sh"
_server: dict[str, str] = {}


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL のテストサーバーがありません: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            message + "（CI では必須です。scripts/start_postgres.sh を確認してください）", pytrace=False
        )
    pytest.skip(
        message
        + "（HIKESHI_TEST_POSTGRES_URL を設定するか scripts/start_postgres.sh を実行できるようにしてください）"
    )


def server_url() -> str:
    """The admin URL of a running server, starting one with scripts/start_postgres.sh if needed."""
    if url := os.environ.get("HIKESHI_TEST_POSTGRES_URL"):
        return url
    if "error" in _server:
        _unavailable(_server["error"])
    if "url" not in _server:
        try:
            result = subprocess.run(
                ["bash", str(SCRIPT)], capture_output=True, text=True, timeout=600, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            _server["error"] = str(error)
            _unavailable(_server["error"])
        exports = dict(re.findall(r"^export (\w+)=(.*)$", result.stdout, flags=re.MULTILINE))
        if result.returncode != 0 or "HIKESHI_TEST_POSTGRES_URL" not in exports:
            _server["error"] = (result.stderr.strip().splitlines() or ["start_postgres.sh failed"])[-1]
            _unavailable(_server["error"])
        _server["url"] = exports["HIKESHI_TEST_POSTGRES_URL"]
        directory = exports.get("HIKESHI_TEST_POSTGRES_DIR")
        if directory:
            atexit.register(
                subprocess.run, ["bash", str(SCRIPT), "--stop", directory], capture_output=True, check=False
            )
    return _server["url"]


def fresh_database() -> Iterator[str]:
    """Yield the URL of an empty test database: one database per session, emptied before each test.

    Emptying (TRUNCATE) is ~50× faster than CREATE DATABASE, and leaves the schema at whatever revision
    the previous test left it, which the Store brings to head when it opens.
    """
    import psycopg

    if "database" not in _server:
        admin = make_url(server_url())
        name = f"hikeshi_{uuid.uuid4().hex[:12]}"
        try:
            with psycopg.connect(
                _conninfo(admin.render_as_string(hide_password=False)), autocommit=True
            ) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as error:
            _unavailable(str(error).strip())
        _server["database"] = admin.set(database=name).render_as_string(hide_password=False)
    url = _server["database"]
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
        ]
        if tables:
            connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    yield url


def _conninfo(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
