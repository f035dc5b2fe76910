"""Time zones and the wall clock, defined once.

Records keep UTC; people read Japan time, so every display converts with `JST`. Code that needs "now" takes a
clock argument defaulting to `utc_now`, so tests can pass their own.
"""

from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
