from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app
from hikeshi.records import SignalKind
from hikeshi.store import Store
from tests.sources.loopback import LoopbackServer, Reply, serving
from tests.suggest.payloads import CALM, FLAMING, bing, google, yahoo

runner = CliRunner()
WATCH = "ミナト住建"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    monkeypatch.setenv("HIKESHI_ALLOW_PRIVATE_URLS", "true")
    result = runner.invoke(app, ["watch", "add", WATCH, "--terms", WATCH])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serving() as running:
        yield running


def serve(server: LoopbackServer, suggestions: list[str]) -> list[str]:
    return [
        "--google-url",
        server.route("/complete/search", google(WATCH, suggestions, charset="shift_jis")),
        "--bing-url",
        server.route("/osjson.aspx", bing(WATCH, suggestions)),
        "--yahoo-url",
        server.route("/gossip", yahoo(WATCH, suggestions)),
    ]


def test_first_check_then_a_risky_term_appears(database: str, server: LoopbackServer) -> None:
    first = runner.invoke(app, ["suggest", "check", "--watch", WATCH, *serve(server, CALM)])
    assert first.exit_code == 0, first.output
    assert "ウォッチ「ミナト住建」の検索候補" in first.stdout
    assert "Google「ミナト住建」: 初回の記録 5 件" in first.stdout
    assert "新たなリスク語はありません。" in first.stdout

    second = runner.invoke(app, ["suggest", "check", "--watch", WATCH, *serve(server, FLAMING)])
    assert second.exit_code == 0, second.output
    assert "Yahoo!「ミナト住建 」: 5 件（追加 3・削除 3）" in second.stdout
    assert "  + ミナト住建 ブラック  ← リスク語「ブラック」（重大度 3・労務）" in second.stdout
    assert "  - ミナト住建 年収" in second.stdout
    assert "risky_suggest シグナル（重大度 3）を記録しました。" in second.stdout

    third = runner.invoke(app, ["suggest", "check", "--watch", WATCH, *serve(server, FLAMING)])
    assert "Bing「ミナト住建」: 変化なし（5 件）" in third.stdout
    assert "新たなリスク語はありません。" in third.stdout

    with Store(database) as store:
        assert len(store.list_suggest_snapshots(WATCH)) == 3 * 3 * 2  # runs × engines × query variants
        signals = store.list_signals(WATCH, kind=SignalKind.RISKY_SUGGEST)
    assert len(signals) == 1
    assert signals[0].evidence.terms == ["ミナト住建 ブラック", "ミナト住建 炎上"]


def test_json_output_and_engine_choice(database: str, server: LoopbackServer) -> None:
    result = runner.invoke(
        app,
        [
            "suggest",
            "check",
            "--watch",
            WATCH,
            "--engines",
            "yahoo",
            "--format",
            "json",
            *serve(server, FLAMING),
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {snapshot["engine"] for snapshot in payload["snapshots"]} == {"yahoo"}
    assert payload["signal"]["kind"] == "risky_suggest"
    assert payload["signal"]["summary"].startswith("検索候補に新しいリスク語が現れました")


def test_a_failing_engine_is_a_warning(database: str, server: LoopbackServer) -> None:
    args = serve(server, CALM)
    server.route("/osjson.aspx", Reply(status=503, body="busy"))
    result = runner.invoke(app, ["suggest", "check", "--watch", WATCH, *args])
    assert result.exit_code == 0
    assert "警告: Bing の検索候補を取得できませんでした" in result.stderr
    assert "Google「ミナト住建」: 初回の記録 5 件" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--watch", "ナミキ住宅"], "ナミキ住宅"),
        (["--watch", WATCH, "--engines", "baidu"], "不明な検索エンジンです: baidu"),
        (["--watch", WATCH, "--format", "xml"], "--format は text か json"),
    ],
)
def test_errors_are_one_japanese_line(database: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["suggest", "check", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("エラー: ") and message in result.stderr
    assert "Traceback" not in result.output


def test_all_engines_failing_is_an_error(database: str, server: LoopbackServer) -> None:
    down = server.route("/down", Reply(status=500, body="error"))
    urls = ["--google-url", down, "--bing-url", down, "--yahoo-url", down]
    result = runner.invoke(app, ["suggest", "check", "--watch", WATCH, *urls])
    assert result.exit_code == 2
    assert "どの検索エンジンからも検索候補を取得できませんでした" in result.stderr


def test_private_endpoint_is_refused_by_default(
    database: str, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIKESHI_ALLOW_PRIVATE_URLS", "false")
    result = runner.invoke(app, ["suggest", "check", "--watch", WATCH, *serve(server, CALM)])
    assert result.exit_code == 2
    assert "HIKESHI_ALLOW_PRIVATE_URLS" in result.stderr
    assert server.requests == []
