"""RSS 2.0 and Atom feeds (news sites, blogs, Google Alerts, review sites) read with feedparser.

Feeds are polled often and rarely change, so the poll sends the previous ETag / Last-Modified back and a
``304 Not Modified`` costs no parsing. feedparser copes with the many broken feeds in the wild; a feed it
cannot read at all is reported in Japanese with its URL.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import time
from html.parser import HTMLParser
from typing import Any

import feedparser  # type: ignore[import-untyped]

from hikeshi.records import Post
from hikeshi.settings import Settings
from hikeshi.sources.base import Clock, FetchResult, SourceSpec, SourceState, register_source
from hikeshi.sources.http import FetchError, SafeHttpClient, raise_for_status
from hikeshi.timezones import utc_now


class _TextExtractor(HTMLParser):
    """Feed summaries are HTML fragments; a post's text is what a reader sees."""

    _BLOCKS = frozenset({"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(fragment: str) -> str:
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _entry_time(entry: Any) -> dt.datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value: time.struct_time | None = entry.get(field)
        if value is not None:
            # feedparser normalises every date to UTC in a struct_time.
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
    return None


def _entry_text(entry: Any) -> str:
    title = html_to_text(str(entry.get("title", "")))
    bodies = [str(part.get("value", "")) for part in entry.get("content", [])]
    bodies.append(str(entry.get("summary", "")))
    body = html_to_text(max(bodies, key=len))
    if body.startswith(title):
        return body
    return f"{title}\n{body}".strip()


def entry_to_post(entry: Any, feed_url: str, fetched_at: dt.datetime) -> Post | None:
    """One feed item as a Post; None for an item without any text (nothing to analyse)."""
    text = _entry_text(entry)
    if not text:
        return None
    link = entry.get("link")
    source_id = entry.get("id") or link
    if not source_id:
        # No guid and no link: the feed URL plus the text is still a stable key across polls.
        source_id = hashlib.sha256(f"{feed_url}\n{text}".encode()).hexdigest()[:32]
    return Post(
        source="rss",
        source_id=str(source_id),
        url=str(link) if link else None,
        author=str(entry["author"]) if entry.get("author") else None,
        text=text,
        created_at=_entry_time(entry) or fetched_at,
        fetched_at=fetched_at,
    )


def parse_feed(
    content: bytes, feed_url: str, fetched_at: dt.datetime, content_type: str | None = None
) -> list[Post]:
    """Parse RSS/Atom bytes into Posts (pure; the network part lives in RssSource)."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(content, response_headers=headers)
    if parsed.get("bozo") and not parsed.entries and not parsed.get("feed"):
        raise FetchError(
            f"フィード（RSS/Atom）として読めません: {feed_url}（{parsed.get('bozo_exception')}）"
        )
    posts = [entry_to_post(entry, feed_url, fetched_at) for entry in parsed.entries]
    return [post for post in posts if post is not None]


class RssSource:
    """One RSS or Atom feed URL."""

    kind = "rss"

    def __init__(self, url: str, client: SafeHttpClient, *, clock: Clock = utc_now) -> None:
        self.url = url
        self._client = client
        self._clock = clock

    def fetch(self, state: SourceState) -> FetchResult:
        headers: dict[str, str] = {
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"
        }
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        response = self._client.get(self.url, headers=headers)
        fetched_at = self._clock()
        if response.status_code == 304:
            return FetchResult(posts=[], state=state, not_modified=True)
        raise_for_status(response, "フィード")
        posts = parse_feed(response.content, self.url, fetched_at, response.headers.get("content-type"))
        new_state = state.model_copy(
            update={
                "etag": response.headers.get("etag"),
                "last_modified": response.headers.get("last-modified"),
                "fetched_at": fetched_at,
            }
        )
        return FetchResult(posts=posts, state=new_state)


def _build(spec: SourceSpec, settings: Settings, client: SafeHttpClient) -> RssSource:
    return RssSource(spec.target, client)


register_source("rss", _build)
