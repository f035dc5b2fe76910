"""Reading JSON that outsiders wrote (JSON lines, API bodies) so that one bad record cannot sink the rest.

Two things are valid JSON yet break what comes after, so both are refused per record with a Japanese message:

- deep nesting: `[[[[...]]]]` 100,000 levels deep makes `json.loads` raise RecursionError, and a few hundred
  levels still break `repr`, `json.dumps` and recursive validators later on. Records are flat (a post, a draft),
  so anything nested deeper than `MAX_DEPTH` is refused.
- lone surrogates: `"\\ud800"` is a valid JSON escape but not a character; it cannot be encoded as UTF-8, so
  the record would fail later inside a database INSERT (losing its whole batch) or when the answer is printed.
  Such a record is refused rather than repaired with U+FFFD: a post whose text was mangled by its sender is
  better reported back to the sender than stored as something it never said.

The checks cost two C-level counts and one regex search per line unless the line has many brackets or a
surrogate escape; only then is the parsed value walked (iteratively, so the walk itself cannot recurse).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from hikeshi.errors import InputError

MAX_DEPTH = 100
"""Deepest nesting accepted in one record (the record itself is level 1)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_MAYBE_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]|[\ud800-\udfff]")
"""An escape that decodes to a surrogate (alone, or half of a valid pair such as an escaped emoji)."""


class RejectedValue(InputError):
    """Valid JSON refused for its nesting or a lone surrogate; `value` is what was parsed, so that a caller
    can still echo a clean `id` next to the error."""

    def __init__(self, message: str, value: Any) -> None:
        super().__init__(message)
        self.value = value


@dataclass(frozen=True, slots=True)
class UnreadableValue:
    """An item of a JSON array that could not be read on its own, in place of its value."""

    message: str


def parse_json_line(raw: bytes, *, bom: bool = True) -> Any:
    """One line of a JSON-lines file as a JSON value; raises InputError saying why it cannot be read.

    >>> parse_json_line('{"text": "炎上"}'.encode())
    {'text': '炎上'}
    """
    try:
        decoded = raw.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"UTF-8 として読めません（{error.start} バイト目）。") from None
    return loads_untrusted(decoded)


def loads_untrusted(text: str) -> Any:
    """`json.loads`, but too deep nesting and lone surrogates are InputErrors instead of later crashes."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"JSON として読めません（{error.msg}, {error.colno} 文字目）。") from None
    except RecursionError:
        raise InputError(depth_message()) from None
    if text.count("[") + text.count("{") > MAX_DEPTH or _MAYBE_SURROGATE.search(text):
        try:
            check_untrusted(value)
        except InputError as error:
            raise RejectedValue(str(error), value) from None
    return value


def check_untrusted(value: Any) -> None:
    """Raise InputError when `value` (parsed JSON) nests deeper than MAX_DEPTH or holds a lone surrogate.

    The message names the top-level key where the problem is, e.g. 「text に UTF-8 で表せない文字…」.
    """
    pending: list[tuple[Any, int, str | None]] = [(value, 1, None)]
    while pending:
        item, depth, field = pending.pop()
        if isinstance(item, str):
            check_text(item, field)
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise InputError(depth_message(field))
            if isinstance(item, dict):
                for key, child in reversed(item.items()):
                    check_text(str(key), field)
                    pending.append((child, depth + 1, field if depth > 1 else printable(str(key))))
            else:
                pending.extend((child, depth + 1, field) for child in reversed(item))


def check_text(text: str, field: str | None = None) -> None:
    """Raise InputError when `text` holds a lone surrogate (it could not be stored or printed as UTF-8)."""
    found = _SURROGATE.search(text)
    if found is not None:
        raise InputError(
            f"{subject(field or '文字列')}に UTF-8 で表せない文字（対になっていないサロゲート U+{ord(found.group()):04X}、"
            f"{found.start() + 1} 文字目）があります。送り元の文字コードの変換を確認してください。"
        )


def depth_message(field: str | None = None) -> str:
    where = f"{subject(field)}の " if field else ""
    return f"{where}JSON の入れ子が深すぎます（{MAX_DEPTH} 段まで）。"


def json_type_name(value: Any) -> str:
    """The JSON name of a value's type, in Japanese, for messages such as 「配列が渡されました」."""
    if isinstance(value, bool):
        return "真偽値"
    if isinstance(value, int | float):
        return "数値"
    if isinstance(value, str):
        return "文字列"
    if isinstance(value, dict):
        return "オブジェクト"
    if isinstance(value, list | tuple):
        return "配列"
    return "null" if value is None else type(value).__name__


