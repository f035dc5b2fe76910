"""`hikeshi demo`: the README's main command — a guard check, then the bundled flame and buzz replays."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hikeshi.cli.render import print_verdict
from hikeshi.cli.signals import KIND_NAMES
from hikeshi.cli.watch import fail, open_store
from hikeshi.demo import REPLAY_DIR, StreamResult, load_manifest, run_stream
from hikeshi.errors import HikeshiError
from hikeshi.guard import default_guard
from hikeshi.respond.incidents.records import EventKind, Incident, IncidentDetail
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.timezones import JST

SALES_REP_LINE = (
    "私たちもプロとして成功報酬で仕事をしている。先にわかっていたら会社や私も無駄な時間は使わない。"
)


def demo(
    replay_dir: Annotated[Path, typer.Option("--replay-dir", help="リプレイデータのフォルダ。")] = REPLAY_DIR,
) -> None:
    """A fresh checkout shows prevent and detect offline, on the default SQLite database."""
    console = Console(highlight=False, soft_wrap=True)
    try:
        streams = load_manifest(replay_dir)
        console.rule("1. 送信前チェック（hikeshi check）")
        console.print(f"下書き: {SALES_REP_LINE}\n", markup=False)
        print_verdict(SALES_REP_LINE, default_guard().check(SALES_REP_LINE), console)
        console.rule("2. 監視（watch add → ingest → 検知）")
        opened: list[list[Incident]] = []
        with open_store() as store:
            for stream in streams:
                console.print(f"\n[bold]{stream.watch.name}[/bold]（{stream.notes}）")
                with Progress(
                    TextColumn("取り込み・分析"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console,
                    transient=False,
                ) as progress:
                    task = progress.add_task("ingest", total=stream.posts or None)
                    result = run_stream(store, stream, replay_dir, partial(progress.advance, task))
                opened.append(result.incidents)
                _print_result(console, result)
            console.rule("3. 対応（シグナル → インシデント）")
            for incident in (i for stream_incidents in opened for i in stream_incidents):
                _print_incident(console, IncidentStore(store).detail(incident.id))
            if not any(opened):
                console.print("インシデントはありません。")
    except HikeshiError as error:
        raise fail(error) from None
    console.print(
        "\n続きは `hikeshi incident list`、`hikeshi signals --watch ミナト住建`、`hikeshi serve`（Web 画面）で"
        "確認できます。"
    )


def _print_incident(console: Console, detail: IncidentDetail) -> None:
    incident = detail.incident
    console.print(
        f"\n[bold]インシデント {incident.id}[/bold]: ",
        end="",
    )
    console.print(
        f"{incident.title} — 開始 {incident.opened_at.astimezone(JST):%m/%d %H:%M}、"
        f"深刻度 {incident.severity}（{incident.severity_label}）、状態 {incident.status_label}",
        markup=False,
    )
    signals = sum(1 for event in detail.events if event.kind == EventKind.SIGNAL)
    console.print(f"  タイムライン {len(detail.events)} 件（検知 {signals} 件）。プレイブックのタスク:")
    for task in detail.tasks[:4]:
        due = f"{task.due_at.astimezone(JST):%m/%d %H:%M}" if task.due_at else "期限なし"
        console.print(f"  ・{task.title}（{task.role_label}、期限 {due}）", markup=False)
    console.print(f"  詳しくは `hikeshi incident show {incident.id}`")


def _print_result(console: Console, result: StreamResult) -> None:
    report = result.ingest
    console.print(f"追加 {report.inserted:,} 件、既存 {report.duplicates:,} 件、不正 {len(report.bad):,} 件")
    onset = result.stream.onset.astimezone(JST)
    first = result.first_alert
    if first is not None:
        minutes = (first.detected_at - result.stream.onset).total_seconds() / 60
        console.print(
            f"発生 {onset:%m/%d %H:%M} → 最初の検知 {first.detected_at.astimezone(JST):%m/%d %H:%M}"
            f"（{minutes:.0f} 分後、{KIND_NAMES[first.kind]}・深刻度 {first.severity}）。"
            f"発生前の誤検知 {result.alerts_before_onset} 件"
        )
    for signal in sorted(result.signals, key=lambda s: s.detected_at)[:12]:
        label = f"{KIND_NAMES.get(signal.kind, signal.kind.value)}・深刻度 {signal.severity}"
        console.print(f"  {signal.detected_at.astimezone(JST):%m/%d %H:%M} [{label}] ", end="", markup=False)
        console.print(signal.summary, markup=False)
    if len(result.signals) > 12:
        console.print(f"（ほか {len(result.signals) - 12} 件）")
