"""`hikeshi incident …`: open, follow and close incidents from the command line (the same library as the web)."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from hikeshi.cli.watch import fail, open_store
from hikeshi.errors import HikeshiError, InputError
from hikeshi.respond.incidents.records import (
    INCIDENT_STATUS_LABELS,
    INCIDENT_TYPE_LABELS,
    ROLE_LABELS,
    SEVERITY_LABELS,
    IncidentDetail,
    IncidentStatus,
    IncidentType,
    Role,
)
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import due_time, load_playbook
from hikeshi.settings import load_settings
from hikeshi.timezones import JST, utc_now

app = typer.Typer(no_args_is_help=True, help="インシデント（1 件の炎上への対応）を開き、進め、閉じます。")

IdArgument = Annotated[int, typer.Argument(help="インシデントの番号。")]
ByOption = Annotated[str | None, typer.Option("--by", help="操作した人の名前（既定: ログイン名）。")]


def _actor(by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _choice(value: str, labels: Mapping[Any, str], what: str) -> str:
    """Accept the code (`commander`) or the Japanese label (`責任者`)."""
    for code, label in labels.items():
        if value in (str(code), label):
            return str(code)
    options = "、".join(f"{code}（{label}）" for code, label in labels.items())
    raise InputError(f"{what} {value!r} はありません。次のいずれかです: {options}")


@app.command("list", help="インシデントの一覧（新しい順）。訓練（drill）は --all のときだけ含めます。")
def list_incidents(
    watch: Annotated[str | None, typer.Option("--watch", "-w", help="このウォッチのものだけ。")] = None,
    include_all: Annotated[bool, typer.Option("--all", help="訓練のインシデントも含めます。")] = False,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または jsonl。")] = "text",
) -> None:
    try:
        if output_format not in ("text", "jsonl"):
            raise InputError(f"--format は text か jsonl です（{output_format!r}）。")
        with open_store() as store:
            found = IncidentStore(store).list_incidents(watch, include_drills=include_all)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "jsonl":
        for incident in found:
            sys.stdout.write(json.dumps(incident.summary_json(), ensure_ascii=False) + "\n")
        return
    if not found:
        typer.echo("インシデントはありません。")
        return
    for incident in found:
        drill = " [訓練]" if incident.drill else ""
        typer.echo(
            f"{incident.id:>4}  {incident.opened_at.astimezone(JST):%Y-%m-%d %H:%M}  "
            f"{incident.status_label:<4}  深刻度 {incident.severity} {incident.severity_label}  "
            f"{incident.watch}  {incident.title}{drill}"
        )


@app.command(
    "open",
    help="インシデントを手で開きます。例: hikeshi incident open --watch ミナト住建 --title 営業の LINE",
)
def open_incident(
    watch: Annotated[str, typer.Option("--watch", "-w", help="対象のウォッチ。")],
    title: Annotated[str, typer.Option("--title", "-t", help="インシデントの名前。")],
    severity: Annotated[int, typer.Option("--severity", min=1, max=4, help="深刻度 1〜4。")] = 3,
    incident_type: Annotated[
        str, typer.Option("--type", help="批判集中型・議論過熱型・荒らし型・不明（criticism など）。")
    ] = "unknown",
    drill: Annotated[
        bool, typer.Option("--drill", help="訓練として開きます（実績の集計に含めません）。")
    ] = False,
    by: ByOption = None,
) -> None:
    try:
        kind = IncidentType(_choice(incident_type, INCIDENT_TYPE_LABELS, "種類"))
        with open_store() as store:
            incident = IncidentStore(store).open(
                watch,
                title,
                playbook=load_playbook(load_settings().playbook),
                severity=severity,
                actor=_actor(by),
                drill=drill,
                incident_type=kind,
            )
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(str(incident.id))


@app.command("show", help="インシデントの状態・役割・タスク・タイムラインを表示します。")
def show(
    incident_id: IdArgument,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または json。")] = "text",
) -> None:
    try:
        if output_format not in ("text", "json"):
            raise InputError(f"--format は text か json です（{output_format!r}）。")
        with open_store() as store:
            detail = IncidentStore(store).detail(incident_id)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        sys.stdout.write(detail.model_dump_json() + "\n")
        return
    _print_detail(detail)


def _print_detail(detail: IncidentDetail) -> None:
    incident = detail.incident
    now = utc_now()
    typer.echo(f"インシデント {incident.id}: {incident.title}{' [訓練]' if incident.drill else ''}")
    typer.echo(
        f"  ウォッチ {incident.watch} / 状態 {incident.status_label} / 深刻度 {incident.severity} "
        f"{incident.severity_label} / 種類 {incident.type_label}"
    )
    typer.echo(f"  開始 {incident.opened_at.astimezone(JST):%Y-%m-%d %H:%M}（{incident.opened_by}）")
    roles = "、".join(
        f"{label}: {incident.roles.get(role.value, '未定')}" for role, label in ROLE_LABELS.items()
    )
    typer.echo(f"  役割 {roles}")
    typer.echo("タスク:")
    for task in detail.tasks:
        mark = "済" if task.done else ("期限切れ" if task.overdue(now) else "未")
        due = f"期限 {task.due_at.astimezone(JST):%m/%d %H:%M}" if task.due_at else "期限なし"
        who = f" 担当 {task.assignee}" if task.assignee else ""
        typer.echo(
            f"  [{mark}] {task.key}: {task.title}（{ROLE_LABELS.get(Role(task.role), task.role)}、{due}{who}）"
        )
    typer.echo("タイムライン:")
    pinned = detail.pinned_event_ids
    for event in detail.events:
        pin = "📌" if event.id in pinned else "  "
        typer.echo(
            f" {pin}{event.id:>5} {event.at.astimezone(JST):%m/%d %H:%M} [{event.kind_label}] {event.summary}"
            f"（{event.actor}）"
        )


@app.command("close", help="インシデントを終了します（タイムラインに残ります）。")
def close(incident_id: IdArgument, by: ByOption = None) -> None:
    try:
        with open_store() as store:
            incident = IncidentStore(store).close(incident_id, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"インシデント {incident.id} を終了しました。")


@app.command("status", help="状態を変えます: 対応中・経過観察・沈静化・終了（active など）。")
def set_status(incident_id: IdArgument, status: str, by: ByOption = None) -> None:
    try:
        target = IncidentStatus(_choice(status, INCIDENT_STATUS_LABELS, "状態"))
        with open_store() as store:
            incident = IncidentStore(store).set_status(incident_id, target, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"インシデント {incident.id}: {incident.status_label}")


@app.command("severity", help="深刻度（1〜4）を変えます。")
def set_severity(
    incident_id: IdArgument,
    severity: Annotated[int, typer.Argument(min=1, max=4, help="1 注意・2 要注意・3 警戒・4 危険")],
    by: ByOption = None,
) -> None:
    try:
        with open_store() as store:
            incident = IncidentStore(store).set_severity(incident_id, severity, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"インシデント {incident.id}: 深刻度 {incident.severity} {SEVERITY_LABELS[incident.severity]}")


@app.command("type", help="種類を決めます: 批判集中型・議論過熱型・荒らし型・不明。")
def set_type(incident_id: IdArgument, incident_type: str, by: ByOption = None) -> None:
    try:
        kind = IncidentType(_choice(incident_type, INCIDENT_TYPE_LABELS, "種類"))
        with open_store() as store:
            incident = IncidentStore(store).set_type(incident_id, kind, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"インシデント {incident.id}: {incident.type_label}")


@app.command(
    "role", help="役割に人を割り当てます。例: hikeshi incident role 3 広報 佐藤（名前を省くと外します）"
)
def assign_role(
    incident_id: IdArgument,
    role: Annotated[
        str, typer.Argument(help="責任者・広報・法務・お客様相談室・経営・記録係（commander など）")
    ],
    person: Annotated[str | None, typer.Argument(help="担当者の名前。")] = None,
    by: ByOption = None,
) -> None:
    try:
        target = Role(_choice(role, {**dict(ROLE_LABELS), "executive": "経営"}, "役割"))
        with open_store() as store:
            IncidentStore(store).assign_role(incident_id, target, person, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"{ROLE_LABELS[target]}: {person or '（なし）'}")


@app.command("done", help="タスクを完了にします。例: hikeshi incident done 3 preserve_evidence")
def task_done(
    incident_id: IdArgument,
    task: Annotated[str, typer.Argument(help="タスクのキー（preserve_evidence など）か番号。")],
    note: Annotated[str | None, typer.Option("--note", help="完了のメモ。")] = None,
    by: ByOption = None,
) -> None:
    try:
        with open_store() as store:
            done = IncidentStore(store).complete_task(incident_id, task, _actor(by), note=note)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"完了: {done.title}")


@app.command("assign", help="タスクの担当者を決めます。例: hikeshi incident assign 3 position_paper 佐藤")
def task_assign(
    incident_id: IdArgument,
    task: Annotated[str, typer.Argument(help="タスクのキーか番号。")],
    person: Annotated[str | None, typer.Argument(help="担当者の名前（省くと外します）。")] = None,
    by: ByOption = None,
) -> None:
    try:
        with open_store() as store:
            assigned = IncidentStore(store).assign_task(incident_id, task, person, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"{assigned.title}: {assigned.assignee or '（担当なし）'}")


@app.command("note", help="タイムラインにメモを残します（編集・削除はできません。訂正は新しいメモで）。")
def note(incident_id: IdArgument, text: str, by: ByOption = None) -> None:
    try:
        with open_store() as store:
            event = IncidentStore(store).note(incident_id, text, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"メモ {event.id} を記録しました。")


@app.command("pin", help="タイムラインのイベントをピン留めします（--unpin で外します）。")
def pin(
    incident_id: IdArgument,
    event_id: Annotated[int, typer.Argument(help="イベントの番号（incident show で表示）。")],
    unpin: Annotated[bool, typer.Option("--unpin", help="ピン留めを外します。")] = False,
    by: ByOption = None,
) -> None:
    try:
        with open_store() as store:
            IncidentStore(store).pin(incident_id, event_id, _actor(by), pinned=not unpin)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"イベント {event_id} を{'ピン留めから外しました' if unpin else 'ピン留めしました'}。")


@app.command("playbook", help="使われるプレイブック（フェーズ・タスク・役割・期限）を検証して表示します。")
def playbook(
    file: Annotated[
        str | None, typer.Option("--file", help="検証する YAML（既定: 設定のもの、なければ標準）。")
    ] = None,
) -> None:
    try:
        book = load_playbook(file or load_settings().playbook)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(
        f"{book.name}（自動で開く深刻度 {book.opening_severity} 以上、沈静化 {book.calm.hours:g} 時間）"
    )
    opened = utc_now()
    for phase in book.phases:
        typer.echo(f"■ {phase.title}")
        for task in phase.tasks:
            due = due_time(task, opened)
            after = "期限なし" if due is None else f"期限 {task.due}"
            typer.echo(f"  {task.id}: {task.title}（{ROLE_LABELS[task.role]}、{after}）")
