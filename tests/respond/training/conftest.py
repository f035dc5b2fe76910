from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.respond.training import TrainingStore
from hikeshi.store import Store
from tests.store.postgres_support import fresh_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Training store tests run on a SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    else:
        yield from fresh_database()


@pytest.fixture
def training(database_url: str) -> Iterator[TrainingStore]:
    with Store(database_url) as opened:
        yield TrainingStore(opened)
