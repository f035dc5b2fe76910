from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def watch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HIKESHI_DATABASE_URL", f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}")
    assert runner.invoke(app, ["watch", "add", "ナミキ住宅", "--terms", "ナミキ住宅,ナミキ"]).exit_code == 0
    return "ナミキ住宅"


def test_add_and_list_each_kind(watch: str) -> None:
    for args in (
        ["--kind", "rss", "--url", "https://news.example.jp/rss.xml", "--interval", "300"],
        ["--kind", "news", "--url", "https://news.example.jp/articles/123"],
        ["--kind", "x", "--query", "ナミキ住宅 -is:retweet lang:ja"],
        ["--kind", "suggest", "--engines", "google,yahoo"],
    ):
        result = runner.invoke(app, ["source", "add", "--watch", watch, *args])
        assert result.exit_code == 0, result.output
        assert "を追加しました" in result.stdout
    listed = json.loads(runner.invoke(app, ["source", "list", "--format", "json"]).stdout)
    assert [(s["kind"], s["config"], s["interval_seconds"]) for s in listed] == [
        ("rss", {"url": "https://news.example.jp/rss.xml"}, 300),
        ("news", {"url": "https://news.example.jp/articles/123"}, 600),
        ("x", {"query": "ナミキ住宅 -is:retweet lang:ja"}, 600),
        ("suggest", {"engines": ["google", "yahoo"]}, 600),
    ]
    text = runner.invoke(app, ["source", "list", "--watch", watch]).stdout
    assert "rss https://news.example.jp/rss.xml（300 秒ごと）" in text and "最終取得: 未取得" in text
    assert "suggest （ウォッチの語句） [google,yahoo]" in text
    assert runner.invoke(app, ["source", "remove", str(listed[0]["id"])]).exit_code == 0
    assert len(json.loads(runner.invoke(app, ["source", "list", "--format", "json"]).stdout)) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "rss"], "--url が必要"),
        (["--kind", "rss", "--url", "file:///etc/passwd"], "http:// か https://"),
        (["--kind", "x"], "--query"),
        (["--kind", "x", "--query", "ナミキ", "--url", "https://x.com"], "--url は使えません"),
        (["--kind", "suggest", "--engines", "baidu"], "不明なサジェストエンジン: baidu"),
    ],
)
def test_invalid_sources_are_refused(watch: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["source", "add", "--watch", watch, *args])
    assert result.exit_code == 2 and message in result.stderr


def test_unknown_watch_and_source() -> None:
    result = runner.invoke(
        app, ["source", "add", "--watch", "ミドリ食品", "--kind", "x", "--query", "ミドリ"]
    )
    assert result.exit_code == 2 and "ウォッチ「ミドリ食品」はありません" in result.stderr
    result = runner.invoke(app, ["source", "remove", "99"])
    assert result.exit_code == 2 and "ソース 99 はありません" in result.stderr
