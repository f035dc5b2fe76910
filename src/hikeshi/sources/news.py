"""News article pages: the body text is extracted with trafilatura, without menus, related links and footers.

A news pickup is one of the strongest escalation signals of a flame (「ネットで炎上」 articles), so an article
becomes a Post like any other: its text is the headline plus the body, its time the publication time from the
page's metadata. Dates without a time or zone are read as Japan time, since that is how Japanese news sites
write them (「2025年3月4日」).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urldefrag
from zoneinfo import ZoneInfo

from hikeshi.records import Post
from hikeshi.settings import Settings
from hikeshi.sources.base import Clock, FetchResult, SourceSpec, SourceState, register_source
from hikeshi.sources.http import FetchError, SafeHttpClient, raise_for_status
from hikeshi.timezones import utc_now

JAPAN = ZoneInfo("Asia/Tokyo")
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def parse_published(value: str | None) -> dt.datetime | None:
    """An ISO date or date-time from page metadata, made timezone-aware (Japan time when no zone is given)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=JAPAN)


def extract_article(html: str | bytes, url: str, fetched_at: dt.datetime) -> Post:
    """Turn one article page into a Post (pure; the fetching lives in NewsSource)."""
    import trafilatura  # imported here: it costs half a second, and every `hikeshi` command would pay it

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
    )
    if document is None or isinstance(document, dict) or not (document.text or "").strip():
        raise FetchError(f"記事の本文を取り出せませんでした: {url}")
    title = (document.title or "").strip()
    body = (document.text or "").strip()
    text = body if not title or body.startswith(title) else f"{title}\n{body}"
    source_id = urldefrag(url).url
    return Post(
        source="news",
        source_id=source_id,
        url=document.url or source_id,
        author=document.author or document.sitename or None,
        text=text,
        created_at=parse_published(document.date) or fetched_at,
        fetched_at=fetched_at,
    )


class NewsSource:
    """One article URL; an unchanged page (304) yields nothing, a changed one yields the updated article."""

    kind = "news"

    def __init__(self, url: str, client: SafeHttpClient, *, clock: Clock = utc_now) -> None:
        self.url = url
        self._client = client
        self._clock = clock

    def fetch(self, state: SourceState) -> FetchResult:
        headers: dict[str, str] = {"Accept": "text/html,application/xhtml+xml"}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        response = self._client.get(self.url, headers=headers)
        fetched_at = self._clock()
        if response.status_code == 304:
            return FetchResult(posts=[], state=state, not_modified=True)
        raise_for_status(response, "記事")
        # With a declared charset decode here; otherwise let trafilatura sniff <meta charset> (Shift_JIS pages).
        page: str | bytes = response.text if response.encoding else response.content
        post = extract_article(page, self.url, fetched_at)
        new_state = state.model_copy(
            update={
                "etag": response.headers.get("etag"),
                "last_modified": response.headers.get("last-modified"),
                "fetched_at": fetched_at,
            }
        )
        return FetchResult(posts=[post], state=new_state)


def _build(spec: SourceSpec, settings: Settings, client: SafeHttpClient) -> NewsSource:
    return NewsSource(spec.target, client)


register_source("news", _build)
