"""`hikeshi report incident|weekly`: the incident report and the weekly report as HTML or PDF files.

The file is written next to its destination and renamed into place, so a failed PDF run never leaves half a
report where the previous one was.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from hikeshi.cli.watch import fail, open_store
from hikeshi.errors import HikeshiError, InputError
from hikeshi.reports import render_incident_html, render_incident_pdf, render_weekly_html, render_weekly_pdf
from hikeshi.reports.weekly import parse_week

app = typer.Typer(no_args_is_help=True, help="インシデントの報告書と週次報告を HTML・PDF で作成します。")

FORMATS = ("html", "pdf")
FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help="html または pdf（既定: --out の拡張子、なければ html）。"),
]
OutOption = Annotated[str, typer.Option("--out", "-o", help="書き出すファイル（html は - で標準出力）。")]


def output_format(requested: str | None, out: str) -> str:
    """`--format`, else the extension of `--out` (report.pdf → pdf), else html."""
    if requested is None:
        return "pdf" if out.lower().endswith(".pdf") else "html"
    chosen = requested.strip().lower()
    if chosen not in FORMATS:
        raise InputError(f"--format は html か pdf です（{requested!r} が指定されました）。")
    if chosen == "pdf" and out == "-":
        raise InputError("PDF は標準出力に書き出せません。--out にファイル名を指定してください。")
    return chosen


def write_output(out: str, content: str | bytes) -> int:
    """Write atomically (temporary file in the same folder, then rename); returns the size in bytes."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out == "-":
        sys.stdout.write(data.decode("utf-8"))
        return len(data)
    target = Path(out)
    if target.is_dir():
        raise InputError(f"--out {out} はフォルダーです。ファイル名を指定してください。")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"書き出し先のフォルダー {folder} がありません。")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError as error:
        raise InputError(f"{out} に書き出せませんでした（{error.strerror or error}）。") from None
    return len(data)


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size} バイト"


def _progress(chosen: str) -> None:
    if chosen == "pdf":
        typer.echo("PDF を作成しています（数秒かかります）…", err=True)


@app.command(
    "incident", help="インシデントの報告書（図・声明の効果・拡散経路・タイムライン・タスク・証拠）。"
)
def incident(
    incident_id: Annotated[int, typer.Argument(help="インシデントの番号。")],
    out: OutOption,
    requested_format: FormatOption = None,
) -> None:
    try:
        chosen = output_format(requested_format, out)
        _progress(chosen)
        with open_store() as store:
            content: str | bytes = (
                render_incident_pdf(store, incident_id)
                if chosen == "pdf"
                else render_incident_html(store, incident_id)
            )
        size = write_output(out, content)
    except HikeshiError as error:
        raise fail(error) from None
    if out != "-":
        typer.echo(
            f"インシデント {incident_id} の報告書を {out} に書き出しました（{chosen.upper()}、{_size(size)}）。"
        )


@app.command(
    "weekly", help="1 週間の報告（ウォッチごとの投稿・否定的な割合・検知・インシデント・対応の時間）。"
)
def weekly(
    week: Annotated[str, typer.Option("--week", "-w", help="週の初日（YYYY-MM-DD、日本時間）。")],
    out: OutOption,
    requested_format: FormatOption = None,
) -> None:
    try:
        week_start = parse_week(week)
        chosen = output_format(requested_format, out)
        _progress(chosen)
        with open_store() as store:
            content: str | bytes = (
                render_weekly_pdf(store, week_start)
                if chosen == "pdf"
                else render_weekly_html(store, week_start)
            )
        size = write_output(out, content)
    except HikeshiError as error:
        raise fail(error) from None
    if out != "-":
        typer.echo(
            f"{week_start:%Y-%m-%d} からの週次報告を {out} に書き出しました（{chosen.upper()}、{_size(size)}）。"
        )
