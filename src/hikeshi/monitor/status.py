"""`hikeshi monitor status`: per watch, each source's last poll, next poll and errors, and the latest signals.

Built only from what the daemon saved (the sources table, signals, the alert tables), so it works whether or
not a monitor is running, and tells the same story after a restart.
"""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.alerts import AlertBook, Thread
from hikeshi.monitor.schedule import bookkeeping, due_at, failures
from hikeshi.records import Signal
from hikeshi.store import Source, Store

LATEST_SIGNALS = 5


class SourceStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    target: str
    interval_seconds: int
    last_polled_at: AwareDatetime | None
    next_poll_at: AwareDatetime | None
    last_success_at: str | None = None
    failures: int = 0
    last_error: str | None = None
    posts_total: int = 0


class WatchStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    watch: str
    posts: int
    sources: list[SourceStatus]
    latest_signals: list[Signal] = Field(description="newest first")
    open_threads: list[Thread]
    channels: int


def source_status(source: Source) -> SourceStatus:
    book = bookkeeping(source)
    target = source.config.get("url") or source.config.get("query") or "（ウォッチの語句）"
    error = book.get("last_error") if failures(source) else None
    return SourceStatus(
        id=source.id,
        kind=source.kind,
        target=str(target),
        interval_seconds=source.interval_seconds,
        last_polled_at=source.last_polled_at,
        next_poll_at=due_at(source),
        last_success_at=book.get("last_success_at"),
        failures=failures(source),
        last_error=str(error) if error else None,
        posts_total=int(book.get("posts_total", 0)),
    )


def monitor_status(store: Store, book: AlertBook | None, watch: str | None = None) -> list[WatchStatus]:
    names = [store.get_watch(watch).name] if watch else [w.name for w in store.list_watches()]
    threads = book.open_threads() if book is not None else []
    channels = book.channels() if book is not None else []
    statuses = []
    for name in names:
        signals = store.list_signals(name)
        statuses.append(
            WatchStatus(
                watch=name,
                posts=store.count_posts(name),
                sources=[source_status(source) for source in store.list_sources(name)],
                latest_signals=list(reversed(signals[-LATEST_SIGNALS:])),
                open_threads=[t for t in threads if t.watch == name],
                channels=sum(1 for c in channels if c.watch == name),
            )
        )
    return statuses


def age(moment: dt.datetime | None, now: dt.datetime) -> str:
    """「3 分前」「2 時間後」: what an operator wants to see next to a timestamp."""
    if moment is None:
        return "—"
    seconds = (now - moment).total_seconds()
    suffix = "前" if seconds >= 0 else "後"
    seconds = abs(seconds)
    if seconds < 60:
        return f"{int(seconds)} 秒{suffix}"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分{suffix}"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} 時間{suffix}"
    return f"{int(seconds // 86400)} 日{suffix}"
