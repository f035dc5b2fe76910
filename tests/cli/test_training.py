"""`hikeshi training …` end to end on a real SQLite file: the bank as DESIGN.md says, enrol, take, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import build_app
from hikeshi.respond.training import ExamKind, ItemType, TrainingRole, exam_items
from tests.respond.training.support import key_answer, wrong_answer


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    return url


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app("training"), ["training", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_the_bank_is_one_item_a_line_as_design_says() -> None:
    code, out, _ = invoke("bank", "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) >= 300
    assert {line["role"] for line in lines} == {role.value for role in TrainingRole}
    assert {line["type"] for line in lines} == {kind.value for kind in ItemType}
    for line in lines:
        assert {"id", "role", "type", "prompt", "answer", "explanation"} <= set(line)
        if line["type"] == "send_or_not":
            assert line["answer"] in ("risky", "fine")
    code, out, _ = invoke("bank", "--role", "sales", "--type", "send_or_not", "--format", "jsonl")
    sales = [json.loads(line) for line in out.splitlines()]
    assert len(sales) == 26 and {line["role"] for line in sales} == {"sales"}


def test_the_bank_reads_as_text_with_answers_and_explanations() -> None:
    code, out, _ = invoke("bank", "--role", "営業・お客様への連絡", "--type", "find_span")
    assert code == 0
    assert "[sales-span-01] 営業・お客様への連絡・危ない箇所を探す" in out
    assert "答え: 「私たちもプロとして成功報酬で仕事をしている」" in out and "全 10 問" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("bank", "--format", "csv"), "--format は text か jsonl"),
        (("bank", "--role", "ceo"), "役割 'ceo' はありません"),
        (("bank", "--type", "essay"), "--type は"),
    ],
)
def test_bad_options_are_one_clear_line(args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2 and message in err


def test_enrol_take_with_an_answers_file_and_report(database: str, tmp_path: Path) -> None:
    assert invoke("enrol", "山田 花子", "--department", "営業部", "--role", "sales")[1].startswith(
        "山田 花子（営業部"
    )
    items = exam_items(TrainingRole.SALES, ExamKind.PRE)
    answers = tmp_path / "answers.jsonl"
    lines = [
        json.dumps({"id": item.id, "answer": key_answer(item)}, ensure_ascii=False) for item in items[:6]
    ]
    lines += ["{not json", json.dumps({"id": "manager-son-01", "answer": "risky"})]
    lines += [json.dumps({"id": items[6].id, "answer": "maybe"})]
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = invoke("take", "山田 花子", "--test", "pre", "--answers", str(answers))
    assert code == 1
    assert f"{answers}:7: JSON として読めません" in err
    assert f"{answers}:8: id 'manager-son-01' は事前テスト" in err
    assert f"{answers}:9: {items[6].id}: " in err  # the item's own message: what answer it expects
    assert "6/12 問回答、50.0 点" in out  # the good lines are kept
    rest = [
        json.dumps({"id": item.id, "answer": wrong_answer(item)}, ensure_ascii=False) for item in items[6:]
    ]
    code, out, _ = invoke(
        "take", "山田 花子", "--test", "pre", "--answers", "-", stdin="\n".join(rest) + "\n"
    )
    assert code == 0 and "12/12 問回答、50.0 点" in out
    csv = tmp_path / "修了一覧.csv"
    code, out, _ = invoke("report", "--csv", str(csv))
    assert code == 0 and "営業部: 受講者 1 人、事前テスト済み 1 人（平均 50.0 点）" in out
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "山田 花子,営業部,営業・お客様への連絡,50.0," in csv.read_text(encoding="utf-8-sig")


def test_an_interactive_test_asks_one_item_at_a_time_and_explains(database: str) -> None:
    invoke("enrol", "佐藤 一郎", "-d", "広報部", "-r", "sns_staff")
    items = exam_items(TrainingRole.SNS_STAFF, ExamKind.POST)
    typed = []
    for item in items[:3]:
        if item.type is ItemType.SEND_OR_NOT:
            typed.append("2" if item.verdict == "risky" else "1")
        elif item.type is ItemType.RULE:
            typed.append(item.correct_choice or "")
        elif item.type is ItemType.SCENARIO:
            typed += [step.correct_id for step in item.steps]
        elif item.type is ItemType.REWRITE:
            typed.append(item.model_answer or "")
        else:
            typed.append("1")
    code, out, _ = invoke("take", "佐藤 一郎", "--test", "post", stdin="\n".join(typed) + "\n")
    assert code == 0
    assert "第 1 問 / 12" in out and "解説:" in out
    assert "中断しました。ここまでの回答は保存されています。" in out
    code, out, _ = invoke("report", "--department", "広報部")
    assert "佐藤 一郎（広報部・SNS 担当）" in out


def test_unknown_trainees_and_tests_are_refused(database: str) -> None:
    code, _, err = invoke("take", "誰か", "--test", "pre")
    assert code == 2 and "training enrol" in err
    invoke("enrol", "山田 花子", "-d", "営業部", "-r", "sales")
    code, _, err = invoke("take", "山田 花子", "--test", "mid")
    assert code == 2 and "pre（事前テスト）か post（事後テスト）" in err
