"""Turning one loosely typed record (a JSON object, a CSV row) into a `Post`, with a stable key.

Times without a zone are read as Japan time, because that is what Japanese exports and hand-written files
mean by 「2026-05-01 10:00」. A record without a source_id gets a content hash of source + author + created_at
+ text, so re-importing the same file (or the same post from another export) finds the same key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import reprlib
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from hikeshi.errors import InputError
from hikeshi.records import Post
from hikeshi.timezones import JST
from hikeshi.untrusted_json import check_text, json_type_name, loads_untrusted, subject

# Japan has not observed daylight saving time since 1951, so a fixed offset is exact and needs no tzdata.
METRIC_FIELDS = ("likes", "reposts", "replies", "views")
_JAPANESE_DATE = re.compile(
    r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:時]\s*(\d{1,2})\s*分?(?:\s*:?\s*(\d{1,2})\s*秒?)?)?\s*$"
)
_FIELD_LABELS = {
    "source": "source",
    "source_id": "source_id",
    "text": "text（本文）",
    "created_at": "created_at（投稿日時）",
    "author_followers": "author_followers（フォロワー数）",
    "rating": "rating（評価）",
}


# Values quoted in messages are cut short: an input may be a 1 MB string or a deeply nested array.
_SHORT = reprlib.Repr()  # (keyword arguments only from Python 3.12)
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlevel = 2
_ID_FIELDS = frozenset({"source_id", "id", "parent_id", "quote_id", "author"})
"""Text fields that also take a number (exports often write ids and numeric user ids as JSON numbers)."""

MIN_YEAR = 1990
MAX_YEAR = 2200


def parse_time(value: Any, field: str = "created_at") -> dt.datetime:
    """ISO 8601, 「2026/05/01 10:00」, 「2026年5月1日」 or epoch seconds; naive values are Japan time.

    >>> parse_time("2026-05-01T10:00:00").isoformat()
    '2026-05-01T10:00:00+09:00'
    """
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parsed = dt.datetime.fromtimestamp(float(value), dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise InputError(f"{field} のエポック秒 {value!r} は日時として扱えません。") from None
    elif isinstance(value, str) and value.strip():
        parsed = _parse_time_text(value.strip(), field)
    elif value is not None and not isinstance(value, str):
        raise InputError(
            f"{field} は日時の文字列かエポック秒にしてください（{json_type_name(value)}が渡されました）。"
        )
    else:
        raise InputError(
            f"{field} がありません。ISO 8601 の日時（例: 2026-05-01T10:00:00+09:00）が必要です。"
        )
    aware = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=JST)
    # The store keeps UTC; years outside this range are typos (0001, 9999) that would fail inside the INSERT.
    try:
        year = aware.astimezone(dt.UTC).year
    except OverflowError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(f"{field} の日時 {aware.isoformat()} は範囲外です（{MIN_YEAR}〜{MAX_YEAR} 年）。")
    return aware


def _parse_time_text(text: str, field: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    match = _JAPANESE_DATE.match(text)
    if match:
        year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass
    raise InputError(f"{field} の日時 {_SHORT.repr(text)} を読めません。例: 2026-05-01T10:00:00+09:00")


def content_key(source: str, author: str | None, created_at: dt.datetime, text: str) -> str:
    """A stable source_id for records that have none: the same post always hashes to the same key."""
    material = "\x1f".join((source, author or "", created_at.astimezone(dt.UTC).isoformat(), text))
    return "h-" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


def post_from_record(
    record: Mapping[str, Any], default_source: str, fetched_at: dt.datetime | None = None
) -> Post:
    """Validate one record into a Post; raises InputError with a Japanese message naming the field.

    Text fields take strings (ids and authors also numbers, as their decimal form: exports often write them as
    JSON numbers); anything else is an error rather than a Python repr stored as text. A lone surrogate in a stored
    text is an error too (`hikeshi.untrusted_json`): it could not be written to the database as UTF-8.
    """
    values = {key: _blank_to_none(value) for key, value in record.items() if isinstance(key, str)}
    text = _text_field(values, "text")
    if text is None:
        raise InputError("text（本文）がありません。")
    source = _text_field(values, "source") or default_source
    created_at = parse_time(values.get("created_at"))
    author = _text_field(values, "author")
    fields: dict[str, Any] = {
        "source": source,
        "source_id": _text_field(values, "source_id", fallback="id"),
        "url": _text_field(values, "url"),
        "author": author,
        "author_followers": values.get("author_followers"),
        "text": text,
        "created_at": created_at,
        "fetched_at": parse_time(values["fetched_at"], "fetched_at")
        if values.get("fetched_at")
        else fetched_at,
        "metrics": _metrics(values),
        "parent_id": _text_field(values, "parent_id"),
        "quote_id": _text_field(values, "quote_id"),
        "language": _text_field(values, "language") or "ja",
        "rating": values.get("rating"),
        "reply": _text_field(values, "reply"),
    }
    if fields["source_id"] is None:
        fields["source_id"] = content_key(source, author, created_at, text)
    try:
        return Post.model_validate(fields)
    except ValidationError as error:
        raise InputError(_describe(error)) from None


def _text_field(values: Mapping[str, Any], field: str, fallback: str | None = None) -> str | None:
    """A text field as str (for ids, numbers as their decimal form), None when absent or blank."""
    name = field if field in values or fallback is None else fallback
    value = values.get(name)
    label = _FIELD_LABELS.get(name, name)
    if value is None:
        return None
    if name in _ID_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError(f"{subject(label)}は文字列にしてください（{json_type_name(value)}が渡されました）。")
    check_text(value, label)
    if "\x00" in value:  # PostgreSQL text cannot hold NUL: the whole batch's INSERT would fail
        raise InputError(
            f"{subject(label)}に NUL 文字（U+0000）があります。保存できないので取り除いてください。"
        )
    return value


def _metrics(values: Mapping[str, Any]) -> dict[str, Any]:
    metrics = values.get("metrics")
    if isinstance(metrics, str):
        try:
            metrics = loads_untrusted(metrics)
        except InputError as error:
            raise InputError(f"metrics が JSON のオブジェクトとして読めません: {error}") from None
    if metrics is None:
        metrics = {}
    if not isinstance(metrics, Mapping):
        raise InputError("metrics は {likes, reposts, replies, views} のオブジェクトにしてください。")
    merged = {key: value for key, value in metrics.items() if key in METRIC_FIELDS and value is not None}
    merged.update({key: values[key] for key in METRIC_FIELDS if values.get(key) is not None})
    return merged


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"])
        label = _FIELD_LABELS.get(location, location)
        problems.append(f"{subject(label)}の値 {_SHORT.repr(item.get('input'))} が不正です（{item['msg']}）")
    return "、".join(problems)
