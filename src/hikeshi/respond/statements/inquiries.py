"""The call centre's inquiry log as CSV: the format the call script prints, read back for the Q&A.

A call centre often logs in a spreadsheet first. The CSV's header may be the Japanese column names the script
shows (日時, 経路, 区分, ご質問, 回答, 繰り返し, エスカレーション, 記録者) or their English keys; a bad row is
reported with its line number and the rows before it are not lost.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from hikeshi.errors import ConfigError
from hikeshi.respond.statements.records import Inquiry
from hikeshi.timezones import JST

COLUMNS = {
    "at": "日時",
    "channel": "経路",
    "caller": "区分",
    "question": "ご質問",
    "answer": "回答",
    "repeat": "繰り返し",
    "escalated": "エスカレーション",
    "logged_by": "記録者",
}
_BY_LABEL = {label: key for key, label in COLUMNS.items()} | {key: key for key in COLUMNS}
_YES = {"yes", "y", "true", "1", "はい", "○", "有"}
MAX_CSV_BYTES = 5 * 1024 * 1024


def parse_time(text: str) -> dt.datetime:
    """「2026-03-14 10:05」 or ISO 8601; a time without a zone is Japan time."""
    value = dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    return value.replace(tzinfo=JST) if value.tzinfo is None else value


def read_inquiries_csv(path: Path) -> list[Inquiry]:
    """Every row as an Inquiry; ConfigError with file:line for the first row that cannot be read."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise ConfigError(str(path), None, f"大きすぎます（上限 {MAX_CSV_BYTES:,} バイト）。")
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(str(path), None, "ファイルが見つかりません。") from None
    except UnicodeDecodeError:
        raise ConfigError(
            str(path), None, "UTF-8 として読めません（Excel では「CSV UTF-8」で保存してください）。"
        ) from None
    reader = csv.DictReader(io.StringIO(source))
    unknown = [name for name in reader.fieldnames or [] if name.strip() not in _BY_LABEL]
    if unknown:
        raise ConfigError(
            str(path), 1, f"知らない列です: {', '.join(unknown)}（使える列: {', '.join(COLUMNS.values())}）"
        )
    if "question" not in {_BY_LABEL[name.strip()] for name in reader.fieldnames or []}:
        raise ConfigError(str(path), 1, "「ご質問」の列がありません。")
    found: list[Inquiry] = []
    for row in reader:
        line = reader.line_num
        values = {
            _BY_LABEL[key.strip()]: (value or "").strip() for key, value in row.items() if key is not None
        }
        if not any(values.values()):
            continue
        try:
            found.append(
                Inquiry(
                    at=parse_time(values["at"]) if values.get("at") else dt.datetime.now(JST),
                    channel=values.get("channel") or "phone",
                    caller=values.get("caller") or "customer",
                    question=values.get("question", ""),
                    answer=values.get("answer") or None,
                    repeat=values.get("repeat", "").lower() in _YES,
                    escalated=values.get("escalated", "").lower() in _YES,
                    logged_by=values.get("logged_by", ""),
                )
            )
        except ValueError as error:
            problem = (
                "「ご質問」が空です"
                if isinstance(error, ValidationError) and not values.get("question")
                else f"読めない値があります（日時は 2026-03-14 10:05 のように書いてください）: {error}".splitlines()[
                    0
                ]
            )
            raise ConfigError(str(path), line, problem) from None
    return found


def inquiries_csv(inquiries: Sequence[Inquiry]) -> str:
    """The log as CSV with the Japanese header, the format `read_inquiries_csv` reads back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS.values())
    for inquiry in inquiries:
        writer.writerow(
            [
                inquiry.at.astimezone(JST).strftime("%Y-%m-%d %H:%M"),
                inquiry.channel,
                inquiry.caller,
                inquiry.question,
                inquiry.answer or "",
                "yes" if inquiry.repeat else "",
                "yes" if inquiry.escalated else "",
                inquiry.logged_by,
            ]
        )
    return buffer.getvalue()
