"""The inquiry log CSV: Japanese or English headers, a bad row reported with its line, written back the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.respond.statements.inquiries import inquiries_csv, read_inquiries_csv


def test_japanese_header_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "inquiries.csv"
    path.write_text(
        "日時,経路,区分,ご質問,回答,繰り返し,エスカレーション,記録者\n"
        "2026-03-14 10:05,phone,customer,保証は続きますか,,,,相談室 A\n"
        "2026/03/14 10:40,email,press,社長の会見はありますか,広報部に引き継ぎました,,yes,相談室 B\n",
        encoding="utf-8-sig",  # Excel's CSV UTF-8 writes a BOM
    )
    found = read_inquiries_csv(path)
    assert [(i.question, i.escalated, i.caller) for i in found] == [
        ("保証は続きますか", False, "customer"),
        ("社長の会見はありますか", True, "press"),
    ]
    again = tmp_path / "again.csv"
    again.write_text(inquiries_csv(found), encoding="utf-8")
    assert read_inquiries_csv(again) == found


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("question,at\nいつ分かりますか,2026-03-14 10:05\n保証は,きのう\n", 3, "読めない値"),
        ("質問\nいつ分かりますか\n", 1, "知らない列です: 質問"),
        ("at,channel\n2026-03-14 10:05,phone\n", 1, "「ご質問」の列がありません"),
        ("ご質問,経路\n,phone\n", 2, "「ご質問」が空です"),
    ],
)
def test_bad_rows_name_the_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        read_inquiries_csv(path)
    assert raised.value.line == line
