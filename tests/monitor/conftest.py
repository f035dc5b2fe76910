from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.alerts import AlertSettings
from hikeshi.ingest import Analyzer, default_analyzer
from hikeshi.records import Watch
from hikeshi.sources import SafeHttpClient
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver, http_receiver

WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建", "ミナトホーム"])


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with http_receiver() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> AlertSettings:
    return AlertSettings(
        database_url=f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}",
        config_dir=tmp_path / "conf",
        allow_private_urls=True,
        http_timeout_seconds=5.0,
    )


@pytest.fixture
def store(settings: AlertSettings) -> Iterator[Store]:
    with Store.open(settings) as opened:
        opened.add_watch(WATCH)
        yield opened


@pytest.fixture
def client(settings: AlertSettings) -> Iterator[SafeHttpClient]:
    with SafeHttpClient(settings) as http:
        yield http


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return default_analyzer()
