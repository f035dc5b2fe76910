"""X (Twitter) API v2 recent search: posts that mention a watch, with reach (followers, views) for detectors.

Polling uses ``since_id`` so each poll asks only for posts newer than the last one seen, and follows
``meta.next_token`` across pages. The API answers 429 when the 15-minute window is used up; the reset time is
in the ``x-rate-limit-reset`` header (Unix seconds), so the source waits until then instead of hammering the
API. If the wait would be too long, the poll ends early with ``complete=False`` and the old ``since_id``, so
the next poll fetches the missing pages and nothing is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, ValidationError

from hikeshi.errors import ConfigError
from hikeshi.records import Post, PostMetrics
from hikeshi.settings import Settings
from hikeshi.sources.base import Clock, FetchResult, SourceSpec, SourceState, register_source
from hikeshi.sources.http import FetchError, HttpResponse, SafeHttpClient, raise_for_status
from hikeshi.timezones import utc_now

DEFAULT_BASE_URL = "https://api.x.com"
SEARCH_PATH = "/2/tweets/search/recent"
TWEET_FIELDS = "created_at,public_metrics,author_id,referenced_tweets"
USER_FIELDS = "public_metrics"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class XTweetMetrics(_Model):
    retweet_count: int = 0
    reply_count: int = 0
    like_count: int = 0
    quote_count: int = 0
    impression_count: int = 0


class XReference(_Model):
    type: str
    id: str


class XTweet(_Model):
    id: str
    text: str
    created_at: dt.datetime
    author_id: str | None = None
    public_metrics: XTweetMetrics = XTweetMetrics()
    referenced_tweets: list[XReference] = []


class XUserMetrics(_Model):
    followers_count: int = 0


class XUser(_Model):
    id: str
    username: str
    name: str = ""
    public_metrics: XUserMetrics = XUserMetrics()


class XIncludes(_Model):
    users: list[XUser] = []


class XMeta(_Model):
    result_count: int = 0
    newest_id: str | None = None
    oldest_id: str | None = None
    next_token: str | None = None


class XSearchPage(_Model):
    """One page of ``GET /2/tweets/search/recent`` as documented by X."""

    data: list[XTweet] = []
    includes: XIncludes = XIncludes()
    meta: XMeta = XMeta()


def page_to_posts(page: XSearchPage, fetched_at: dt.datetime) -> list[Post]:
    """Join tweets with their authors (``expansions=author_id``) into Posts (pure)."""
    users = {user.id: user for user in page.includes.users}
    posts = []
    for tweet in page.data:
        user = users.get(tweet.author_id or "")
        references = {reference.type: reference.id for reference in tweet.referenced_tweets}
        metrics = tweet.public_metrics
        posts.append(
            Post(
                source="x",
                source_id=tweet.id,
                url=f"https://x.com/{user.username if user else 'i'}/status/{tweet.id}",
                author=user.username if user else tweet.author_id,
                author_followers=user.public_metrics.followers_count if user else None,
                text=tweet.text,
                created_at=tweet.created_at,
                fetched_at=fetched_at,
                metrics=PostMetrics(
                    likes=metrics.like_count,
                    reposts=metrics.retweet_count + metrics.quote_count,
                    replies=metrics.reply_count,
                    views=metrics.impression_count,
                ),
                parent_id=references.get("replied_to") or references.get("retweeted"),
                quote_id=references.get("quoted"),
            )
        )
    return posts


class XRecentSearchSource:
    """Recent search for one query, e.g. ``"ミナト住建 -is:retweet lang:ja"``."""

    kind = "x"

    def __init__(
        self,
        query: str,
        client: SafeHttpClient,
        bearer_token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        max_pages: int = 10,
        page_size: int = 100,
        max_wait_seconds: float = 900.0,
        max_rate_limit_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        wall_time: Callable[[], float] = time.time,
        clock: Clock = utc_now,
    ) -> None:
        self.query = query
        self._client = client
        self._token = bearer_token
        self._url = base_url.rstrip("/") + SEARCH_PATH
        self._max_pages = max_pages
        self._page_size = page_size
        self._max_wait = max_wait_seconds
        self._max_retries = max_rate_limit_retries
        self._sleep = sleep
        self._wall_time = wall_time
        self._clock = clock

    def fetch(self, state: SourceState) -> FetchResult:
        """New posts since the cursor, newest first, at most `max_pages` pages per poll.

        When a flame brings more than that between two polls, the poll stops with the pagination token saved,
        and the next poll continues the same backlog (older posts, down to the old cursor) before moving the
        cursor on, so nothing in between is skipped.
        """
        posts: list[Post] = []
        pending = state.pending_since_id or state.since_id
        newest: int | None = int(pending) if pending else None
        next_token = state.pagination_token
        for _page in range(self._max_pages):
            response = self._first_or_next_page(state, next_token)
            if response is None:  # rate limited for longer than we are willing to wait
                return FetchResult(posts=posts, state=_paused(state, newest, next_token), complete=False)
            page = self._parse(response)
            posts.extend(page_to_posts(page, self._clock()))
            for tweet in page.data:
                newest = max(newest or 0, int(tweet.id))
            next_token = page.meta.next_token
            if not next_token:
                break
        else:
            if next_token:
                return FetchResult(posts=posts, state=_paused(state, newest, next_token), complete=False)
        new_state = state.model_copy(
            update={
                "since_id": str(newest) if newest else state.since_id,
                "pagination_token": None,
                "pending_since_id": None,
                "fetched_at": self._clock(),
            }
        )
        return FetchResult(posts=posts, state=new_state)

    def _first_or_next_page(self, state: SourceState, next_token: str | None) -> HttpResponse | None:
        try:
            return self._get_page(state.since_id, next_token)
        except FetchError:
            if next_token is None or next_token != state.pagination_token:
                raise
            # A saved token can expire between polls: start the backlog again from the old cursor.
            return self._get_page(state.since_id, None)

    def _get_page(self, since_id: str | None, next_token: str | None) -> HttpResponse | None:
        params: dict[str, str | int] = {
            "query": self.query,
            "max_results": self._page_size,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": USER_FIELDS,
        }
        if since_id:
            params["since_id"] = since_id
        if next_token:
            params["next_token"] = next_token
        headers = {"Authorization": f"Bearer {self._token}"}
        for _attempt in range(self._max_retries + 1):
            response = self._client.get(self._url, params=params, headers=headers)
            if response.status_code != 429:
                raise_for_status(response, "X API の検索結果")
                return response
            wait = self._seconds_until_reset(response)
            if wait > self._max_wait:
                return None
            self._sleep(wait)
        return None

    def _seconds_until_reset(self, response: HttpResponse) -> float:
        reset = response.headers.get("x-rate-limit-reset")
        try:
            return max(0.0, float(reset) - self._wall_time()) + 1.0 if reset else 60.0
        except ValueError:
            return 60.0

    def _parse(self, response: HttpResponse) -> XSearchPage:
        try:
            return XSearchPage.model_validate(json.loads(response.content))
        except (ValueError, ValidationError) as error:
            raise FetchError(f"X API の応答を読めません: {response.url}（{type(error).__name__}）") from None


def _paused(state: SourceState, newest: int | None, next_token: str | None) -> SourceState:
    """The state of an unfinished backlog: the old cursor stays, the token and the newest id seen are kept."""
    return state.model_copy(
        update={"pagination_token": next_token, "pending_since_id": str(newest) if newest else None}
    )


def _build(spec: SourceSpec, settings: Settings, client: SafeHttpClient) -> XRecentSearchSource:
    if settings.x_bearer_token is None or not settings.x_bearer_token.get_secret_value():
        raise ConfigError(
            "HIKESHI_X_BEARER_TOKEN",
            None,
            "X API のベアラートークンが設定されていません。環境変数に設定してください。",
        )
    return XRecentSearchSource(
        spec.target,
        client,
        settings.x_bearer_token.get_secret_value(),
        base_url=spec.base_url or DEFAULT_BASE_URL,
    )


register_source("x", _build)
