"""`hikeshi incident …` end to end on a real SQLite file: the DESIGN.md interface and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import build_app
from hikeshi.records import Watch
from hikeshi.store import Store

runner = CliRunner()
WATCH = "ミナト住建"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    monkeypatch.delenv("HIKESHI_PLAYBOOK", raising=False)
    with Store(url) as store:
        store.add_watch(Watch(name=WATCH, terms=["ミナト住建"]))
    return url


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app("incident"), ["incident", *args])
    return result.exit_code, result.stdout, result.stderr


def test_open_show_list_close_as_design_says(database: str) -> None:
    code, out, _ = invoke("open", "--watch", WATCH, "--title", "営業担当の LINE が拡散", "--by", "佐藤")
    assert code == 0 and out.strip() == "1"
    code, out, _ = invoke("show", "1", "--format", "json")
    detail = json.loads(out)
    assert detail["incident"]["title"] == "営業担当の LINE が拡散"
    assert detail["incident"]["severity"] == 3 and detail["incident"]["status"] == "active"
    assert [task["key"] for task in detail["tasks"]][:2] == ["convene", "preserve_evidence"]
    code, out, _ = invoke("list", "--format", "jsonl")
    [line] = [json.loads(row) for row in out.splitlines()]
    assert set(line) == {"id", "watch", "title", "status", "severity", "opened_at", "closed_at", "drill"}
    assert (line["watch"], line["drill"], line["closed_at"]) == (WATCH, False, None)
    assert invoke("close", "1", "--by", "佐藤")[0] == 0
    _, out, _ = invoke("list", "--format", "jsonl")
    assert json.loads(out)["status"] == "closed" and json.loads(out)["closed_at"] is not None


def test_drills_are_left_out_unless_all(database: str) -> None:
    invoke("open", "--watch", WATCH, "--title", "炎上訓練", "--drill")
    assert invoke("list", "--format", "jsonl")[1] == ""
    _, out, _ = invoke("list", "--all", "--format", "jsonl")
    assert json.loads(out)["drill"] is True


def test_roles_tasks_notes_and_the_text_view(database: str) -> None:
    invoke("open", "--watch", WATCH, "--title", "営業担当の LINE が拡散")
    assert invoke("role", "1", "責任者", "田中部長")[0] == 0
    assert invoke("role", "1", "pr", "鈴木")[0] == 0
    assert invoke("done", "1", "convene", "--by", "田中部長", "--note", "全員招集")[0] == 0
    code, _, err = invoke("done", "1", "convene", "--by", "鈴木")
    assert code == 2 and "田中部長 さんが" in err
    assert invoke("assign", "1", "position_paper", "鈴木")[0] == 0
    assert invoke("note", "1", "発端は 21:10 の投稿")[0] == 0
    assert invoke("type", "1", "批判集中型")[0] == 0
    assert invoke("severity", "1", "4")[0] == 0
    code, out, _ = invoke("show", "1")
    assert code == 0
    assert "責任者: 田中部長" in out and "広報: 鈴木" in out
    assert "[済] convene" in out and "担当 鈴木" in out
    assert "発端は 21:10 の投稿" in out and "批判集中型" in out and "深刻度 4 危険" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "9"), "インシデント 9 はありません"),
        (("open", "--watch", "しろくま製菓", "--title", "x"), "ウォッチ「しろくま製菓」はありません"),
        (("open", "--watch", WATCH, "--title", " "), "タイトルが空です"),
        (("role", "1", "社長", "山田"), "役割 '社長' はありません"),
        (("status", "1", "炎上中"), "状態 '炎上中' はありません"),
        (("done", "1", "謝罪会見"), "タスク「謝罪会見」はありません"),
        (("list", "--format", "csv"), "--format は text か jsonl"),
    ],
)
def test_bad_input_is_one_clear_line(database: str, args: tuple[str, ...], message: str) -> None:
    invoke("open", "--watch", WATCH, "--title", "営業担当の LINE が拡散")
    code, _, err = invoke(*args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_bad_company_playbook_is_named_with_its_line(database: str, tmp_path: Path) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text("name: 自社\nopening_severity: 9\nphases: []\n", encoding="utf-8")
    code, _, err = invoke("playbook", "--file", str(path))
    assert code == 2 and f"{path}:2: opening_severity" in err
    code, out, _ = invoke("playbook")
    assert code == 0 and "証拠保全" in out and "next_business_day" in out


@pytest.mark.slow
def test_ingest_of_the_flame_replay_opens_the_incident(database: str) -> None:
    replay = Path(__file__).resolve().parents[2] / "data" / "replay" / "minato_flame.jsonl"
    result = runner.invoke(build_app("ingest"), ["ingest", "--watch", WATCH, str(replay)])
    assert result.exit_code == 0, result.output
    assert "インシデント 1 を開きました（深刻度 3" in result.stdout
    _, out, _ = invoke("list", "--format", "jsonl")
    [incident] = [json.loads(line) for line in out.splitlines()]
    assert incident["opened_at"].startswith("2026-03-12T13:56:")  # 22:56 JST, the first severity-3 signal
    again = runner.invoke(build_app("ingest"), ["ingest", "--watch", WATCH, str(replay)])
    assert "インシデント" not in again.stdout
    assert len(invoke("list", "--format", "jsonl")[1].splitlines()) == 1