def subject(label: str) -> str:
    """`label` ready for a Japanese particle: 「created_at に」 but 「text（本文）に」 and 「文字列に」."""
    return f"{label} " if label[-1:].isascii() else label


def printable(text: str, limit: int = 40) -> str:
    """`text` safe to print in a message: lone surrogates as \\udXXX escapes, at most `limit` characters."""
    shown = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def loads_array_body(body: bytes, max_items: int = 10_000) -> Any:
    """An HTTP body whose items are read one by one when the whole is too deep for `json.loads`.

    `json.loads` raises RecursionError for the whole body when one item of an array is nested 100,000 deep;
    the array is then split at its top-level commas and each item parsed alone, so the other items survive
    and the deep one becomes an `UnreadableValue`. Syntax errors propagate as `json.JSONDecodeError`, as they
    do from `json.loads` (bytes are read the same way: UTF-8, UTF-16 or UTF-32).
    """
    try:
        return json.loads(body)
    except RecursionError:
        pieces = split_json_array(body)
    if len(pieces) > max_items:
        raise InputError(f"1 回に送れるのは {max_items:,} 件までです（{len(pieces):,} 件が送られました）。")
    return [_item(piece) for piece in pieces]


def split_json_array(body: bytes) -> list[bytes]:
    """The source bytes of each item of the UTF-8 JSON array `body`, found without parsing the items.

    Vectorised with numpy, so that a 1 MB body of brackets costs milliseconds, not seconds of a Python loop:
    a quote counts unless an odd run of backslashes precedes it, bytes between counted quotes are inside a
    string, and the nesting depth is the running sum of the brackets outside strings. (UTF-8 continuation
    bytes are never ASCII, so a byte that looks like a bracket is one.)

    >>> split_json_array(b'[{"text": "a, \\\\"]"}, [[1]], 2]')
    [b'{"text": "a, \\\\"]"}', b' [[1]]', b' 2']
    """
    import numpy as np  # only on this rare path: `hikeshi check` should not pay for importing it

    opening = len(body) - len(body.lstrip())
    if body[opening : opening + 1] != b"[":
        raise InputError(depth_message())
    data = np.frombuffer(body, dtype=np.uint8)
    quote = data == ord('"')
    backslash = data == ord("\\")
    if backslash.any():  # a quote after an odd run of backslashes is part of the string
        backslashes = np.cumsum(backslash, dtype=np.int32)
        run = backslashes - np.maximum.accumulate(
            np.where(backslash, 0, backslashes)
        )  # backslashes ending here
        quote &= np.concatenate(([0], run[:-1])) % 2 == 0
    outside = (np.cumsum(quote, dtype=np.int32) % 2 == 0) & ~quote
    step = np.zeros(len(data), dtype=np.int32)
    step[outside & ((data == ord("[")) | (data == ord("{")))] = 1
    step[outside & ((data == ord("]")) | (data == ord("}")))] = -1
    depth = np.cumsum(step, dtype=np.int32)
    closed = np.flatnonzero(depth[opening:] <= 0)
    if not len(closed):
        raise InputError("本文の JSON の配列が閉じていません。")
    end = opening + int(closed[0])
    if body[end : end + 1] != b"]" or body[end + 1 :].strip():
        raise InputError("本文の JSON の配列の後ろに余分な文字があります。")
    inner = slice(opening + 1, end)
    commas = np.flatnonzero(outside[inner] & (data[inner] == ord(",")) & (depth[inner] == 1)) + opening + 1
    separators = [opening, *(int(comma) for comma in commas), end]  # the opening bracket, commas, the closing
    pieces = [body[after + 1 : before] for after, before in itertools.pairwise(separators)]
    return [] if len(pieces) == 1 and not pieces[0].strip() else pieces


def _item(piece: bytes) -> Any:
    try:
        return parse_json_line(piece, bom=False)
    except InputError as error:
        return UnreadableValue(str(error))
