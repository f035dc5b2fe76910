"""The evidence store on a SQLite file and on a real PostgreSQL database (bytes, JSON metadata, times in UTC)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.errors import InputError
from hikeshi.records import Post, PostMetrics, Watch
from hikeshi.respond.evidence import (
    CustodyAction,
    EvidenceStore,
    capture_post,
    capture_top,
    export_zip,
    verify_zip,
)
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.store import Store
from tests.store.postgres_support import fresh_database

JST = dt.timezone(dt.timedelta(hours=9))
POSTS = [
    Post(
        source="x",
        source_id="1900000000000000001",
        url="https://x.com/kaji_mama_blog/status/1900000000000000001",
        author="kaji_mama_blog",
        author_followers=1_200_000,
        text="ミナト住建の件、社長が出てこないのがすべて。うちは二度と検討しません",
        created_at=dt.datetime(2026, 3, 13, 12, 40, tzinfo=JST),
        metrics=PostMetrics(likes=33_941, reposts=2_987, views=2_303_572),
    ),
    Post(
        source="x",
        source_id="1900000000000000002",
        url="https://x.com/user_09356/status/1900000000000000002",
        author="user_09356",
        author_followers=51_633,
        text="これがミナト住建の営業のLINEか…断ったら逆ギレってひどい",
        created_at=dt.datetime(2026, 3, 13, 15, 38, tzinfo=JST),
        metrics=PostMetrics(likes=2_107, reposts=675, views=103_238),
    ),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    urls = (
        iter([f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"]) if request.param == "sqlite" else fresh_database()
    )
    with Store(next(urls)) as opened:
        opened.add_watch(Watch(name="ミナト住建", terms=["ミナト住建"]))
        opened.add_posts("ミナト住建", POSTS)
        yield opened


def test_capture_export_verify_round_trip(store: Store, tmp_path: Path) -> None:
    incident = IncidentStore(store).open(
        "ミナト住建",
        "営業の LINE",
        playbook=default_playbook(),
        opened_at=dt.datetime(2026, 3, 13, 12, 0, tzinfo=JST),
    )
    evidence = capture_post(store, incident.id, "x:1900000000000000002", "広報 田中")[0]
    evidences = EvidenceStore(store)
    document = json.loads(evidences.content(evidence.id))
    assert document["text"] == POSTS[1].text and document["analysis"] is None
    assert evidence.posted_at == POSTS[1].created_at and evidence.captured_at.tzinfo is not None
    stored = evidences.list(incident.id)
    assert stored == [evidence] and stored[0].meta["text_excerpt"] == POSTS[1].text
    out = tmp_path / "evidence.zip"
    report = export_zip(store, incident.id, out, "法務 鈴木")
    assert verify_zip(out).ok and report.artefacts == 1
    actions = [entry.action for entry in evidences.custody(incident.id)]
    assert actions == [CustodyAction.CAPTURE, CustodyAction.EXPORT]


def test_top_with_nothing_to_offer_says_so_and_stores_nothing(store: Store) -> None:
    """Posts never analysed are not known to be negative, and no signal named them: nothing to preserve."""
    incident = IncidentStore(store).open(
        "ミナト住建",
        "営業の LINE",
        playbook=default_playbook(),
        opened_at=dt.datetime(2026, 3, 13, 12, 0, tzinfo=JST),
    )
    with pytest.raises(InputError, match=f"インシデント {incident.id} の期間に保全できる投稿がありません"):
        capture_top(store, incident.id, 5, "田中")
    assert EvidenceStore(store).list(incident.id) == []
