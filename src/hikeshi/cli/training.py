"""`hikeshi training …`: the question bank, enrolment, the pre- and post-tests and the completion report.

`take` asks one item at a time in a terminal (a scenario unfolds step by step) and shows the explanation after
each answer; with `--answers FILE.jsonl` it records scripted answers (`{"id", "answer"}` per line) instead,
reporting bad lines with their numbers and keeping the good ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from hikeshi.cli.jsonlines import open_binary, read_json_lines
from hikeshi.cli.watch import fail, open_store
from hikeshi.errors import ConflictError, HikeshiError, InputError
from hikeshi.respond.training import (
    BankItem,
    ExamKind,
    ItemType,
    Trainee,
    TrainingStore,
    completion_csv,
    exam_items,
    items_for,
    parse_answer,
    parse_role,
    score,
)
from hikeshi.respond.training.exams import PASS_MARK
from hikeshi.respond.training.records import ItemScore
from hikeshi.respond.training.scoring import chunks

app = typer.Typer(no_args_is_help=True, help="役割別の研修: 問題集、事前・事後テスト、進み具合と修了の一覧。")

RoleOption = Annotated[
    str | None,
    typer.Option(
        "--role", "-r", help="new_hire, sales, sns_staff, manager, call_centre（日本語の名前も可）。"
    ),
]


def _exam(value: str) -> ExamKind:
    try:
        return ExamKind(value)
    except ValueError:
        raise InputError(f"--test は pre（事前テスト）か post（事後テスト）です（{value!r}）。") from None


@app.command("bank", help="問題集を表示します。--format jsonl で 1 行 1 問の JSON。")
def bank(
    role: RoleOption = None,
    item_type: Annotated[
        str | None, typer.Option("--type", help="send_or_not, find_span, rewrite, scenario, rule。")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または jsonl。")] = "text",
) -> None:
    try:
        if output_format not in ("text", "jsonl"):
            raise InputError(f"--format は text か jsonl です（{output_format!r}）。")
        wanted = ItemType(item_type) if item_type else None
        items = [
            item for item in items_for(parse_role(role) if role else None) if wanted in (None, item.type)
        ]
    except ValueError:
        raise fail(f"--type は {', '.join(kind.value for kind in ItemType)} のいずれかです。") from None
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "jsonl":
        for item in items:
            sys.stdout.write(json.dumps(item.public_json(), ensure_ascii=False) + "\n")
        return
    for item in items:
        _print_item(item, with_answer=True)
    typer.echo(f"全 {len(items)} 問")


@app.command("enrol", help="受講者を登録します（登録済みなら部署と役割を更新）。")
def enrol(
    name: Annotated[str, typer.Argument(help="受講者の氏名（Web 画面ではログイン名）。")],
    department: Annotated[str, typer.Option("--department", "-d", help="部署。")],
    role: Annotated[
        str, typer.Option("--role", "-r", help="new_hire, sales, sns_staff, manager, call_centre。")
    ],
) -> None:
    try:
        with open_store() as store:
            trainee, created = TrainingStore(store).enrol(name, department, parse_role(role))
    except HikeshiError as error:
        raise fail(error) from None
    verb = "登録しました" if created else "登録内容を更新しました"
    typer.echo(f"{trainee.name}（{trainee.department}・{trainee.role.label}）を{verb}。")


@app.command("take", help="事前・事後テストを受けます（端末で 1 問ずつ。--answers で回答ファイル）。")
def take(
    name: Annotated[str, typer.Argument(help="登録済みの受講者の氏名。")],
    test: Annotated[str, typer.Option("--test", "-t", help="pre（事前テスト）または post（事後テスト）。")],
    answers: Annotated[
        str | None,
        typer.Option("--answers", help='回答の JSON lines（1 行 {"id", "answer"}、- で標準入力）。'),
    ] = None,
) -> None:
    try:
        exam = _exam(test)
        with open_store() as store:
            training = TrainingStore(store)
            trainee = training.trainee(name)
            if answers is not None:
                bad = _take_scripted(training, trainee, exam, answers)
            else:
                bad = 0
                _take_interactive(training, trainee, exam)
            _print_result(training, trainee, exam)
    except HikeshiError as error:
        raise fail(error) from None
    if bad:
        raise typer.Exit(code=1)


@app.command(
    "report", help="部署ごとの受講状況と、受講者ごとの得点を表示します。--csv で修了一覧を書き出します。"
)
def report(
    department: Annotated[str | None, typer.Option("--department", "-d", help="この部署だけ。")] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="修了一覧の CSV（UTF-8・BOM 付き）の書き出し先。")
    ] = None,
) -> None:
    try:
        with open_store() as store:
            training = TrainingStore(store)
            summaries = training.department_summaries(department)
            progress = training.progress_all(department)
        if csv_path is not None:
            try:
                csv_path.write_text(completion_csv(progress), encoding="utf-8", newline="")
            except OSError as error:
                raise InputError(f"{csv_path} に書き込めません: {error.strerror}") from None
    except HikeshiError as error:
        raise fail(error) from None
    if not progress:
        typer.echo("受講者はいません。`hikeshi training enrol` で登録してください。")
    for summary in summaries:
        typer.echo(
            f"{summary.department}: 受講者 {summary.trainees} 人、事前テスト済み {summary.pre_done} 人"
            f"（平均 {_mean(summary.mean_pre)}）、事後テスト済み {summary.post_done} 人"
            f"（平均 {_mean(summary.mean_post)}）、修了 {summary.completed} 人（{summary.completion_rate:.0%}）"
        )
    for entry in progress:
        pre = f"{entry.pre.score:.1f}" if entry.pre and entry.pre.complete else "—"
        post = f"{entry.post.score:.1f}" if entry.post and entry.post.complete else "—"
        status = "修了" if entry.completed else "未修了"
        typer.echo(
            f"  {entry.trainee.name}（{entry.trainee.department}・{entry.trainee.role.label}）"
            f" 事前 {pre} / 事後 {post}  {status}"
        )
    if csv_path is not None:
        typer.echo(f"修了一覧を {csv_path} に書き出しました（{len(progress)} 人）。")


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} 点"


# --- taking a test ----------------------------------------------------------------------------------------------


def _take_scripted(training: TrainingStore, trainee: Trainee, exam: ExamKind, source: str) -> int:
    """Record each line's answer; returns the number of lines refused (each reported on stderr)."""
    items = {item.id: item for item in exam_items(trainee.role, exam)}
    bad = 0
    with open_binary(source) as handle:
        for line in read_json_lines(handle):
            try:
                if line.record is None:
                    raise InputError(line.error or "読めない行です。")
                item_id = line.record.get("id")
                if not isinstance(item_id, str) or item_id not in items:
                    raise InputError(
                        f"id {item_id!r} は{exam.label}（{trainee.role.label}）の問題ではありません。"
                    )
                if "answer" not in line.record:
                    raise InputError('"answer" がありません。')
                _record(training, trainee, exam, items[item_id], line.record["answer"])
            except (InputError, ConflictError) as error:
                bad += 1
                typer.echo(f"{source}:{line.number}: {error}", err=True)
    return bad


