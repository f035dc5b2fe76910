"""The bundled minato replay (data/replay/minato_flame.jsonl) ingested once into a real SQLite file, with the
incident its signals opened, the company's 17:00 apology recorded as a statement, and one drill incident.

Ingesting 2,696 posts with the real analyzer takes about ten seconds, so the store is shared by the report
tests; they only read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hikeshi.ingest import ingest_file
from hikeshi.ingest.incidents import detect_and_respond
from hikeshi.records import Watch
from hikeshi.respond.incidents.records import EventKind, Incident
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import load_playbook
from hikeshi.store import Store
from hikeshi.timezones import JST

REPLAY = Path(__file__).resolve().parents[2] / "data" / "replay" / "minato_flame.jsonl"
WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建", "ミナトホーム"])
STATEMENT_AT = dt.datetime(
    2026, 3, 13, 17, 0, tzinfo=JST
)  # the apology of the replay (README of data/replay)
DRILL_OPENED_AT = dt.datetime(2026, 3, 10, 14, 0, tzinfo=JST)


@dataclass(frozen=True)
class Minato:
    store: Store
    incident: Incident
    drill: Incident
    database: str


@pytest.fixture(scope="session")
def minato(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Minato]:
    database = f"sqlite:///{tmp_path_factory.mktemp('minato') / 'hikeshi.sqlite3'}"
    with Store(database) as store:
        store.add_watch(WATCH)
        ingest_file(store, WATCH.name, str(REPLAY))
        outcome = detect_and_respond(store, WATCH.name, load_playbook())
        assert len(outcome.incidents.opened) == 1
        incidents = IncidentStore(store)
        incident = outcome.incidents.opened[0]
        incidents.add_event(
            incident.id,
            EventKind.STATEMENT,
            "お詫びを公表（X・自社サイト）",
            "広報",
            at=STATEMENT_AT,
        )
        drill = incidents.open(
            WATCH.name,
            "訓練: 営業の LINE 流出",
            playbook=load_playbook(),
            severity=3,
            opened_at=DRILL_OPENED_AT,
            drill=True,
        )
        incidents.add_event(
            drill.id,
            EventKind.STATEMENT,
            "訓練の第一報",
            "広報",
            at=DRILL_OPENED_AT + dt.timedelta(minutes=30),
        )
        yield Minato(
            store=store, incident=incidents.get(incident.id), drill=incidents.get(drill.id), database=database
        )
