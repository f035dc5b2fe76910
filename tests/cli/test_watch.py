from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app, build_app

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "hikeshi.sqlite3"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", f"sqlite:///{path}")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_list_show_remove_in_japanese() -> None:
    code, out, _ = invoke(
        "watch", "add", "ナミキ住宅", "--terms", "ナミキ住宅,ナミキ、namiki", "--exclude", "ナミキ川",
        "--risk-terms", "不買,詐欺", "--threshold", "volume_z=3.5",
    )  # fmt: skip
    assert code == 0
    assert "ウォッチ「ナミキ住宅」を追加しました。" in out
    assert "語句: ナミキ住宅、ナミキ、namiki" in out and "除外語: ナミキ川" in out
    assert "しきい値: volume_z=3.5" in out
    code, out, _ = invoke("watch", "list")
    assert code == 0 and out.startswith("ナミキ住宅\t")
    code, out, _ = invoke("watch", "show", "ナミキ住宅")
    assert code == 0 and "投稿: 0 件（分析済み 0 件）" in out and "リスク語: 不買、詐欺" in out
    code, out, _ = invoke("watch", "remove", "ナミキ住宅")
    assert code == 0 and "削除しました" in out
    code, out, _ = invoke("watch", "list")
    assert "ウォッチはまだありません" in out


def test_json_output() -> None:
    _, out, _ = invoke("watch", "add", "ミドリ食品", "--terms", "ミドリ食品", "--format", "json")
    assert json.loads(out) == {
        "name": "ミドリ食品", "terms": ["ミドリ食品"], "exclude": [], "risk_terms": [], "thresholds": {},
    }  # fmt: skip
    _, out, _ = invoke("watch", "list", "--format", "json")
    assert [w["name"] for w in json.loads(out)] == ["ミドリ食品"]
    _, out, _ = invoke("watch", "show", "ミドリ食品", "--format", "json")
    summary = json.loads(out)
    assert summary["posts"] == 0 and summary["watch"]["name"] == "ミドリ食品"
    _, out, _ = invoke("watch", "remove", "ミドリ食品", "--format", "json")
    assert json.loads(out) == {"removed": "ミドリ食品"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("watch", "add", "ナミキ住宅", "--terms", " , 、"), "--terms に社名・別名を 1 つ以上"),
        (("watch", "add", "ナミキ住宅", "--terms", "ナミキ", "--threshold", "z"), "KEY=数値"),
        (("watch", "add", "ナミキ住宅", "--terms", "ナミキ", "--format", "xml"), "--format は text か json"),
        (("watch", "show", "存在しない会社"), "ウォッチ「存在しない会社」はありません"),
        (("watch", "remove", "存在しない会社"), "ウォッチ「存在しない会社」はありません"),
    ],
)
def test_errors_are_one_japanese_line(args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2 and out == ""
    assert err.startswith("エラー: ") and message in err and err.count("\n") == 1


def test_adding_twice_is_refused() -> None:
    assert invoke("watch", "add", "ナミキ住宅", "--terms", "ナミキ")[0] == 0
    code, _, err = invoke("watch", "add", "ナミキ住宅", "--terms", "ナミキ")
    assert code == 2 and "既にあります" in err


def test_bad_database_url_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIKESHI_DATABASE_URL", "oracle://nowhere")
    code, _, err = invoke("watch", "list")
    assert code == 2 and "対応していないデータベース" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["watch", "add", "T", "--terms", "a", "--threshold", "baseline_days=0"], "baseline_days"),
        (["watch", "add", "T", "--terms", "a", "--threshold", "volume_p_value=nan"], "KEY=数値"),
        (["watch", "add", "改行\nBcc: x@example.com", "--terms", "a"], "制御文字"),
    ],
)
def test_watch_add_refuses_values_the_detectors_cannot_use(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIKESHI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite3'}")
    result = CliRunner().invoke(build_app("watch"), args)
    assert result.exit_code == 2
    assert message in result.output
