"""Reading JSON-lines input the same way for every batch command (`check --jsonl`, `analyze --jsonl`).

Each non-blank line becomes a `JsonLine`: either a JSON object or the reason it could not be read (invalid UTF-8,
bad JSON, not an object), with its line number, so a command can answer every line in order and report the bad
ones on stderr without losing the others.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import typer

from hikeshi.errors import InputError


@dataclass(frozen=True, slots=True)
class JsonLine:
    number: int
    record: dict[str, Any] | None  # None when the line could not be read
    error: str | None = None

    @property
    def record_id(self) -> Any:
        return self.record.get("id") if self.record is not None else None


@contextmanager
def open_binary(source: str) -> Iterator[BinaryIO]:
    """The file (or stdin for `-`); only a failure to open becomes an InputError."""
    if source == "-":
        yield sys.stdin.buffer
        return
    try:
        handle = Path(source).open("rb")  # noqa: SIM115  (closed below; only the open error becomes InputError)
    except OSError as error:
        raise InputError(f"{source} を開けません: {error.strerror}") from None
    with handle:
        yield handle


def read_json_lines(handle: BinaryIO) -> Iterator[JsonLine]:
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        try:
            yield JsonLine(number, parse_object(raw))
        except InputError as error:
            yield JsonLine(number, None, str(error))


def parse_object(raw: bytes) -> dict[str, Any]:
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


def record_text(record: dict[str, Any]) -> str:
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError('"text" に文字列がありません。')
    return text


def report_bad_line(out: TextIO, source: str, number: int, record_id: Any, message: str) -> None:
    """stderr gets `SOURCE:LINE: message`; the output keeps its place with `{"id", "line", "error"}`."""
    typer.echo(f"{source}:{number}: {message}", err=True)
    out.write(json.dumps({"id": record_id, "line": number, "error": message}, ensure_ascii=False) + "\n")