def _record(training: TrainingStore, trainee: Trainee, exam: ExamKind, item: BankItem, raw: Any) -> ItemScore:
    answer = parse_answer(item, raw)
    result = score(item, answer)
    training.record(trainee, exam, training.answering_sitting(trainee, exam), item.id, answer.value, result)
    return result


def _take_interactive(training: TrainingStore, trainee: Trainee, exam: ExamKind) -> None:
    sitting = training.answering_sitting(trainee, exam)
    answered = {attempt.item_id for attempt in training.attempts(trainee, exam, sitting)}
    items = exam_items(trainee.role, exam)
    typer.echo(
        f"{trainee.name} さんの{exam.label}（{trainee.role.label}・全 {len(items)} 問、第 {sitting} 回）"
    )
    for number, item in enumerate(items, start=1):
        if item.id in answered:
            continue
        typer.echo(f"\n── 第 {number} 問 / {len(items)}  {item.type.label} ──")
        try:
            raw = _ask(item)
        except typer.Abort:
            typer.echo("\n中断しました。ここまでの回答は保存されています。続きは同じコマンドで受けられます。")
            return
        try:
            result = _record(training, trainee, exam, item, raw)
        except InputError as error:
            typer.echo(f"回答を読めませんでした: {error}（この問題は後で受け直せます）")
            continue
        _print_feedback(item, result)


