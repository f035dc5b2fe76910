"""Numbers and dates as Japanese documents write them."""

from __future__ import annotations

import pytest

from hikeshi.respond.statements.lint.quantities import LooseDate, find_dates, fold, parse_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("5", 5),
        ("５", 5),
        ("1,200", 1200),
        ("１，２００", 1200),
        ("3,091万", 30_910_000),
        ("4万7千", 47_000),
        ("1万2000", 12_000),
        ("1.5億", 150_000_000),
        ("四十七", 47),
        ("百二十", 120),
        ("三", 3),
    ],
)
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(written) == value


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("令和8年3月13日", LooseDate(2026, 3, 13)),
        ("2026年3月13日", LooseDate(2026, 3, 13)),
        ("２０２６年３月１３日", LooseDate(2026, 3, 13)),
        ("2026/3/13", LooseDate(2026, 3, 13)),
        ("2026-03-13", LooseDate(2026, 3, 13)),
        ("3月13日", LooseDate(None, 3, 13)),
        ("3/13（金）", LooseDate(None, 3, 13)),
        ("三月十三日", LooseDate(None, 3, 13)),
        ("令和元年5月1日", LooseDate(2019, 5, 1)),
        ("平成31年4月30日", LooseDate(2019, 4, 30)),
    ],
)
def test_dates(written: str, date: LooseDate) -> None:
    assert [found for _start, _end, found in find_dates(fold(written))] == [date]


@pytest.mark.parametrize("written", ["2/30", "13/1", "12:30", "1.5"])
def test_not_dates(written: str) -> None:
    assert find_dates(fold(written)) == []


def test_a_date_without_a_year_matches_any_year() -> None:
    assert LooseDate(None, 3, 13).same_as(LooseDate(2026, 3, 13))
    assert not LooseDate(2025, 3, 13).same_as(LooseDate(2026, 3, 13))
    assert not LooseDate(None, 3, 13).same_as(LooseDate(None, 3, 14))
