"""`hikeshi drill list|run|score` end to end on a real SQLite file: the DESIGN.md interface and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import build_app
from tests.drills.conftest import TINY, write_scenario

DESIGN_FIELDS = {"scenario", "incident_id", "time_to_detect_min", "time_to_incident_min"}


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    monkeypatch.delenv("HIKESHI_PLAYBOOK", raising=False)
    monkeypatch.delenv("HIKESHI_ALLOW_PRIVATE_URLS", raising=False)
    monkeypatch.chdir(tmp_path)
    return url


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(args[0]), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_names_a_scenario_first_on_each_line() -> None:
    code, out, _ = invoke("drill", "list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert {"minato_line", "soramame_video"} <= set(names)
    assert any("従業員の不適切動画" in line for line in out.splitlines())


@pytest.mark.slow
def test_a_bundled_drill_runs_at_full_speed_and_prints_its_score(database: str, tmp_path: Path) -> None:
    code, out, err = invoke("drill", "run", "minato_line", "--speed", "max", "--format", "json")
    assert code == 0, err
    score = json.loads(out)
    assert set(score) >= DESIGN_FIELDS
    assert score["scenario"] == "minato_line" and score["drill"] is True
    assert 0 < score["time_to_detect_min"] <= score["time_to_incident_min"] < 180
    assert score["time_to_statement_min"] is None  # nobody answered an unattended run
    assert len(score["injects"]) == 6 and all(inject["on_timeline"] for inject in score["injects"])
    assert "インシデント" in err and "状況付与" in err  # progress goes to stderr, the score to stdout

    _, listed, _ = invoke("incident", "list", "--all", "--format", "jsonl")
    (incident,) = [json.loads(line) for line in listed.splitlines()]
    assert incident["id"] == score["incident_id"] and incident["drill"] is True
    assert incident["watch"] == "訓練: ミナト住建"
    assert invoke("incident", "list", "--format", "jsonl")[1] == ""  # the real list leaves drills out

    debrief = Path(score["debrief"]["markdown"])
    assert debrief.parent == tmp_path and "訓練の振り返り" in debrief.read_text(encoding="utf-8")
    assert Path(score["debrief"]["html"]).exists()

    code, out, _ = invoke("drill", "score", str(score["incident_id"]), "--format", "json", "--no-debrief")
    assert code == 0
    again = json.loads(out)
    assert again["time_to_incident_min"] == score["time_to_incident_min"] and again["debrief"] == {}


def test_a_scenario_file_runs_and_scores_in_text(database: str, tmp_path: Path) -> None:
    path = write_scenario(tmp_path)
    code, out, err = invoke("drill", "run", str(path), "--no-debrief")
    assert code == 0, err
    assert out.startswith("訓練「アルバイトの失礼な返信が拡散（コムギ堂）」（komugi_reply）")
    assert "インシデント 1（訓練・ウォッチ「訓練: コムギ堂」）" in out and "第一報まで: —" in out
    code, out, _ = invoke("drill", "score", "1", "--debrief-dir", str(tmp_path / "debrief"))
    assert code == 0 and (tmp_path / "debrief" / "drill-1-debrief.md").exists()


def test_a_broken_scenario_file_is_reported_with_file_and_line(database: str, tmp_path: Path) -> None:
    path = write_scenario(tmp_path, TINY.replace("  pool: calm", "  pool: weekday"), "broken.yaml")
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "weekday" in text
    )
    code, out, err = invoke("drill", "run", str(path), "--format", "json")
    assert code == 2 and out == ""
    assert err.strip() == f"エラー: {path}:{line}: プール「weekday」が pools にありません。"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("drill", "run", "minato_line", "--speed", "fast"), "--speed は max か"),
        (("drill", "run", "minato_line", "--speed", "0"), "--speed は max か"),
        (("drill", "run", "no_such_drill"), "drill list"),
        (("drill", "run", "minato_line", "--format", "xml"), "--format は text か json"),
        (("drill", "score", "99"), "インシデント 99 はありません"),
    ],
)
def test_bad_input_is_one_clear_line(database: str, args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_a_real_incident_cannot_be_scored_as_a_drill(database: str) -> None:
    invoke("watch", "add", "ミナト住建", "--terms", "ミナト住建")
    assert invoke("incident", "open", "--watch", "ミナト住建", "--title", "本物")[0] == 0
    code, _, err = invoke("drill", "score", "1")
    assert code == 2 and "訓練ではありません" in err
