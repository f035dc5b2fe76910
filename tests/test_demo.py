"""The bundled replays through the whole detect loop (watch → ingest with analysis → detectors)."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.demo import load_manifest, run_stream
from hikeshi.records import SignalKind
from hikeshi.settings import Settings
from hikeshi.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(Settings(database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}")) as opened:
        yield opened


@pytest.mark.slow
def test_flame_is_caught_early_and_calm_days_stay_quiet(store: Store) -> None:
    flame = next(stream for stream in load_manifest() if stream.kind == "flame")
    result = run_stream(store, flame)
    assert result.ingest.inserted == flame.posts
    assert result.first_alert is not None
    assert result.first_alert.detected_at - flame.onset <= dt.timedelta(minutes=90)
    assert result.alerts_before_onset <= 2
    assert any(signal.kind == SignalKind.NEW_ANGLE for signal in result.signals)
    again = run_stream(store, flame)  # idempotent: nothing added the second time
    assert again.ingest.inserted == 0


@pytest.mark.slow
def test_praise_surge_is_buzz_not_a_crisis(store: Store) -> None:
    buzz = next(stream for stream in load_manifest() if stream.kind == "buzz")
    result = run_stream(store, buzz)
    assert not [s for s in result.signals if s.kind == SignalKind.NEGATIVITY_RISE]
    assert max(s.severity for s in result.signals if s.kind == SignalKind.VOLUME_SPIKE) <= 2


def test_missing_replay_dir_is_a_clear_error(tmp_path: Path) -> None:
    from hikeshi.errors import InputError

    with pytest.raises(InputError, match="見つかりません"):
        load_manifest(tmp_path)
