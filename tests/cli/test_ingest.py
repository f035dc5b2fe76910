from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app
from hikeshi.store import Store

runner = CliRunner()
WATCH = "ナミキ住宅"
POSTS = [
    {
        "source": "x",
        "source_id": "1",
        "text": "ナミキ住宅の営業、態度が最悪。二度と頼まない",
        "created_at": "2026-05-01T21:00:00+09:00",
    },
    {
        "source": "x",
        "source_id": "2",
        "text": "ナミキ川の花火、今年もきれい",
        "created_at": "2026-05-01T21:05:00",
    },
    {
        "source": "x",
        "source_id": "3",
        "text": "ナミキ住宅で建てて本当に良かった。担当さんありがとう",
        "created_at": "2026-05-01T21:10:00",
    },
]


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    result = runner.invoke(
        app, ["watch", "add", WATCH, "--terms", "ナミキ住宅,ナミキ", "--exclude", "ナミキ川"]
    )
    assert result.exit_code == 0
    return url


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_with_a_bad_line_then_rerun(database_url: str, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "posts.jsonl",
        [json.dumps(p, ensure_ascii=False) for p in POSTS[:2]]
        + ["{壊れた", json.dumps(POSTS[2], ensure_ascii=False)],
    )
    result = runner.invoke(app, ["ingest", "--watch", WATCH, str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:3: JSON として読めません")
    assert (
        result.stdout.strip()
        == "「ナミキ住宅」に取り込みました: 読み込み 4 件（追加 2 件、既存 0 件、除外 1 件、不正 1 件）"
    )
    rerun = runner.invoke(app, ["ingest", "--watch", WATCH, str(path)])
    assert "追加 0 件、既存 2 件" in rerun.stdout
    with Store(database_url) as store:
        hits = {hit.post.source_id: hit for hit in store.search_posts(WATCH)}
    assert set(hits) == {"1", "3"}
    first, third = hits["1"].analysis, hits["3"].analysis
    assert first is not None and third is not None
    assert first.sentiment.negative > first.sentiment.positive  # the real analyzers ran
    assert third.sentiment.positive > third.sentiment.negative
    assert first.model_versions


REVIEWS = (
    "rating,text,date,reply\n"
    "1,ナミキ住宅の担当者が高圧的で最悪でした,2026/05/02,ご不快な思いをおかけし申し訳ございません\n"
    "5,ナミキ住宅のアフターが丁寧で満足,2026/04/28,\n"
)


@pytest.mark.parametrize("explicit", [False, True])
def test_review_export(database_url: str, tmp_path: Path, explicit: bool) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(REVIEWS.encode("cp932"))
    args = ["ingest", "--watch", WATCH, str(path)] + (["--format", "review-csv"] if explicit else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "追加 2 件" in result.stdout
    with Store(database_url) as store:
        ratings = sorted(hit.post.rating or 0 for hit in store.search_posts(WATCH, source="review"))
    assert ratings == [1.0, 5.0]


def test_stdin(database_url: str) -> None:
    result = runner.invoke(
        app, ["ingest", "--watch", WATCH, "-"], input=json.dumps(POSTS[0], ensure_ascii=False)
    )
    assert result.exit_code == 0 and "追加 1 件" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--watch", "ミドリ食品", "posts.jsonl"], "ウォッチ「ミドリ食品」はありません"),
        (["--watch", WATCH, "none.jsonl"], "none.jsonl が見つかりません"),
        (["--watch", WATCH, "--format", "xlsx", "posts.jsonl"], "--format は jsonl, csv, review-csv"),
    ],
)
def test_errors(database_url: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["ingest", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("エラー: ") and message in result.stderr


def test_progress_bar_only_on_a_terminal(database_url: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "posts.jsonl", [json.dumps(p, ensure_ascii=False) for p in POSTS])
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "hikeshi", "ingest", "--watch", WATCH, str(path)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "HIKESHI_DATABASE_URL": database_url, "COLUMNS": "100"},
    )
    os.close(follower)
    terminal = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the pty closes when the process exits
            break
        if not chunk:
            break
        terminal += chunk
    stdout, _ = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 0
    assert "取り込み中" in terminal.decode("utf-8", errors="replace")
    assert "取り込み中" not in stdout.decode() and "追加 2 件" in stdout.decode()


DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
BAD_LINES = [
    (
        '{"source_id": "s", "text": "ナミキ住宅\\ud800の件", "created_at": "2026-05-01T21:20:00"}',
        "text に UTF-8 で表せない文字（対になっていないサロゲート U+D800、6 文字目）があります。"
        "送り元の文字コードの変換を確認してください。",
    ),
    (
        '{"source_id": "a", "author": "\\udfff", "text": "ナミキ住宅", "created_at": "2026-05-01T21:20:00"}',
        "author に UTF-8 で表せない文字（対になっていないサロゲート U+DFFF、1 文字目）があります。"
        "送り元の文字コードの変換を確認してください。",
    ),
    (DEEP_ARRAY, "JSON の入れ子が深すぎます（100 段まで）。"),
    ('{"a":' * 100_000 + "1" + "}" * 100_000, "JSON の入れ子が深すぎます（100 段まで）。"),
    (
        '{"source_id": "t", "text": 5, "created_at": "2026-05-01T21:20:00"}',
        "text（本文）は文字列にしてください（数値が渡されました）。",
    ),
    (
        '{"source_id": "c", "text": "ナミキ住宅の営業", "created_at": []}',
        "created_at は日時の文字列かエポック秒にしてください（配列が渡されました）。",
    ),
    (
        '{"source_id": {"$ne": null}, "text": "ナミキ住宅の営業", "created_at": "2026-05-01T21:20:00"}',
        "source_id は文字列にしてください（オブジェクトが渡されました）。",
    ),
]


@pytest.mark.parametrize(
    ("bad_line", "message"),
    BAD_LINES,
    ids=[
        "surrogate-in-text",
        "surrogate-in-author",
        "deep-array",
        "deep-object",
        "text-number",
        "created_at-array",
        "source_id-object",
    ],
)
def test_a_bad_line_among_good_ones_loses_nothing(
    database_url: str, tmp_path: Path, bad_line: str, message: str
) -> None:
    good = [json.dumps(post, ensure_ascii=False) for post in (POSTS[0], POSTS[2])]
    path = write_jsonl(tmp_path / "posts.jsonl", [good[0], bad_line, good[1]])
    result = runner.invoke(app, ["ingest", "--watch", WATCH, str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}:2: {message}\n"
    assert "読み込み 3 件（追加 2 件、既存 0 件、除外 0 件、不正 1 件）" in result.stdout
    with Store(database_url) as store:
        assert sorted(hit.post.source_id for hit in store.search_posts(WATCH)) == ["1", "3"]
