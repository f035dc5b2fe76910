"""The drill's stand-in for the internet: a real HTTP server on 127.0.0.1 that serves the scenario as it unfolds.

It answers the two kinds of request the monitor's real sources make, with the documents those sources read:

- ``GET /2/tweets/search/recent`` as the X API v2 recent search (``since_id``, ``max_results``,
  ``next_token``, ``expansions=author_id`` with the authors' follower counts), newest first;
- ``GET /news.rss``: an RSS 2.0 feed of the news articles published so far.

Only what has happened by the drill's clock is served, so the monitor sees the flame grow poll after poll,
as it would live. The server lives only as long as the drill, and the drill's HTTP client may reach it and
nothing else (`LoopbackOnly`), so allowing it does not open the SSRF guard to anything else.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import httpx

from hikeshi.drills.generate import DrillNews, DrillPost, Timeline
from hikeshi.sources import UnsafeUrlError

SEARCH_PATH = "/2/tweets/search/recent"
NEWS_PATH = "/news.rss"
DRILL_TOKEN = "hikeshi-drill"
"""The bearer token the drill's X source sends (the server checks it, as the API would)."""
MAX_PAGE = 100
NEWS_IN_FEED = 50

Clock = Callable[[], dt.datetime]


class DrillServer:
    """Serves `timeline` up to `clock()`; `base_url` is where the drill's sources point."""

    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        self.timeline = timeline
        self.clock = clock
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                server.requests += 1
                if parts.path == SEARCH_PATH:
                    if self.headers.get("Authorization") != f"Bearer {DRILL_TOKEN}":
                        self._reply(401, b'{"title": "Unauthorized"}', "application/json")
                        return
                    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
                    body = json.dumps(server.search_page(query), ensure_ascii=False).encode()
                    self._reply(200, body, "application/json; charset=utf-8")
                elif parts.path == NEWS_PATH:
                    self._reply(200, server.news_feed(), "application/rss+xml; charset=utf-8")
                else:
                    self._reply(404, b"not found", "text/plain")

            def _reply(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- documents --------------------------------------------------------------------------------------------

    def search_page(self, query: dict[str, str]) -> dict[str, Any]:
        """One page of recent search: posts newer than since_id and not after the drill's now, newest first.

        A ``next_token`` remembers the newest id of the first page, so posts that appear while a backlog is
        paged through wait for the next poll instead of shifting the pages.
        """
        since = _int(query.get("since_id"), 0)
        size = min(max(_int(query.get("max_results"), 10), 10), MAX_PAGE)
        token = query.get("next_token")
        ceiling, offset = (int(part) for part in token.split(":")) if token else (None, 0)
        now = self.clock()
        found = [
            post
            for post in reversed(self.timeline.posts)
            if post.at <= now and post.id > since and (ceiling is None or post.id <= ceiling)
        ]
        page = found[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta.update(newest_id=str(page[0].id), oldest_id=str(page[-1].id))
        if offset + size < len(found):
            top = ceiling if ceiling is not None else found[0].id
            meta["next_token"] = f"{top}:{offset + size}"
        users = {post.author: post for post in page}
        return {
            "data": [_tweet(post) for post in page],
            "includes": {"users": [_user(post) for post in users.values()]},
            "meta": meta,
        }

    def news_feed(self) -> bytes:
        now = self.clock()
        published = [item for item in self.timeline.news if item.at <= now][-NEWS_IN_FEED:]
        entries = "\n".join(_item(item) for item in reversed(published))
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>訓練用ニュース</title>
    <link>https://news.example.jp/</link>
    <description>hikeshi の炎上訓練で配信する架空のニュース</description>
    <language>ja</language>
{entries}
  </channel>
</rss>
""".encode()


class LoopbackOnly(httpx.BaseTransport):
    """An httpx transport that reaches the drill server and nothing else, on every hop.

    The drill's client allows private addresses (its server is on 127.0.0.1), so the guard that would refuse
    them is replaced, for this client only, by a stricter one: this one address and port.
    """

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if (request.url.scheme, request.url.host, request.url.port) != ("http", "127.0.0.1", self._port):
            raise UnsafeUrlError(f"訓練中は訓練用サーバー以外には接続しません: {request.url}")
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@contextmanager
def serving(timeline: Timeline, clock: Clock) -> Iterator[DrillServer]:
    server = DrillServer(timeline, clock)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _tweet(post: DrillPost) -> dict[str, Any]:
    return {
        "id": str(post.id),
        "text": post.text,
        "created_at": _iso(post.at),
        "author_id": post.author,
        "public_metrics": {
            "retweet_count": post.reposts,
            "reply_count": post.replies,
            "like_count": post.likes,
            "quote_count": 0,
            "impression_count": post.views,
        },
    }


def _user(post: DrillPost) -> dict[str, Any]:
    return {
        "id": post.author,
        "username": post.author,
        "name": post.author,
        "public_metrics": {"followers_count": post.followers},
    }


def _item(item: DrillNews) -> str:
    published = format_datetime(item.at.astimezone(dt.UTC), usegmt=True)
    return f"""    <item>
      <title>{escape(item.title)}</title>
      <link>https://news.example.jp/articles/{escape(item.guid)}</link>
      <guid isPermaLink="false">{escape(item.guid)}</guid>
      <dc:creator>{escape(item.outlet)}</dc:creator>
      <pubDate>{published}</pubDate>
      <description>{escape(item.text)}</description>
    </item>"""
