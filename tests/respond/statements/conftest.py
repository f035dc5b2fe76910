from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.records import Watch
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.statements.papers import PositionPaper, load_position_paper
from hikeshi.respond.statements.store import StatementStore
from hikeshi.store import Store
from tests.store.postgres_support import fresh_database

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "position_paper.yaml"
WATCH = "ミナト住建"


@pytest.fixture(scope="session")
def paper() -> PositionPaper:
    return load_position_paper(EXAMPLE)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Statement tests run on a SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
        with Store(url) as opened:
            opened.add_watch(Watch(name=WATCH, terms=["ミナト住建"]))
            yield opened
    else:
        for url in fresh_database():
            with Store(url) as opened:
                opened.add_watch(Watch(name=WATCH, terms=["ミナト住建"]))
                yield opened


@pytest.fixture
def statements(store: Store) -> StatementStore:
    return StatementStore(store)


@pytest.fixture
def incident_id(store: Store) -> int:
    return (
        IncidentStore(store).open(WATCH, "営業担当の LINE が拡散", playbook=default_playbook(), severity=3).id
    )
