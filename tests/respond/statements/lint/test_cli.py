"""`statement lint` and `statement consistency` on the command line, bad input included.

The commands live in hikeshi.cli.statement_lint and are registered on the statement group; here they are
mounted on a small app of their own so these tests do not depend on the rest of the group.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from hikeshi.cli.statement_lint import consistency, lint
from hikeshi.respond.statements.lint import MAX_STATEMENT_CHARS

DATA = Path(__file__).parent / "data"
PAPER = DATA / "paper.yaml"
CONDITIONAL = "昨日の投稿で不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。"
SINCERE = "当社の投稿で、ご不快な思いをおかけし、誠に申し訳ございません。"

app = typer.Typer()
app.command("lint")(lint)
app.command("consistency")(consistency)
runner = CliRunner()


def test_jsonl_answers_every_line_in_order_and_reports_bad_ones(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("negative_list:\n  - 田中\n - 佐藤\n", encoding="utf-8")
    lines = [
        json.dumps({"id": "a", "text": SINCERE}, ensure_ascii=False),
        json.dumps({"id": "b", "text": CONDITIONAL, "kind": "statement"}, ensure_ascii=False),
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "text": SINCERE, "kind": ["statement"]}, ensure_ascii=False),
        json.dumps({"id": "e", "text": SINCERE, "kind": "memo"}, ensure_ascii=False),
        json.dumps({"id": "f", "text": SINCERE, "facts": str(broken)}, ensure_ascii=False),
        json.dumps({"id": "g", "text": "   "}),
        json.dumps({"id": "h", "text": "あ" * 1_048_576}, ensure_ascii=False),
        "{not json",
        json.dumps(
            {"id": "i", "text": "田中 花子様にお詫びしました。", "facts": str(PAPER)}, ensure_ascii=False
        ),
        json.dumps({"id": "j", "text": SINCERE, "facts": str(broken)}, ensure_ascii=False),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", "--jsonl", str(path)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "d", "e", "f", "g", "h", None, "i", "j"]
    assert out[0]["level"] == "ok" and set(out[0]) == {"id", "level", "findings", "sections", "missing"}
    assert out[1]["level"] == "danger" and "contact" in out[1]["missing"]
    assert out[1]["findings"][0]["category"] == "conditional_apology"
    errors = {o["id"]: o for o in out if "error" in o}
    assert set(errors) == {"c", "d", "e", "f", "g", "h", None, "j"}
    assert errors["f"]["line"] == 6 and f"{broken}:3:" in errors["f"]["error"]
    assert "文字列" in errors["c"]["error"] and "memo" in errors["e"]["error"]
    assert "空" in errors["g"]["error"] and f"{MAX_STATEMENT_CHARS:,}" in errors["h"]["error"]
    assert out[9]["level"] == "danger" and out[9]["findings"][0]["category"] == "negative_list"
    for number in (3, 4, 5, 6, 7, 8, 9, 11):
        assert f"{path}:{number}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_jsonl_from_stdin_with_default_kind_and_facts() -> None:
    data = json.dumps({"id": 1, "text": "田中 花子様にお詫びしました。"}, ensure_ascii=False) + "\n"
    result = runner.invoke(app, ["lint", "--jsonl", "-", "--kind", "sns", "--facts", str(PAPER)], input=data)
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["id"] == 1 and answer["missing"] == [] and answer["level"] == "danger"


def test_single_text_is_human_readable() -> None:
    result = runner.invoke(app, ["lint", "--kind", "statement", CONDITIONAL])
    assert result.exit_code == 0
    assert "判定: 危険" in result.stdout
    assert "【不快な思いをされた方がいらっしゃったのであれば】" in result.stdout
    assert "理由:" in result.stdout and "対策:" in result.stdout
    assert "足りない項目:" in result.stdout and "問い合わせ先" in result.stdout


def test_single_text_as_json_and_from_stdin() -> None:
    result = runner.invoke(app, ["lint", "--format", "json"], input=SINCERE)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["level"] == "ok"


def test_single_text_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    empty = runner.invoke(app, ["lint", "  "])
    assert empty.exit_code == 2 and "空です" in empty.stderr
    broken = tmp_path / "paper.yaml"
    broken.write_text("negative_list:\n  - 田中\n\tbad: 1\n", encoding="utf-8")
    bad_facts = runner.invoke(app, ["lint", "--facts", str(broken), SINCERE])
    assert bad_facts.exit_code == 2 and f"{broken}:3:" in bad_facts.stderr
    huge = runner.invoke(app, ["lint", "あ" * (MAX_STATEMENT_CHARS + 1)])
    assert huge.exit_code == 2 and "長すぎます" in huge.stderr
    assert "Traceback" not in empty.stderr + bad_facts.stderr + huge.stderr


def test_consistency_exit_codes(tmp_path: Path) -> None:
    release = tmp_path / "release.md"
    release.write_text("ご連絡をいただいたお客様は5名です。\n", encoding="utf-8")
    qa = tmp_path / "qa.txt"
    qa.write_text("A. ご連絡をいただいたお客様は５名です。\n", encoding="utf-8")
    same = runner.invoke(app, ["consistency", "--facts", str(PAPER), str(release), str(qa)])
    assert same.exit_code == 0 and same.stdout == "" and "見つかりませんでした" in same.stderr
    qa.write_text("A. ご連絡をいただいたお客様は6名です。\n", encoding="utf-8")
    differ = runner.invoke(app, ["consistency", "--facts", str(PAPER), str(release), str(qa)])
    assert differ.exit_code == 1
    mismatch = json.loads(differ.stdout.splitlines()[0])
    assert mismatch["kind"] == "count" and mismatch["expected"] == "5名"
    assert mismatch["mentions"][0]["file"] == str(qa) and mismatch["mentions"][0]["line"] == 1
    between = runner.invoke(app, ["consistency", str(release), str(qa)])
    assert between.exit_code == 1 and len(between.stdout.splitlines()) == 1


def test_consistency_bad_input(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["consistency", str(tmp_path / "none.md")])
    assert missing.exit_code == 2 and "見つかりません" in missing.stderr
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    release = tmp_path / "release.md"
    release.write_text("お詫び申し上げます。\n", encoding="utf-8")
    no_paper = runner.invoke(app, ["consistency", "--facts", str(empty), str(release)])
    assert no_paper.exit_code == 2 and "空です" in no_paper.stderr


def test_the_statement_group_serves_both_commands_through_the_entry_point(tmp_path: Path) -> None:
    """The installed command, so that stdout (answers) and stderr (line errors) are really separate."""
    data = "\n".join(
        [
            json.dumps({"id": "a", "text": CONDITIONAL, "kind": "sns"}, ensure_ascii=False),
            '{"id": "b", "text": 5}',
        ]
    )
    result = subprocess.run(
        [sys.executable, "-m", "hikeshi", "statement", "lint", "--jsonl", "-"],
        input=data,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert result.stderr.startswith("-:2: ") and "Traceback" not in result.stderr
    release = tmp_path / "release.md"
    release.write_text("ご連絡をいただいたお客様は５名です。\n", encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "hikeshi", "statement", "consistency", "--facts", str(PAPER), str(release)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0 and checked.stdout == ""
