from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import build_app


@pytest.mark.slow
def test_demo_shows_the_guard_and_the_detected_flame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIKESHI_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    result = CliRunner().invoke(build_app("demo"), ["demo"])
    assert result.exit_code == 0, result.output
    assert "判定: 危険" in result.output
    assert "ミナト住建" in result.output
    assert "最初の検知" in result.output


def test_demo_with_a_bad_replay_dir_fails_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(build_app("demo"), ["demo", "--replay-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "見つかりません" in result.output
