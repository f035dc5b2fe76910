"""`hikeshi analyze`: the monitoring analyzers on one text or on a JSON-lines batch (`--jsonl FILE|-`).

Same conventions as `hikeshi check --jsonl`: one output line per non-blank input line, in input order; a bad line
is reported on stderr with its line number and answered with `{"id", "line", "error"}`; exit status 1 at the end.
Valid lines are analyzed in batches, because the analyzers are batch-first.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TextIO

import typer

from hikeshi.analysis import analyze as analyze_texts
from hikeshi.errors import HikeshiError, InputError
from hikeshi.records import Analysis

BATCH_SIZE = 256


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    record_id: Any
    text: str | None  # None when the line is bad
    error: str | None = None


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
    batch: list[_Line] = []
    with _open_binary(source) as handle:
        for line in _read_lines(handle):
            if line.error is not None:
                all_ok = False
                typer.echo(f"{source}:{line.number}: {line.error}", err=True)
            batch.append(line)
            if len(batch) >= batch_size:
                _flush(batch, out)
                batch = []
    _flush(batch, out)
    out.flush()
    return all_ok


def _flush(batch: list[_Line], out: TextIO) -> None:
    texts = [line.text for line in batch if line.text is not None]
    results = iter(analyze_texts(texts)) if texts else iter(())
    for line in batch:
        if line.text is None:
            payload: dict[str, Any] = {"id": line.record_id, "line": line.number, "error": line.error}
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


def _read_lines(handle: BinaryIO) -> Iterator[_Line]:
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        record_id: Any = None
        try:
            record = _parse(raw)
            record_id = record.get("id")
            text = record.get("text")
            if not isinstance(text, str):
                raise InputError('"text" に文字列がありません。')
            yield _Line(number, record_id, text)
        except InputError as error:
            yield _Line(number, record_id, None, str(error))


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"UTF-8 として読めません（{error.start} バイト目）。") from None
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as error:
        raise InputError(f"JSON として読めません（{error.msg}, {error.colno} 文字目）。") from None
    if not isinstance(record, dict):
        raise InputError('各行は JSON オブジェクト {"id": ..., "text": ...} にしてください。')
    return record


@contextmanager
def _open_binary(source: str) -> Iterator[BinaryIO]:
    if source == "-":
        yield sys.stdin.buffer
        return
    path = Path(source)
    try:
        handle = path.open("rb")  # opened here so that only the open error becomes InputError
    except OSError as error:
        raise InputError(f"{source} を開けません: {error.strerror}") from None
    with handle:
        yield handle
