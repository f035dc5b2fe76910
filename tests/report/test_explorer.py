"""Explorer filters typed in local time."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.report.explorer import parse_local_time

JST = dt.timezone(dt.timedelta(hours=9))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-12T21:00", dt.datetime(2026, 3, 12, 21, 0, tzinfo=JST)),
        ("2026-03-12", dt.datetime(2026, 3, 12, 0, 0, tzinfo=JST)),
        ("2026-03-12T12:00:00+00:00", dt.datetime(2026, 3, 12, 21, 0, tzinfo=JST)),
        ("  ", None),
    ],
)
def test_local_times(value: str, expected: dt.datetime | None) -> None:
    assert parse_local_time(value, JST, "開始") == expected


@pytest.mark.parametrize("value", ["昨日", "2026/03/12 21:00", "21時"])
def test_unreadable_times_are_explained(value: str) -> None:
    with pytest.raises(InputError, match=f"開始の日時「{value}」を読めません"):
        parse_local_time(value, JST, "開始")
