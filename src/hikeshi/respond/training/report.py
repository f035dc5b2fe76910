"""The completion list as CSV (UTF-8 with BOM, so that Excel in Japan opens it without garbling).

Names and departments are typed by people, so a cell that starts like a formula (=, +, -, @) is written with a
leading apostrophe: a spreadsheet shows the text instead of running it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from hikeshi.respond.training.exams import PASS_MARK
from hikeshi.respond.training.records import Progress, SittingResult
from hikeshi.timezones import JST

CSV_HEADER = (
    "氏名",
    "部署",
    "役割",
    "事前テスト（点）",
    "事前テスト受験日",
    "事後テスト（点）",
    "事後テスト受験日",
    "修了",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _score(result: SittingResult | None) -> str:
    if result is None:
        return "未受験"
    if not result.complete:
        return f"受験中（{result.answered}/{result.total} 問）"
    return f"{result.score:.1f}"


def _date(result: SittingResult | None) -> str:
    if result is None or result.finished_at is None:
        return ""
    return result.finished_at.astimezone(JST).strftime("%Y-%m-%d")


def completion_rows(progress: Sequence[Progress]) -> list[list[str]]:
    return [
        [
            _cell(entry.trainee.name),
            _cell(entry.trainee.department),
            entry.trainee.role.label,
            _score(entry.pre),
            _date(entry.pre),
            _score(entry.post),
            _date(entry.post),
            "修了" if entry.completed else "未修了",
        ]
        for entry in progress
    ]


def completion_csv(progress: Sequence[Progress]) -> str:
    """The CSV text, BOM included: write it with `encoding="utf-8"` (or send it as bytes) as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    writer.writerows(completion_rows(progress))
    return "\ufeff" + buffer.getvalue()


PASS_NOTE = f"修了の条件: 事後テストで {PASS_MARK:.0f} 点以上（100 点満点）。"
