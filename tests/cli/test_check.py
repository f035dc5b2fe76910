import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app

runner = CliRunner()
SALES_REP_LINE = "先にわかっていたら会社や私も無駄な時間は使わない"


def test_human_output_is_japanese_and_marks_spans() -> None:
    result = runner.invoke(app, ["check", SALES_REP_LINE])
    assert result.exit_code == 0
    assert "判定: 危険" in result.output
    assert "【無駄な時間】" in result.output
    assert "理由:" in result.output


def test_json_output() -> None:
    result = runner.invoke(app, ["check", "--format", "json", SALES_REP_LINE])
    payload = json.loads(result.output)
    assert payload["level"] == "danger"
    assert {"start", "end", "category", "severity", "reason", "suggestion"} <= set(payload["findings"][0])


def test_stdin_single_text() -> None:
    result = runner.invoke(app, ["check", "--format", "json"], input=SALES_REP_LINE.encode())
    assert json.loads(result.output)["level"] == "danger"


def test_jsonl_keeps_order_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"id": "a", "text": SALES_REP_LINE, "channel": "line", "audience": "customer"}, ensure_ascii=False
        ),
        "{not json",
        json.dumps({"id": 7, "text": "よろしくお願いいたします", "extra": [1, 2]}, ensure_ascii=False),
        json.dumps({"id": "no-text"}),
        "",
        json.dumps({"id": "bad-channel", "text": "x", "channel": "fax"}),
        json.dumps({"id": "emoji", "text": "🙇‍♂️(´;ω;`)ｳｯ…\x01"}, ensure_ascii=False),
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe broken\n")
    # Run the installed entry point so stdout and stderr are really separate streams.
    result = subprocess.run(
        [sys.executable, "-m", "hikeshi", "check", "--jsonl", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in outputs] == ["a", None, 7, "no-text", "bad-channel", "emoji", None]
    assert outputs[0]["level"] == "danger"
    assert outputs[2]["level"] == "ok"
    assert "error" in outputs[1] and outputs[1]["line"] == 2
    assert outputs[5]["level"] in ("ok", "caution", "danger")
    assert f"{path}:2:" in result.stderr
    assert f"{path}:4:" in result.stderr
    assert f"{path}:6:" in result.stderr
    assert f"{path}:8:" in result.stderr and "UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_jsonl_from_stdin() -> None:
    data = json.dumps({"id": 1, "text": SALES_REP_LINE}, ensure_ascii=False) + "\n"
    result = runner.invoke(app, ["check", "--jsonl", "-"], input=data.encode())
    assert result.exit_code == 0
    assert json.loads(result.output.splitlines()[0])["id"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--jsonl", "/nonexistent/file.jsonl"], "開けません"),
        (["check", "--format", "xml", "テスト"], "--format"),
        (["check", "--date", "3月11日", "テスト"], "日付"),
        (["check", "--policy", "/nonexistent/policy.yaml", "テスト"], "見つかりません"),
        (["check", ""], "空です"),
        (["check", "--format", "json", " \u3000\n"], "空です"),
        (["check", "\u200b\u200b"], "空です"),
    ],
)
def test_bad_arguments_give_one_clear_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_invalid_utf8_argument_is_reported() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hikeshi", "check", b"\xff\xfe".decode("utf-8", "surrogateescape")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


BAD_LINES = [
    (
        '{"id": "s", "text": "ご検討\\ud800ありがとうございました"}',
        "s",
        "text に UTF-8 で表せない文字（対になっていないサロゲート U+D800、4 文字目）があります。"
        "送り元の文字コードの変換を確認してください。",
    ),
    ('{"id": "\\udc00", "text": "ご検討ありがとうございました"}', None, "id に UTF-8 で表せない文字"),
    ("[" * 100_000 + "]" * 100_000, None, "JSON の入れ子が深すぎます（100 段まで）。"),
    (
        '{"id": "d", "text": "x", "meta": ' + "[" * 200 + "]" * 200 + "}",
        "d",
        "meta の JSON の入れ子が深すぎます",
    ),
    ('{"id": "t", "text": 5}', "t", '"text" は文字列にしてください（数値が渡されました）。'),
    (
        '{"id": "c", "text": "ご検討ありがとうございました", "channel": []}',
        "c",
        "channel の値が正しくありません",
    ),
]


@pytest.mark.parametrize(
    ("bad_line", "bad_id", "message"),
    BAD_LINES,
    ids=["surrogate-in-text", "surrogate-in-id", "deep-array", "deep-field", "text-number", "channel-array"],
)
def test_a_bad_line_among_good_ones_is_answered_in_place(
    tmp_path: Path, bad_line: str, bad_id: str | None, message: str
) -> None:
    good = [
        json.dumps({"id": "g1", "text": SALES_REP_LINE}, ensure_ascii=False),
        '{"id": "g2", "text": "了解です"}',
    ]
    path = tmp_path / "drafts.jsonl"
    path.write_text("\n".join([good[0], bad_line, good[1]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--jsonl", str(path)])
    assert result.exit_code == 1
    first, bad, last = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["id"], first["level"], last["id"], last["level"]) == ("g1", "danger", "g2", "ok")
    assert (bad["id"], bad["line"]) == (bad_id, 2) and bad["error"].startswith(message)
    assert result.stderr == f"{path}:2: {bad['error']}\n"


def test_repeated_ids_are_warned_about_and_still_answered(tmp_path: Path) -> None:
    path = tmp_path / "drafts.jsonl"
    lines = [
        {"id": "a", "text": SALES_REP_LINE},
        {"id": 1, "text": "了解です"},
        {"id": "a", "text": "了解です"},
    ]
    path.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", "--jsonl", str(path)])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", 1, "a"]
    assert result.stderr == f'{path}:3: 警告: id "a" は 1 行目と同じです（どちらにも回答します）。\n'