def _ask(item: BankItem) -> Any:
    _print_item(item, with_answer=False)
    if item.type is ItemType.SEND_OR_NOT:
        sent = _prompt("1: このまま送る  2: 送らない（危ない）", {"1", "2"})
        return "fine" if sent == "1" else "risky"
    if item.type is ItemType.FIND_SPAN:
        pieces = chunks(item.prompt)
        for index, (start, end) in enumerate(pieces, start=1):
            typer.echo(f"  [{index}] {item.prompt[start:end]}")
        typed = typer.prompt("危ない部分の番号（カンマ区切り、例 1,3）", default="", show_default=False)
        numbers = [part.strip() for part in typed.replace("、", ",").split(",") if part.strip()]
        valid = [int(part) for part in numbers if part.isdigit() and 1 <= int(part) <= len(pieces)]
        return [{"start": pieces[n - 1][0], "end": pieces[n - 1][1]} for n in valid]
    if item.type is ItemType.REWRITE:
        return typer.prompt("書き直した文面（1 行で）")
    if item.type is ItemType.SCENARIO:
        chosen = []
        for number, step in enumerate(item.steps, start=1):
            typer.echo(f"\n場面 {number}: {step.situation}")
            for choice in step.choices:
                typer.echo(f"  {choice.id}) {choice.text}")
            picked_id = _prompt("次の行動は？", {choice.id for choice in step.choices})
            picked = next(choice for choice in step.choices if choice.id == picked_id)
            typer.echo(("○ " if picked.correct else "× ") + (picked.explanation or ""))
            chosen.append(picked_id)
        return chosen
    for choice in item.choices:
        typer.echo(f"  {choice.id}) {choice.text}")
    return _prompt("答えの記号", {choice.id for choice in item.choices})


def _prompt(text: str, allowed: set[str]) -> str:
    while True:
        value = str(typer.prompt(text)).strip().lower()
        if value in allowed:
            return value
        typer.echo(f"{'・'.join(sorted(allowed))} のどれかを入れてください。")


def _print_item(item: BankItem, *, with_answer: bool) -> None:
    if with_answer:
        typer.echo(f"\n[{item.id}] {item.role.label}・{item.type.label}")
    if item.situation:
        typer.echo(f"状況: {item.situation}")
    label = "問い" if item.type in (ItemType.RULE, ItemType.SCENARIO) else "文面"
    typer.echo(f"{label}: {item.prompt}")
    if item.type is ItemType.REWRITE:
        typer.echo(f"残す内容: {'、'.join(group.replace('|', '／') for group in item.keep)}")
    if not with_answer:
        return
    if item.type is ItemType.RULE:
        for choice in item.choices:
            typer.echo(f"  {choice.id}) {choice.text}")
    if item.type is ItemType.SCENARIO:
        for number, step in enumerate(item.steps, start=1):
            typer.echo(f"  場面 {number}: {step.situation} → 正解 {step.correct_id}")
    typer.echo(f"答え: {_answer_text(item)}")
    typer.echo(f"解説: {item.full_explanation}")


def _answer_text(item: BankItem) -> str:
    if item.type is ItemType.SEND_OR_NOT:
        return "送らない（危ない）" if item.verdict == "risky" else "送ってよい"
    if item.type is ItemType.FIND_SPAN:
        return " / ".join(f"「{span.text}」" for span in item.spans)
    if item.type is ItemType.SCENARIO:
        return "・".join(step.correct_id for step in item.steps)
    return str(item.answer)


def _print_feedback(item: BankItem, result: ItemScore) -> None:
    verdict = "正解" if result.correct else ("一部正解" if result.score > 0 else "不正解")
    typer.echo(f"\n{verdict}（{result.score:.1f} 点 / 1 点）")
    if not result.correct:
        typer.echo(f"答え: {_answer_text(item)}")
    for line in result.feedback:
        if item.type is not ItemType.SCENARIO:
            typer.echo(line)
    typer.echo(f"解説: {item.full_explanation}")


def _print_result(training: TrainingStore, trainee: Trainee, exam: ExamKind) -> None:
    sitting = training.current_sitting(trainee, exam)
    if sitting is None:
        latest = [attempt.sitting for attempt in training.attempts(trainee, exam)]
        sitting = max(latest) if latest else None
    if sitting is None:
        typer.echo(f"{exam.label}の回答はまだありません。")
        return
    result = training.sitting_result(trainee, exam, sitting)
    typer.echo(
        f"\n{exam.label}（第 {sitting} 回）: {result.answered}/{result.total} 問回答、{result.score:.1f} 点"
    )
    if result.complete and exam is ExamKind.POST:
        passed = "修了です" if result.score >= PASS_MARK else f"修了には {PASS_MARK:.0f} 点以上が必要です"
        typer.echo(passed + "。")
