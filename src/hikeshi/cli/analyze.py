"""`hikeshi analyze`: the monitoring analyzers on one text or on a JSON-lines batch (`--jsonl FILE|-`).

Same conventions as `hikeshi check --jsonl`: one output line per non-blank input line, in input order; a bad line
is reported on stderr with its line number and answered with `{"id", "line", "error"}`; exit status 1 at the end.
A repeated id is warned about on stderr (both lines are answered).
Valid lines are analyzed in batches, because the analyzers are batch-first.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, TextIO

import typer

from hikeshi.analysis import analyze as analyze_texts
from hikeshi.cli.jsonlines import JsonLine, RepeatedIds, open_binary, read_json_lines, record_text
from hikeshi.errors import HikeshiError, InputError
from hikeshi.records import Analysis

BATCH_SIZE = 256


def analyze(
    text: Annotated[
        str | None, typer.Argument(help="分析する文章（1 件）。--jsonl と同時には使えません。")
    ] = None,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help='1 行 1 件の JSON {"id", "text"} のファイル（- で標準入力）。'),
    ] = None,
) -> None:
    try:
        if jsonl is not None:
            if text is not None:
                raise InputError("TEXT と --jsonl は同時に指定できません。")
            ok = run_jsonl(jsonl, sys.stdout)
            raise typer.Exit(code=0 if ok else 1)
        if text is None:
            raise InputError("分析する文章を引数で渡すか、--jsonl FILE を指定してください。")
        typer.echo(json.dumps(_payload(None, analyze_texts([text])[0]), ensure_ascii=False))
    except HikeshiError as error:
        typer.echo(f"エラー: {error}", err=True)
        raise typer.Exit(code=2) from None


def run_jsonl(source: str, out: TextIO, batch_size: int = BATCH_SIZE) -> bool:
    """Analyze each line of a JSON-lines file or stdin; returns False when any line was bad."""
    all_ok = True
    repeated = RepeatedIds()
    batch: list[tuple[JsonLine, str | None, str | None]] = []  # (line, text, error)
    with open_binary(source) as handle:
        for line in read_json_lines(handle):
            repeated.warn(source, line)
            text, error = None, line.error
            if line.record is not None:
                try:
                    text = record_text(line.record)
                except InputError as problem:
                    error = str(problem)
            if error is not None:
                all_ok = False
                typer.echo(f"{source}:{line.number}: {error}", err=True)
            batch.append((line, text, error))
            if len(batch) >= batch_size:
                _flush(batch, out)
                batch = []
    _flush(batch, out)
    out.flush()
    return all_ok


def _flush(batch: list[tuple[JsonLine, str | None, str | None]], out: TextIO) -> None:
    texts = [text for _line, text, _error in batch if text is not None]
    results = iter(analyze_texts(texts)) if texts else iter(())
    for line, text, error in batch:
        if text is None:
            payload: dict[str, Any] = {"id": line.record_id, "line": line.number, "error": error}
        else:
            payload = _payload(line.record_id, next(results))
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")


def _payload(record_id: Any, analysis: Analysis) -> dict[str, Any]:
    return {
        "id": record_id,
        "sentiment": {key: round(value, 4) for key, value in analysis.sentiment.model_dump().items()},
        "emotions": {key: round(value, 4) for key, value in analysis.emotions.model_dump().items()},
        "harm": {key: round(value, 4) for key, value in analysis.harm.items()},
        "risk": round(analysis.risk, 4),
    }
