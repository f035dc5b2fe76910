"""`hikeshi monitor run|status`: the polling daemon and what it has seen.

SIGTERM and SIGINT (Ctrl-C) ask the daemon to stop: the source being polled is finished and its state saved,
then the command exits 0, so a service manager's restart resumes exactly there.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
from types import FrameType
from typing import Annotated

import typer

from hikeshi.alerts import Alerter
from hikeshi.alerts.render import KIND_LABELS, jst, severity_label
from hikeshi.cli.alert import book_of
from hikeshi.cli.watch import check_format, fail
from hikeshi.errors import HikeshiError
from hikeshi.ingest import default_analyzer
from hikeshi.monitor import CycleReport, Monitor, PollOutcome, WatchStatus, monitor_status
from hikeshi.monitor.status import age
from hikeshi.respond.playbooks import load_playbook
from hikeshi.settings import Settings
from hikeshi.sources import SafeHttpClient
from hikeshi.store import Store

app = typer.Typer(no_args_is_help=True, help="ソースを定期取得し、分析・検知・通知する監視を実行します。")


@app.command("run", help="監視を実行します（SIGTERM / Ctrl-C で今の取得を終えてから停止）。")
def run(
    once: Annotated[
        bool, typer.Option("--once", help="すべてのソースを 1 回ずつ取得して終了します。")
    ] = False,
    watch: Annotated[
        list[str] | None, typer.Option("--watch", "-w", help="このウォッチだけを監視（繰り返し指定可）。")
    ] = None,
    max_sleep: Annotated[
        float,
        typer.Option("--max-sleep", min=0.01, help="待機の上限（秒）。ソース一覧をこの間隔で読み直します。"),
    ] = 60.0,
) -> None:
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    failed = False
    try:
        settings = Settings()
        playbook = load_playbook(settings.playbook)
        with Store.open(settings) as store, SafeHttpClient(settings) as client:
            monitor = Monitor(
                store,
                settings,
                client,
                default_analyzer(),
                alerter=Alerter(book_of(store, settings), settings),
                playbook=playbook,
                watches=watch,
                stop=stop,
                max_sleep_seconds=max_sleep,
                on_cycle=_print_cycle,
            )
            if once:
                report = monitor.run_once()
                failed = any(not poll.ok for poll in report.polls)
            else:
                typer.echo(f"監視を開始しました（ソース {len(monitor.sources())} 件）。停止するには Ctrl-C。")
                monitor.run()
                typer.echo("停止しました。取得の状態は保存済みです。")
    except HikeshiError as error:
        raise fail(error) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failed:
        raise typer.Exit(code=1)


@app.command("status", help="ウォッチごとのソースの取得状況・エラーと最近のシグナルを表示します。")
def status(
    watch: Annotated[str | None, typer.Option("--watch", "-w", help="このウォッチだけを表示。")] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="出力形式: text または json。")
    ] = "text",
) -> None:
    try:
        check_format(output_format)
        settings = Settings()
        with Store.open(settings) as store:
            statuses = monitor_status(store, book_of(store, settings), watch)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps([s.model_dump(mode="json") for s in statuses], ensure_ascii=False))
        return
    if not statuses:
        typer.echo("ウォッチはまだありません。`hikeshi watch add` で作成してください。")
    now = dt.datetime.now(dt.UTC)
    for item in statuses:
        _print_status(item, now)


def _describe_poll(poll: PollOutcome) -> str:
    head = f"ソース {poll.source_id}（{poll.watch}・{poll.kind}）"
    if poll.error is not None:
        return f"{head}: 取得に失敗しました: {poll.error}"
    if poll.kind == "suggest":
        return f"{head}: 検索候補 {poll.fetched} 件を記録"
    return f"{head}: 取得 {poll.fetched} 件・新規 {poll.inserted} 件・既存 {poll.duplicates} 件・対象外 {poll.skipped} 件"


def _print_cycle(report: CycleReport) -> None:
    for poll in report.polls:
        typer.echo(_describe_poll(poll), err=poll.error is not None)
        for warning in poll.warnings:
            typer.echo(f"  警告: {warning}", err=True)
    if report.new_signals:
        typer.echo(f"新しいシグナル {report.new_signals} 件を記録しました。")
    for incident in report.opened:
        typer.echo(
            f"インシデント {incident.id} を開きました: {incident.title}（深刻度 {incident.severity} {incident.severity_label}）"
        )
    if report.alerts is not None:
        for message in report.alerts.messages:
            typer.echo(
                f"通知: {message.watch} スレッド {message.thread_id}（{message.sequence} 通目・{message.event.value}）"
            )
        for delivery in report.alerts.deliveries:
            if not delivery.ok:
                retry = "（再送をあきらめました）" if delivery.gave_up else "（次回に再送します）"
                typer.echo(
                    f"エラー: 通知先 {delivery.channel_id}（{delivery.kind}）: {delivery.error}{retry}",
                    err=True,
                )
    if report.stopped:
        typer.echo("停止の指示を受けたため、残りのソースは次回に取得します。")


def _print_status(item: WatchStatus, now: dt.datetime) -> None:
    typer.echo(f"■ {item.watch}（投稿 {item.posts:,} 件・通知先 {item.channels} 件）")
    if not item.sources:
        typer.echo("  ソースなし（`hikeshi source add` で追加できます）")
    for source in item.sources:
        polled = (
            f"{jst(source.last_polled_at)}（{age(source.last_polled_at, now)}）"
            if source.last_polled_at
            else "未取得"
        )
        upcoming = (
            age(source.next_poll_at, now) if source.next_poll_at and source.next_poll_at > now else "すぐ"
        )
        typer.echo(
            f"  ソース {source.id} {source.kind} {source.target}: 最終取得 {polled}・次回 {upcoming}"
            f"・累計 {source.posts_total} 件"
        )
        if source.last_error:
            typer.echo(f"    エラー（{source.failures} 回連続）: {source.last_error}")
    for thread in item.open_threads:
        incident = f"（インシデント {thread.incident.incident_id}）" if thread.incident else ""
        typer.echo(
            f"  対応中のスレッド {thread.id}{incident}: {jst(thread.opened_at)} から・"
            f"{severity_label(thread.max_severity_sent)}・通知 {thread.messages} 通"
        )
    if not item.latest_signals:
        typer.echo("  シグナルなし")
    for sig in item.latest_signals:
        typer.echo(
            f"  {jst(sig.detected_at)} {KIND_LABELS.get(sig.kind, sig.kind.value)}・{severity_label(sig.severity)}: "
            f"{sig.summary}"
        )
