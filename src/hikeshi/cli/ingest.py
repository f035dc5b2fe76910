"""`hikeshi ingest --watch NAME FILE`: import posts from JSON lines, CSV or a review export."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from hikeshi.cli.watch import fail, open_store
from hikeshi.errors import HikeshiError, InputError
from hikeshi.ingest import BadRecord, IngestReport, ingest_file
from hikeshi.ingest.incidents import DetectionOutcome, detect_and_respond
from hikeshi.ingest.pipeline import DEFAULT_BATCH_SIZE
from hikeshi.ingest.readers import FORMATS
from hikeshi.respond.playbooks import load_playbook
from hikeshi.settings import load_settings


def ingest(
    file: Annotated[str, typer.Argument(help="取り込むファイル（- で標準入力、JSON lines）。")],
    watch: Annotated[str, typer.Option("--watch", "-w", help="取り込み先のウォッチ名。")],
    file_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="jsonl, csv, review-csv（省略時は拡張子と見出し行から判定）。"),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="1 トランザクションで保存する件数。")
    ] = DEFAULT_BATCH_SIZE,
    detect: Annotated[
        bool,
        typer.Option(
            "--detect/--no-detect",
            help="取り込み後に検知を実行し、深刻なシグナルでインシデントを開きます（既定: 実行する）。",
        ),
    ] = True,
) -> None:
    """Bad records go to stderr as FILE:LINE: reason; the exit status is 1 when there were any."""
    try:
        if file_format is not None and file_format not in FORMATS:
            raise InputError(f"--format は {', '.join(FORMATS)} のいずれかです（{file_format!r}）。")
        with ExitStack() as stack:
            store = stack.enter_context(open_store())
            progress = _progress(file, stack)

            def report_bad(bad: BadRecord) -> None:
                line = f"{file}:{bad.line}: {bad.message}"
                if progress is not None:
                    progress.console.print(line, markup=False, highlight=False)
                else:
                    typer.echo(line, err=True)

            report = ingest_file(
                store,
                watch,
                file,
                file_format=file_format,
                batch_size=batch_size,
                on_bad=report_bad,
                on_progress=(lambda n: progress.advance(progress.task_ids[0], n)) if progress else None,
            )
            outcome = (
                detect_and_respond(store, watch, load_playbook(load_settings().playbook))
                if detect and report.inserted
                else None
            )
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(_summary(watch, report))
    if outcome is not None and outcome.signals:
        typer.echo(_detection_summary(outcome))
    raise typer.Exit(code=0 if report.ok else 1)


def _detection_summary(outcome: DetectionOutcome) -> str:
    line = f"検知 {len(outcome.signals):,} 件（新規 {outcome.new_signals:,} 件）"
    for incident in outcome.incidents.opened:
        line += (
            f"。インシデント {incident.id} を開きました（深刻度 {incident.severity}、"
            f"`hikeshi incident show {incident.id}`）"
        )
    return line


def _summary(watch: str, report: IngestReport) -> str:
    parts = [
        f"追加 {report.inserted:,} 件",
        f"既存 {report.duplicates:,} 件",
        f"除外 {report.excluded:,} 件",
        f"不正 {len(report.bad):,} 件",
    ]
    return f"「{watch}」に取り込みました: 読み込み {report.read:,} 件（{'、'.join(parts)}）"


def _progress(path: str, stack: ExitStack) -> Progress | None:
    """A progress bar on stderr, only for a terminal (logs and pipes get the summary line alone)."""
    if path == "-" or not sys.stderr.isatty():
        return None
    try:
        with Path(path).open("rb") as handle:
            total = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None
    progress = Progress(
        TextColumn("取り込み中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    progress.add_task("ingest", total=total or None)
    stack.enter_context(progress)
    return progress
