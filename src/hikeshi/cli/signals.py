"""`hikeshi signals --watch NAME [--format text|jsonl]`: replay a watch's analyzed posts through the detectors.

The detectors run over the whole stored stream in event-time order, so the output is what a live monitor would
have raised and when; the signals are saved (re-running updates them in place, never duplicates them).
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer

from hikeshi.detect import DetectorConfig, run_detectors
from hikeshi.detect.risk import SEVERITY_LABELS
from hikeshi.errors import HikeshiError, InputError
from hikeshi.records import SIGNAL_KIND_LABELS, Signal
from hikeshi.respond.incidents.flows import apply_signals
from hikeshi.respond.playbooks import load_playbook
from hikeshi.settings import load_settings
from hikeshi.store import Store

KIND_NAMES = SIGNAL_KIND_LABELS


def signals(
    watch: Annotated[str, typer.Option("--watch", "-w", help="検知を実行するウォッチの名前。")],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="出力形式: text（人が読む形）または jsonl（1 行 1 件）。")
    ] = "text",
    save: Annotated[
        bool, typer.Option("--save/--no-save", help="検知結果をデータベースに保存します。")
    ] = True,
) -> None:
    try:
        if output_format not in ("text", "jsonl"):
            raise InputError(f"--format は text か jsonl です（{output_format!r} が指定されました）。")
        with Store.open(load_settings()) as store:
            watch_record = store.get_watch(watch)
            config = DetectorConfig.for_watch(watch_record)
            found = [
                local_times(signal, config.utc_offset_hours)
                for signal in run_detectors(watch_record, store.iter_analyzed_posts(watch), config)
            ]
            saved = store.save_signals(found) if save and found else 0
            opened = (
                apply_signals(
                    store,
                    found,
                    load_playbook(load_settings().playbook),
                    now=store.watch_summary(watch).last_post_at,
                ).opened
                if save
                else []
            )
    except HikeshiError as error:
        typer.echo(f"エラー: {error}", err=True)
        raise typer.Exit(code=2) from None
    if output_format == "jsonl":
        for signal in found:
            sys.stdout.write(signal.model_dump_json() + "\n")
    else:
        print_signals(watch, found)
    if save:
        typer.echo(f"{len(found)} 件の検知（新規保存 {saved} 件）。", err=True)
    for incident in opened:
        typer.echo(
            f"インシデント {incident.id} を開きました（深刻度 {incident.severity}、"
            f"`hikeshi incident show {incident.id}`）。",
            err=True,
        )


def local_times(signal: Signal, utc_offset_hours: float) -> Signal:
    """Show times in the watch's local time (JST by default), as the people reading them live there."""
    zone = dt.timezone(dt.timedelta(hours=utc_offset_hours))
    return signal.model_copy(
        update={
            "window_start": signal.window_start.astimezone(zone),
            "detected_at": signal.detected_at.astimezone(zone),
        }
    )


def print_signals(watch: str, found: list[Signal]) -> None:
    if not found:
        typer.echo(f"「{watch}」では検知はありませんでした。")
        return
    for signal in found:
        label = KIND_NAMES.get(signal.kind, signal.kind.value)
        typer.echo(
            f"{signal.detected_at:%Y-%m-%d %H:%M} [{signal.severity} {SEVERITY_LABELS[signal.severity]}] "
            f"{label} ({signal.kind.value}): {signal.summary}"
        )
