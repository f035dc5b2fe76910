"""The drill server is a real loopback HTTP server that the real X and RSS sources read, up to the drill's now.

Only the drill's own client may reach it (`LoopbackOnly`); the installation's guard still refuses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic import SecretStr

from hikeshi.drills import Timeline, build_timeline, load_scenario
from hikeshi.drills.server import DRILL_TOKEN, NEWS_PATH, DrillServer, LoopbackOnly, serving
from hikeshi.settings import Settings
from hikeshi.sources import (
    FetchError,
    RssSource,
    SafeHttpClient,
    SourceState,
    UnsafeUrlError,
    XRecentSearchSource,
)
from hikeshi.timezones import JST
from tests.drills.conftest import write_scenario
from tests.sources.loopback import Reply
from tests.sources.loopback import serving as other_server

ONSET = dt.datetime(2026, 3, 12, 19, 0, tzinfo=JST)


@pytest.fixture
def timeline(tmp_path: Path) -> Timeline:
    return build_timeline(load_scenario(write_scenario(tmp_path)), ONSET, run_stamp=3)


@contextmanager
def drill_client(
    timeline: Timeline, clock: Callable[[], dt.datetime]
) -> Iterator[tuple[DrillServer, SafeHttpClient]]:
    """The drill server and the client only the drill's monitor uses (private URLs allowed, one address)."""
    settings = Settings(
        allow_private_urls=True, x_bearer_token=SecretStr(DRILL_TOKEN), http_timeout_seconds=5
    )
    with (
        serving(timeline, clock) as server,
        SafeHttpClient(settings, transport=LoopbackOnly(server.port)) as client,
    ):
        yield server, client


def test_recent_search_pages_through_what_has_happened_once_each(timeline: Timeline) -> None:
    now = [ONSET + dt.timedelta(hours=1)]
    with drill_client(timeline, lambda: now[0]) as (server, client):
        source = XRecentSearchSource("コムギ堂", client, DRILL_TOKEN, base_url=server.base_url, page_size=10)
        first = source.fetch(SourceState())
        expected = [p for p in timeline.posts if p.at <= now[0]]
        assert sorted(int(p.source_id) for p in first.posts) == [p.id for p in expected]
        assert len(first.posts) > 10  # more than one page
        assert all(p.created_at <= now[0] for p in first.posts)
        origin = next(p for p in first.posts if p.author == "pan_suki_mama")
        assert origin.author_followers == 900 and origin.metrics.views == 80000
        now[0] += dt.timedelta(minutes=30)
        second = source.fetch(first.state)
        newer = [p for p in timeline.posts if ONSET + dt.timedelta(hours=1) < p.at <= now[0]]
        assert sorted(int(p.source_id) for p in second.posts) == [p.id for p in newer]


def test_the_news_feed_holds_the_articles_published_so_far(timeline: Timeline) -> None:
    now = [ONSET + dt.timedelta(hours=1)]
    with drill_client(timeline, lambda: now[0]) as (server, client):
        feed = RssSource(server.base_url + NEWS_PATH, client)
        assert feed.fetch(SourceState()).posts == []
        now[0] = ONSET + dt.timedelta(hours=2)
        (article,) = feed.fetch(SourceState()).posts
        assert article.source == "rss" and "コムギ堂" in article.text
        assert article.created_at == ONSET + dt.timedelta(hours=2)


def test_a_wrong_token_is_refused_like_the_api_would(timeline: Timeline) -> None:
    with drill_client(timeline, lambda: ONSET) as (server, client):
        source = XRecentSearchSource("コムギ堂", client, "wrong", base_url=server.base_url)
        with pytest.raises(FetchError, match="401"):
            source.fetch(SourceState())


def test_the_drill_client_reaches_the_drill_server_and_nothing_else(timeline: Timeline) -> None:
    with drill_client(timeline, lambda: ONSET) as (drill, client), other_server() as internal:
        internal.route("/admin", Reply(200, "secret"))
        assert client.get(drill.base_url + NEWS_PATH).status_code == 200
        with pytest.raises(UnsafeUrlError, match="訓練用サーバー以外"):
            client.get(internal.base_url + "/admin")
        with pytest.raises(UnsafeUrlError):
            client.get(f"http://localhost:{drill.port}{NEWS_PATH}")
        assert internal.seen("/admin") == []
        # The installation's own client keeps its guard: the drill server is a private address to it.
        with SafeHttpClient(Settings(allow_private_urls=False)) as guarded, pytest.raises(UnsafeUrlError):
            guarded.get(drill.base_url + NEWS_PATH)
