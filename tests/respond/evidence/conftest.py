"""The bundled minato flame, ingested once into a real SQLite file; each test works on its own copy.

Ingesting and analysing 2,696 posts takes seconds, so a session fixture builds the template database (posts,
signals, the incident the flame opens) and each test copies the file, so captures in one test never show up in
another.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hikeshi.ingest import ingest_file
from hikeshi.ingest.incidents import detect_and_respond
from hikeshi.records import Watch
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.settings import Settings
from hikeshi.store import Store

REPLAY = Path(__file__).resolve().parents[3] / "data" / "replay" / "minato_flame.jsonl"
WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建", "ミナトホーム"])


@dataclass
class Flame:
    settings: Settings
    store: Store
    incident_id: int
    database: Path


def settings_for(database: Path, **overrides: object) -> Settings:
    """Loopback test servers are private addresses, so fetching them must be allowed explicitly."""
    values: dict[str, object] = {"database_url": f"sqlite:///{database}", "allow_private_urls": True}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture(scope="session")
def minato_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    database = tmp_path_factory.mktemp("minato") / "template.sqlite3"
    with Store.open(settings_for(database)) as store:
        store.add_watch(WATCH)
        ingest_file(store, WATCH.name, str(REPLAY))
        outcome = detect_and_respond(store, WATCH.name, default_playbook())
        assert len(outcome.incidents.opened) == 1
        incident_id = outcome.incidents.opened[0].id
    return database, incident_id


@pytest.fixture
def minato(tmp_path: Path, minato_template: tuple[Path, int]) -> Iterator[Flame]:
    template, incident_id = minato_template
    database = tmp_path / "hikeshi.sqlite3"
    shutil.copyfile(template, database)
    if Path(f"{template}-wal").exists():  # a WAL not yet checkpointed holds committed rows too
        shutil.copyfile(f"{template}-wal", f"{database}-wal")
    settings = settings_for(database)
    with Store.open(settings) as store:
        yield Flame(settings=settings, store=store, incident_id=incident_id, database=database)


def timeline_length(flame: Flame) -> int:
    return len(IncidentStore(flame.store).events(flame.incident_id))
