from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.records import Watch
from hikeshi.store import Store
from tests.store.postgres_support import fresh_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store with the watch 「ナミキ住宅」 (excluding posts about the river ナミキ川), on SQLite and PostgreSQL."""
    urls = [f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"] if request.param == "sqlite" else fresh_database()
    for url in urls:
        with Store(url) as opened:
            opened.add_watch(
                Watch(name="ナミキ住宅", terms=["ナミキ住宅", "ナミキ"], exclude=["ナミキ川", "#PR"])
            )
            yield opened
