"""How dates, times and numbers are written in every draft: one way each, so documents agree with each other.

A count written 「3名」 in the release and 「三名」 in the Q&A reads as a discrepancy to a reporter and to the
consistency check alike, so every template formats through these filters and nothing else.
"""

from __future__ import annotations

import datetime as dt

from hikeshi.timezones import JST

WEEKDAYS = "月火水木金土日"


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    return value.astimezone(JST) if isinstance(value, dt.datetime) else value


def jdate(value: dt.date | dt.datetime) -> str:
    """``2026-03-14`` → 「2026年3月14日」."""
    day = _local(value)
    return f"{day.year}年{day.month}月{day.day}日"


def jdate_weekday(value: dt.date | dt.datetime) -> str:
    """「3月31日（火）」: for deadlines within the year, where the weekday helps the reader plan."""
    day = _local(value)
    return f"{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def jdatetime(value: dt.datetime) -> str:
    """「2026年3月10日 20時45分」 (Japan time)."""
    local = value.astimezone(JST)
    minutes = f"{local.minute}分" if local.minute else ""
    return f"{jdate(local)} {local.hour}時{minutes}"


def jwhen(value: dt.date | dt.datetime) -> str:
    """A date, or a date and time when one is given (``Unknown.when`` may be either)."""
    return jdatetime(value) if isinstance(value, dt.datetime) else jdate(value)


def jnumber(value: int) -> str:
    """Numbers as Japanese releases write them: ``412`` → 「412」, ``22000000`` → 「2,200万」."""
    if value >= 100_000_000 and value % 1_000_000 == 0:
        return f"{value / 100_000_000:,.2f}".rstrip("0").rstrip(".") + "億"
    if value >= 100_000 and value % 10_000 == 0:
        return f"{value // 10_000:,}万"
    return f"{value:,}"


def jcount(value: int, unit: str) -> str:
    """「3名」, 「2,200万回」."""
    return f"{jnumber(value)}{unit}"


def join_japanese(items: list[str]) -> str:
    """「A、B および C」 for two or more groups (the apology names every group it is addressed to)."""
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "、ならびに" + items[-1]


def sentence(text: str) -> str:
    """End a clause as a sentence: add 「。」 unless it already ends with one (or 」)."""
    text = text.strip()
    return text if not text or text[-1] in "。！？」）)" else text + "。"


FILTERS = {
    "jdate": jdate,
    "jdate_weekday": jdate_weekday,
    "jdatetime": jdatetime,
    "jwhen": jwhen,
    "jnumber": jnumber,
    "jcount": jcount,
    "join_japanese": join_japanese,
    "sentence": sentence,
}
