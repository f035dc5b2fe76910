"""`hikeshi signals`: replay a stored watch through the detectors, print and save the signals (real SQLite)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app
from hikeshi.records import Signal, SignalKind
from hikeshi.store import Store
from tests.detect.streams import JST, WATCH, flame_stream

runner = CliRunner()
ONSET = dt.datetime(2026, 3, 5, 21, 0, tzinfo=JST)  # after three calm days, so the baseline is warm


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    stream = flame_stream(0, ONSET, days=4, hours=6.0)
    with Store(url) as store:
        store.add_watch(WATCH)
        store.add_posts(WATCH.name, [item[0] for item in stream], [item[1] for item in stream])
    return url


def test_jsonl_prints_signal_records_and_saving_is_idempotent(database: str) -> None:
    result = runner.invoke(app, ["signals", "--watch", WATCH.name, "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for record in records:
        assert set(record) == {
            "watch",
            "kind",
            "window_start",
            "detected_at",
            "severity",
            "evidence",
            "summary",
        }
        assert record["detected_at"].endswith("+09:00")
    signals = [Signal.model_validate(record) for record in records]
    first_alert = next(
        signal for signal in signals if signal.kind in (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE)
    )
    assert dt.timedelta(0) <= first_alert.detected_at - ONSET <= dt.timedelta(minutes=90)
    assert f"{len(records)} 件の検知（新規保存 {len(records)} 件）" in result.stderr

    again = runner.invoke(app, ["signals", "--watch", WATCH.name, "--format", "jsonl"])
    assert again.exit_code == 0 and again.stdout == result.stdout
    assert "新規保存 0 件" in again.stderr
    with Store(database) as store:
        assert len(store.list_signals(WATCH.name)) == len(records)


def test_text_output_is_japanese(database: str) -> None:
    result = runner.invoke(app, ["signals", "--watch", WATCH.name, "--no-save"])
    assert result.exit_code == 0
    assert "投稿急増 (volume_spike)" in result.stdout and "深刻度" in result.stdout
    with Store(database) as store:
        assert store.list_signals(WATCH.name) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["signals", "--watch", "存在しない会社"], "ウォッチ「存在しない会社」はありません"),
        (["signals", "--watch", WATCH.name, "--format", "csv"], "--format は text か jsonl です"),
    ],
)
def test_errors_are_one_japanese_line(database: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("エラー: ") and message in result.stderr
    assert "Traceback" not in result.stderr
