"""Reading JSON-lines input the same way for every batch command (`check --jsonl`, `analyze --jsonl`).

Each non-blank line becomes a `JsonLine`: either a JSON object or the reason it could not be read (invalid UTF-8,
bad JSON, nesting deeper than `hikeshi.untrusted_json.MAX_DEPTH`, a lone surrogate such as `"\\ud800"`, not an
object), with its line number, so a command can answer every line in order and report the bad ones on stderr
without losing the others.
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
from hikeshi.untrusted_json import RejectedValue, check_untrusted, json_type_name, parse_json_line, printable


@dataclass(frozen=True, slots=True)
class JsonLine:
    number: int
    record: dict[str, Any] | None  # None when the line could not be read
    error: str | None = None
    readable_id: Any = None  # the id of a line refused for something else (a lone surrogate in its text)

    @property
    def record_id(self) -> Any:
        return self.record.get("id") if self.record is not None else self.readable_id


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
        except RejectedValue as error:
            yield JsonLine(number, None, str(error), _clean_id(error.value))
        except InputError as error:
            yield JsonLine(number, None, str(error))


def _clean_id(value: Any) -> Any:
    """The record's id when it can be echoed as it is (no lone surrogate, no deep nesting), else None."""
    record_id = value.get("id") if isinstance(value, dict) else None
    try:
        check_untrusted(record_id)
    except InputError:
        return None
    return record_id


def parse_object(raw: bytes) -> dict[str, Any]:
    record = parse_json_line(raw)
    if not isinstance(record, dict):
        raise InputError('各行は JSON オブジェクト {"id": ..., "text": ...} にしてください。')
    return record


def record_text(record: dict[str, Any]) -> str:
    text = record.get("text")
    if text is None:
        raise InputError('"text" に文字列がありません。')
    if not isinstance(text, str):
        raise InputError(f'"text" は文字列にしてください（{json_type_name(text)}が渡されました）。')
    return text


def report_bad_line(out: TextIO, source: str, number: int, record_id: Any, message: str) -> None:
    """stderr gets `SOURCE:LINE: message`; the output keeps its place with `{"id", "line", "error"}`."""
    typer.echo(f"{source}:{number}: {message}", err=True)
    out.write(json.dumps({"id": record_id, "line": number, "error": message}, ensure_ascii=False) + "\n")


class RepeatedIds:
    """Remembers each line's id so that a repeated one can be warned about (both lines are still answered).

    Joining results back by id silently picks one of two answers when ids repeat, so the user is told.
    """

    def __init__(self) -> None:
        self._first_line: dict[str, int] = {}

    def warn(self, source: str, line: JsonLine) -> None:
        if line.record is None or line.record_id is None:
            return
        key = json.dumps(line.record_id, sort_keys=True, ensure_ascii=False)
        first = self._first_line.setdefault(key, line.number)
        if first != line.number:
            typer.echo(
                f"{source}:{line.number}: 警告: id {printable(key)} は {first} 行目と同じです（どちらにも回答します）。",
                err=True,
            )
