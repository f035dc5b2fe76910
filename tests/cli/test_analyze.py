import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app
from hikeshi.cli.analyze import run_jsonl
from hikeshi.guard import default_guard

runner = CliRunner()
EMOTIONS = {"joy", "sadness", "anticipation", "surprise", "anger", "fear", "disgust", "trust"}


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_jsonl_file_in_input_order_with_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "posts.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": "p1", "text": "推しのライブ最高だった！"}, ensure_ascii=False),
                "{not json",
                "",
                json.dumps({"id": 7, "text": "対応が最悪。二度と買わない", "extra": 1}, ensure_ascii=False),
                json.dumps({"id": "p3"}),
                json.dumps(["not", "an", "object"]),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", "--jsonl", str(source)])
    assert result.exit_code == 1
    rows = _lines(result.stdout)
    assert [row["id"] for row in rows] == ["p1", None, 7, "p3", None]
    assert [row.get("line") for row in rows] == [None, 2, None, 5, 6]
    good, bad = rows[0], rows[1]
    assert set(good) == {"id", "sentiment", "emotions", "harm", "risk"}
    assert set(good["sentiment"]) == {"negative", "neutral", "positive"}
    assert set(good["emotions"]) == EMOTIONS
    assert "JSON" in str(bad["error"])
    guard_categories = {f.category for f in default_guard().check("対応が最悪。二度と買わない").findings}
    assert set(rows[2]["harm"]) == guard_categories  # harm is the guard's own judgement
    assert f"{source}:2:" in result.stderr
    assert f"{source}:5:" in result.stderr


def test_jsonl_from_stdin() -> None:
    lines = [
        json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(["嬉しい！", "悲しい"])
    ]
    result = runner.invoke(app, ["analyze", "--jsonl", "-"], input="\n".join(lines).encode("utf-8"))
    assert result.exit_code == 0, result.output
    first, second = _lines(result.stdout)
    assert first["sentiment"]["positive"] > second["sentiment"]["positive"]


@pytest.mark.parametrize("batch_size", [1, 2, 256])
def test_batches_keep_positions(tmp_path: Path, batch_size: int) -> None:
    import io

    texts = ["最高", "最悪", "", "普通の日", "楽しみ！"]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(texts)) + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert run_jsonl(str(source), out, batch_size=batch_size)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [0, 1, 2, 3, 4]


def test_single_text_and_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", "ありがとうございました！"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sentiment"]["positive"] > 0.5
    missing = runner.invoke(app, ["analyze", "--jsonl", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("エラー: ")
    both = runner.invoke(app, ["analyze", "x", "--jsonl", "-"])
    assert both.exit_code == 2
    assert "同時に指定できません" in both.stderr
    invalid = tmp_path / "latin1.jsonl"
    invalid.write_bytes('{"id": 1, "text": "caf\xe9"}\n'.encode("latin-1"))
    bad_encoding = runner.invoke(app, ["analyze", "--jsonl", str(invalid)])
    assert bad_encoding.exit_code == 1
    assert "UTF-8" in bad_encoding.stderr


BAD_LINES = [
    (
        '{"id": "s", "text": "推しのライブ\\ud800最高"}',
        "s",
        "text に UTF-8 で表せない文字（対になっていないサロゲート U+D800、7 文字目）があります。"
        "送り元の文字コードの変換を確認してください。",
    ),
    ("[" * 100_000 + "]" * 100_000, None, "JSON の入れ子が深すぎます（100 段まで）。"),
    (
        '{"id": "o", "text": ' + '{"a":' * 100_000 + "1" + "}" * 100_000 + "}",
        None,
        "JSON の入れ子が深すぎます（100 段まで）。",
    ),
    ('{"id": "t", "text": ["対応が最悪"]}', "t", '"text" は文字列にしてください（配列が渡されました）。'),
]


@pytest.mark.parametrize(
    ("bad_line", "bad_id", "message"),
    BAD_LINES,
    ids=["surrogate-in-text", "deep-array", "deep-text", "text-array"],
)
def test_a_bad_line_among_good_ones_is_answered_in_place(
    tmp_path: Path, bad_line: str, bad_id: str | None, message: str
) -> None:
    good = [
        json.dumps({"id": i, "text": t}, ensure_ascii=False)
        for i, t in (("g1", "嬉しい！"), ("g2", "悲しい"))
    ]
    source = tmp_path / "posts.jsonl"
    source.write_text("\n".join([good[0], bad_line, good[1]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", "--jsonl", str(source)])
    assert result.exit_code == 1
    first, bad, last = _lines(result.stdout)
    assert (first["id"], last["id"]) == ("g1", "g2") and "sentiment" in first and "sentiment" in last
    assert bad == {"id": bad_id, "line": 2, "error": message}
    assert result.stderr == f"{source}:2: {message}\n"


def test_repeated_ids_are_warned_about_and_still_answered(tmp_path: Path) -> None:
    source = tmp_path / "posts.jsonl"
    source.write_text('{"id": 3, "text": "嬉しい！"}\n\n{"id": 3, "text": "悲しい"}\n', encoding="utf-8")
    result = runner.invoke(app, ["analyze", "--jsonl", str(source)])
    assert result.exit_code == 0
    assert [row["id"] for row in _lines(result.stdout)] == [3, 3]
    assert result.stderr == f"{source}:3: 警告: id 3 は 1 行目と同じです（どちらにも回答します）。\n"
