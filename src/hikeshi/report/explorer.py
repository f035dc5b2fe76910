"""The mentions explorer: filters as people type them (local times, 「ネガティブ」, a page number) turned into a
`Store.search_posts` call, one page at a time.

Times in the form are the watch's local wall-clock time (JST), because that is what the people reading the
posts live in; they are converted to aware datetimes here, not in the page handler.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.errors import InputError
from hikeshi.store import Store, StoredPost

PAGE_SIZE = 50
MAX_PAGE = 10_000
SENTIMENT_LABELS = {"negative": "否定的", "neutral": "中立", "positive": "肯定的"}


class ExplorerFilters(BaseModel):
    """What the explorer's form sends; every field is optional."""

    model_config = ConfigDict(frozen=True)

    q: str = ""
    sentiment: str = ""
    source: str = ""
    since: str = Field(default="", description="local time, 2026-03-12T21:00 (the datetime-local format)")
    until: str = ""
    page: int = 1


class ExplorerPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    filters: ExplorerFilters
    posts: list[StoredPost]
    page: int
    has_next: bool
    sources: list[str]
    total: int = Field(description="all posts of the watch, before filtering")


def parse_local_time(value: str, zone: dt.tzinfo, field: str) -> dt.datetime | None:
    """「2026-03-12T21:00」 or 「2026-03-12」 in the watch's zone; an ISO time with an offset keeps its offset."""
    text = value.strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{field}の日時「{text}」を読めません。2026-03-12T21:00 のように入力してください。"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def explore(store: Store, watch: str, filters: ExplorerFilters, zone: dt.tzinfo) -> ExplorerPage:
    """One page of posts (newest first); asks for one more than a page to know whether there is a next one."""
    if filters.sentiment and filters.sentiment not in SENTIMENT_LABELS:
        raise InputError(f"感情の指定が正しくありません（{filters.sentiment}）。")
    page = min(max(filters.page, 1), MAX_PAGE)
    since = parse_local_time(filters.since, zone, "開始")
    until = parse_local_time(filters.until, zone, "終了")
    if since is not None and until is not None and until <= since:
        raise InputError("終了の日時は開始より後にしてください。")
    summary = store.watch_summary(watch)
    found = store.search_posts(
        watch,
        q=filters.q.strip() or None,
        since=since,
        until=until,
        sentiment=filters.sentiment or None,
        source=filters.source or None,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    return ExplorerPage(
        filters=filters.model_copy(update={"page": page}),
        posts=found[:PAGE_SIZE],
        page=page,
        has_next=len(found) > PAGE_SIZE,
        sources=sorted(summary.posts_by_source),
        total=summary.posts,
    )
