"""Numbers and dates as Japanese documents write them, read into comparable values.

５件 and 5件, 3,091万人 and 30,910,000人, 四十七名 and 47名 are the same count; 令和8年3月13日, 2026年3月13日,
2026/3/13, ３月１３日 and 3/13 are the same date (a date without a year matches any year). Text is NFKC-folded
first, so full-width digits and slashes are ASCII.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
_KANJI_LARGE = {"万": 10_000, "億": 100_000_000, "兆": 1_000_000_000_000}
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}

NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?(?:[万億兆][0-9,]*(?:千)?)*(?:千)?|[〇一二三四五六七八九十百千万億]+"


def fold(text: str) -> str:
    """NFKC: full-width digits, letters and punctuation become ASCII (５ → 5, ／ → /)."""
    return unicodedata.normalize("NFKC", text)


def parse_number(text: str) -> float | None:
    """「3,091万」→ 30910000, 「4万7千」→ 47000, 「四十七」→ 47, 「1.5億」→ 150000000; None if unreadable."""
    text = fold(text).replace(",", "")
    if not text:
        return None
    if text[0].isdigit():
        return _parse_mixed(text)
    return _parse_kanji(text)


def _parse_mixed(text: str) -> float | None:
    total = 0.0
    section = 0.0
    current: float | None = None
    for token in re.findall(r"[0-9]+(?:\.[0-9]+)?|[千万億兆]", text):
        if token == "千":
            section += (current if current is not None else 1.0) * 1000
            current = None
        elif token in _KANJI_LARGE:
            total += (section + (current or 0.0) or 1.0) * _KANJI_LARGE[token]
            section, current = 0.0, None
        else:
            current = float(token)
    return total + section + (current or 0.0)


def _parse_kanji(text: str) -> float | None:
    total = 0
    section = 0
    digit = 0
    for char in text:
        if char in _KANJI_DIGITS:
            digit = digit * 10 + _KANJI_DIGITS[char]
        elif char in _KANJI_SMALL:
            section += (digit or 1) * _KANJI_SMALL[char]
            digit = 0
        elif char in _KANJI_LARGE:
            total += (section + digit) * _KANJI_LARGE[char]
            section = digit = 0
        else:
            return None
    return float(total + section + digit)


@dataclass(frozen=True, slots=True)
class LooseDate:
    """A calendar date whose year may be unknown (「3月13日」)."""

    year: int | None
    month: int
    day: int

    def same_as(self, other: LooseDate) -> bool:
        if (self.month, self.day) != (other.month, other.day):
            return False
        return self.year is None or other.year is None or self.year == other.year

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}-{self.day:02d}" if self.year else f"{self.month}月{self.day}日"

    @classmethod
    def of(cls, value: dt.date) -> LooseDate:
        return cls(value.year, value.month, value.day)


_KANJI_NUMBER = r"[〇一二三四五六七八九十]+"
DATE = re.compile(
    r"(?:(?P<era>令和|平成|昭和)(?P<era_year>元|[0-9]{1,2}|[〇一二三四五六七八九十]+)年|(?P<year>[0-9]{4})年)?\s*"
    rf"(?P<month>[0-9]{{1,2}}|{_KANJI_NUMBER})月\s*(?P<day>[0-9]{{1,2}}|{_KANJI_NUMBER})日"
    r"|(?P<iso_year>[0-9]{4})[/.\-](?P<iso_month>[0-9]{1,2})[/.\-](?P<iso_day>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9/.\-:])(?P<md_month>[0-9]{1,2})/(?P<md_day>[0-9]{1,2})(?![0-9/])"
)


def _small(text: str) -> int:
    if text == "元":
        return 1
    value = parse_number(text)
    return int(value) if value is not None else 0


def read_date(match: re.Match[str]) -> LooseDate | None:
    """The date of a DATE match, or None when it is not a real calendar date (13月, 2/30)."""
    groups = match.groupdict()
    if groups["iso_year"]:
        year: int | None = int(groups["iso_year"])
        month, day = int(groups["iso_month"]), int(groups["iso_day"])
    elif groups["md_month"]:
        year, month, day = None, int(groups["md_month"]), int(groups["md_day"])
    else:
        year = None
        if groups["era"]:
            year = _ERAS[groups["era"]] + _small(groups["era_year"])
        elif groups["year"]:
            year = int(groups["year"])
        month, day = _small(groups["month"]), _small(groups["day"])
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: 2/29 without a year is a real date
    except ValueError:
        return None
    return LooseDate(year, month, day)


def find_dates(text: str) -> list[tuple[int, int, LooseDate]]:
    """(start, end, date) for every date in NFKC-folded `text`."""
    found = []
    for match in DATE.finditer(text):
        date = read_date(match)
        if date is not None:
            found.append((match.start(), match.end(), date))
    return found
