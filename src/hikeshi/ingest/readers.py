"""Readers for the file formats `hikeshi ingest` accepts, each yielding one `ParsedRecord` per record.

- jsonl: one JSON object per line with the Post fields (DESIGN.md); `id` is read as source_id. A line nested
  too deep or holding a lone surrogate is one bad record (`hikeshi.untrusted_json`), not the end of the file.
- csv: the same fields as columns (metrics as likes/reposts/replies/views columns, or a JSON `metrics` column).
- review-csv: review-site exports with rating, text, date and reply columns, in English or Japanese headers
  (評価, 本文, 投稿日, 返信). The company's reply is kept on the review (Post.reply): replies are drafts the
  guard can check, and a rude reply is itself a cause of flames.
CSV files may be UTF-8 (with or without BOM) or Shift_JIS (cp932), which Japanese spreadsheet exports use.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from hikeshi.errors import HikeshiError, InputError
from hikeshi.ingest.parse import post_from_record
from hikeshi.ingest.records import ParsedRecord
from hikeshi.untrusted_json import parse_json_line

FORMATS = ("jsonl", "csv", "review-csv")
Reader = Callable[[IO[bytes], dt.datetime], Iterator[ParsedRecord]]

REVIEW_ALIASES: dict[str, tuple[str, ...]] = {
    "rating": ("rating", "stars", "star", "score", "評価", "星", "星評価", "評価点"),
    "text": (
        "text",
        "review",
        "comment",
        "body",
        "content",
        "本文",
        "口コミ",
        "クチコミ",
        "レビュー",
        "コメント",
    ),
    "created_at": ("date", "created_at", "posted_at", "time", "投稿日", "投稿日時", "日付", "日時"),
    "author": ("author", "reviewer", "name", "user", "投稿者", "投稿者名", "ユーザー", "名前"),
    "source_id": ("source_id", "id", "review_id", "レビューid", "口コミid"),
    "url": ("url", "link", "リンク"),
    "source": ("source", "site", "サイト"),
}
REPLY_ALIASES = ("reply", "response", "owner_reply", "返信", "オーナーからの返信", "店舗からの返信")


def read_jsonl(
    handle: IO[bytes], fetched_at: dt.datetime, default_source: str = "jsonl"
) -> Iterator[ParsedRecord]:
    for line_number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        try:
            record = parse_json_line(raw, bom=line_number == 1)
            if not isinstance(record, dict):
                raise InputError("1 行に 1 つの JSON オブジェクト {...} を書いてください。")
            yield ParsedRecord(line_number, post=post_from_record(record, default_source, fetched_at))
        except HikeshiError as error:
            yield ParsedRecord(line_number, error=str(error))


def read_csv(
    handle: IO[bytes], fetched_at: dt.datetime, default_source: str = "csv"
) -> Iterator[ParsedRecord]:
    for line_number, row in _csv_rows(handle):
        if isinstance(row, str):
            yield ParsedRecord(line_number, error=row)
            continue
        try:
            yield ParsedRecord(line_number, post=post_from_record(row, default_source, fetched_at))
        except HikeshiError as error:
            yield ParsedRecord(line_number, error=str(error))


def read_review_csv(
    handle: IO[bytes], fetched_at: dt.datetime, default_source: str = "review"
) -> Iterator[ParsedRecord]:
    for line_number, row in _csv_rows(handle, rename=_review_column):
        if isinstance(row, str):
            yield ParsedRecord(line_number, error=row)
            continue
        try:
            yield ParsedRecord(line_number, post=post_from_record(row, default_source, fetched_at))
        except HikeshiError as error:
            yield ParsedRecord(line_number, error=str(error))


READERS: dict[str, Reader] = {"jsonl": read_jsonl, "csv": read_csv, "review-csv": read_review_csv}


def detect_format(path: str, head: bytes) -> str:
    """jsonl for .jsonl/.ndjson/.json or a first character `{`; review-csv when the CSV header looks like
    a review export (rating + text + date, no created_at); csv otherwise."""
    suffix = Path(path).suffix.lower()
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if suffix in (".jsonl", ".ndjson", ".json") or stripped.startswith(b"{") or path == "-":
        return "jsonl"
    header_line = _decode_head(head).splitlines()[0] if head.strip() else ""
    header = {_header_key(name) for name in next(csv.reader([header_line]), [])}
    has = {field: any(alias in header for alias in aliases) for field, aliases in REVIEW_ALIASES.items()}
    if has["rating"] and has["text"] and has["created_at"] and "created_at" not in header:
        return "review-csv"
    if "text" in header and "created_at" in header:
        return "csv"
    if has["rating"] and has["text"]:
        return "review-csv"
    return "csv"


def open_input(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except FileNotFoundError:
        raise InputError(f"ファイル {path} が見つかりません。") from None
    except OSError as error:
        raise InputError(f"ファイル {path} を開けません: {error.strerror}") from None


def _csv_rows(
    handle: IO[bytes], rename: Callable[[str], str] | None = None
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number where the row starts, row dict or an error message) for each non-empty data row."""
    text = _text_stream(handle)
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        yield 1, f"CSV の見出し行を読めません: {error}"
        return
    names = [(rename or _header_key)(name) for name in header]
    if "text" not in names:
        yield 1, "見出し行に text（本文）の列がありません。"
        return
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            yield start, f"CSV の行を読めません: {error}"
            continue
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(names):
            yield start, f"列の数 ({len(values)}) が見出し ({len(names)}) より多くなっています。"
            continue
        yield start, dict(zip(names, values, strict=False))


def _text_stream(handle: IO[bytes]) -> io.TextIOWrapper:
    """UTF-8 (BOM or not) unless the file is not valid UTF-8 anywhere, then cp932 (Shift_JIS exports).

    The whole file is checked, not just its start: a Shift_JIS export whose first rows happen to be ASCII would
    otherwise be read as UTF-8 and stop at its first Japanese row. CSV exports are small enough to hold.
    """
    data = handle.read()
    encoding = "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp932"
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")


def _decode_head(head: bytes) -> str:
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return head.decode("cp932", errors="replace")


def _header_key(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _review_column(name: str) -> str:
    key = _header_key(name)
    for field, aliases in REVIEW_ALIASES.items():
        if key in aliases:
            return field
    if key in REPLY_ALIASES:
        return "reply"
    return key
