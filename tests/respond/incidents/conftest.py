from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.records import Watch
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store
from tests.store.postgres_support import fresh_database

WATCH = "ミナト住建"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Incident tests run on a SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    else:
        yield from fresh_database()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store(database_url) as opened:
        opened.add_watch(Watch(name=WATCH, terms=["ミナト住建", "みなと住建"]))
        yield opened


@pytest.fixture
def incidents(store: Store) -> IncidentStore:
    return IncidentStore(store)
