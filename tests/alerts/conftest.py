from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.records import Watch
from hikeshi.settings import Settings
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with http_receiver() as running:
        yield running


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with smtp_receiver() as running:
        yield running


@pytest.fixture
def settings() -> Settings:
    return Settings(allow_private_urls=True, http_timeout_seconds=5.0, user_agent="hikeshi-test/1.0")


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A real SQLite store with the watch the alert tests use (channels belong to a watch)."""
    with Store(database_url) as opened:
        opened.add_watch(Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建"]))
        yield opened
