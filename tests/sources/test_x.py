import datetime as dt
import json

import pytest
from pydantic import SecretStr

from hikeshi.errors import ConfigError
from hikeshi.settings import Settings
from hikeshi.sources import (
    FetchError,
    SafeHttpClient,
    SourceSpec,
    SourceState,
    XRecentSearchSource,
    build_source,
)
from tests.sources.loopback import LoopbackServer, Reply

PATH = "/2/tweets/search/recent"
NOW = 1_741_050_000.0  # 2025-03-04T00:00:00Z as Unix seconds
QUERY = "ミナト住建 lang:ja"

# Shapes as documented for GET /2/tweets/search/recent with expansions=author_id.
PAGE_1 = {
    "data": [
        {
            "id": "1896999000000000003",
            "text": "ミナト住建の営業、契約しなかったらLINEで「無駄な時間は使わない」って…ひどすぎる",
            "created_at": "2025-03-04T01:02:03.000Z",
            "author_id": "111",
            "edit_history_tweet_ids": ["1896999000000000003"],
            "public_metrics": {
                "retweet_count": 1200,
                "reply_count": 340,
                "like_count": 5600,
                "quote_count": 210,
                "bookmark_count": 80,
                "impression_count": 2200000,
            },
        },
        {
            "id": "1896999000000000002",
            "text": "@kurashi_news これは会社の体質の問題では？ 二度と買わない",
            "created_at": "2025-03-04T00:58:00.000Z",
            "author_id": "222",
            "referenced_tweets": [{"type": "replied_to", "id": "1896998000000000001"}],
            "public_metrics": {"retweet_count": 3, "reply_count": 0, "like_count": 12, "quote_count": 0},
        },
    ],
    "includes": {
        "users": [
            {
                "id": "111",
                "name": "住まい速報",
                "username": "sumai_sokuho",
                "public_metrics": {"followers_count": 480000},
            },
            {
                "id": "222",
                "name": "みなみ",
                "username": "minami_home",
                "public_metrics": {"followers_count": 150},
            },
        ]
    },
    "meta": {
        "newest_id": "1896999000000000003",
        "oldest_id": "1896999000000000002",
        "result_count": 2,
        "next_token": "b26v89c19zqg8o3fr5qcy4i6lx8ldy6xi2d9o8t9gpa2d",
    },
}
PAGE_2 = {
    "data": [
        {
            "id": "1896999000000000001",
            "text": "引用: 社長が出てきて説明すべき案件 https://t.co/abc",
            "created_at": "2025-03-04T00:50:00.000Z",
            "author_id": "333",
            "referenced_tweets": [{"type": "quoted", "id": "1896990000000000000"}],
            "public_metrics": {
                "retweet_count": 0,
                "reply_count": 1,
                "like_count": 2,
                "quote_count": 0,
                "impression_count": 90,
            },
        }
    ],
    "includes": {
        "users": [{"id": "333", "name": "T", "username": "t_k", "public_metrics": {"followers_count": 20}}]
    },
    "meta": {"newest_id": "1896999000000000001", "oldest_id": "1896999000000000001", "result_count": 1},
}
EMPTY = {"meta": {"result_count": 0}}
RATE_LIMITED = Reply(
    status=429,
    body=json.dumps(
        {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}
    ),
    content_type="application/json",
    headers={
        "x-rate-limit-limit": "450",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(int(NOW) + 30),
    },
)


def ok(payload: dict[str, object]) -> Reply:
    return Reply(body=json.dumps(payload, ensure_ascii=False), content_type="application/json; charset=utf-8")


def make_source(
    server: LoopbackServer, client: SafeHttpClient, sleeps: list[float], **kwargs: float
) -> XRecentSearchSource:
    return XRecentSearchSource(
        QUERY,
        client,
        "AAAA-test-token",
        base_url=server.base_url,
        sleep=sleeps.append,
        wall_time=lambda: NOW,
        clock=lambda: dt.datetime(2025, 3, 4, 1, 10, tzinfo=dt.UTC),
        **kwargs,  # type: ignore[arg-type]
    )


def test_pages_and_rate_limit_then_success(server: LoopbackServer, client: SafeHttpClient) -> None:
    server.route(PATH, ok(PAGE_1), RATE_LIMITED, ok(PAGE_2))
    sleeps: list[float] = []
    result = make_source(server, client, sleeps).fetch(SourceState())

    assert sleeps == [31.0]  # until x-rate-limit-reset, plus a second of margin
    assert result.complete
    assert [post.source_id for post in result.posts] == [
        "1896999000000000003",
        "1896999000000000002",
        "1896999000000000001",
    ]
    assert result.state.since_id == "1896999000000000003"

    viral, reply, quote = result.posts
    assert viral.source == "x"
    assert viral.url == "https://x.com/sumai_sokuho/status/1896999000000000003"
    assert (viral.author, viral.author_followers) == ("sumai_sokuho", 480000)
    assert (viral.metrics.likes, viral.metrics.reposts, viral.metrics.replies, viral.metrics.views) == (
        5600,
        1410,
        340,
        2200000,
    )
    assert viral.created_at == dt.datetime(2025, 3, 4, 1, 2, 3, tzinfo=dt.UTC)
    assert reply.parent_id == "1896998000000000001"
    assert quote.quote_id == "1896990000000000000"

    requests = server.seen(PATH)
    assert len(requests) == 3
    first = requests[0]
    assert first.headers["authorization"] == "Bearer AAAA-test-token"
    assert first.query["query"] == [QUERY]
    assert first.query["tweet.fields"] == ["created_at,public_metrics,author_id,referenced_tweets"]
    assert first.query["expansions"] == ["author_id"]
    assert first.query["user.fields"] == ["public_metrics"]
    assert "since_id" not in first.query
    assert requests[2].query["next_token"] == [PAGE_1["meta"]["next_token"]]  # type: ignore[index]


def test_since_id_cursor_and_empty_result(server: LoopbackServer, client: SafeHttpClient) -> None:
    server.route(PATH, ok(EMPTY))
    state = SourceState(since_id="1896999000000000003")
    result = make_source(server, client, []).fetch(state)
    assert result.posts == [] and result.complete
    assert result.state.since_id == "1896999000000000003"
    assert server.seen(PATH)[0].query["since_id"] == ["1896999000000000003"]


def test_long_rate_limit_ends_the_poll_early_without_losing_pages(
    server: LoopbackServer, client: SafeHttpClient
) -> None:
    far = Reply(
        status=429, content_type="application/json", headers={"x-rate-limit-reset": str(int(NOW) + 3600)}
    )
    server.route(PATH, ok(PAGE_1), far)
    sleeps: list[float] = []
    state = SourceState(since_id="1896990000000000000")
    result = make_source(server, client, sleeps, max_wait_seconds=900).fetch(state)
    assert sleeps == []
    assert not result.complete
    assert len(result.posts) == 2
    # The old cursor stays; the backlog continues from the saved token at the next poll.
    assert result.state.since_id == state.since_id
    assert result.state.pagination_token == PAGE_1["meta"]["next_token"]  # type: ignore[index]
    assert result.state.pending_since_id == "1896999000000000003"


def test_page_cap_continues_the_backlog_at_the_next_poll(
    server: LoopbackServer, client: SafeHttpClient
) -> None:
    server.route(PATH, ok(PAGE_1), ok(PAGE_2))
    source = make_source(server, client, [], max_pages=1)
    first = source.fetch(SourceState(since_id="1896990000000000000"))
    assert not first.complete and first.state.since_id == "1896990000000000000"
    second = source.fetch(first.state)
    assert second.complete
    assert [post.source_id for post in second.posts] == ["1896999000000000001"]  # the older page, not a gap
    assert second.state.since_id == "1896999000000000003"  # the newest id of the whole backlog
    assert second.state.pagination_token is None and second.state.pending_since_id is None
    continued = server.seen(PATH)[1]
    assert continued.query["next_token"] == [PAGE_1["meta"]["next_token"]]  # type: ignore[index]
    assert continued.query["since_id"] == ["1896990000000000000"]


def test_an_expired_saved_token_restarts_the_backlog(server: LoopbackServer, client: SafeHttpClient) -> None:
    expired = Reply(status=400, body='{"title":"Invalid Request"}', content_type="application/json")
    server.route(PATH, expired, ok(PAGE_2))
    state = SourceState(
        since_id="1896990000000000000", pagination_token="old", pending_since_id="1896999000000000003"
    )
    result = make_source(server, client, []).fetch(state)
    assert result.complete and result.state.since_id == "1896999000000000003"
    assert "next_token" not in server.seen(PATH)[1].query


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply(status=401, body='{"title":"Unauthorized","status":401}', content_type="application/json"),
            "認証に失敗",
        ),
        (Reply(status=403, body='{"title":"Forbidden"}', content_type="application/json"), "アクセスが拒否"),
        (Reply(body="<html>maintenance</html>", content_type="text/html"), "応答を読めません"),
    ],
)
def test_errors_are_japanese(
    server: LoopbackServer, client: SafeHttpClient, reply: Reply, message: str
) -> None:
    server.route(PATH, reply)
    with pytest.raises(FetchError, match=message):
        make_source(server, client, []).fetch(SourceState())


def test_registry_needs_a_bearer_token(server: LoopbackServer, client: SafeHttpClient) -> None:
    spec = SourceSpec(kind="x", target=QUERY, base_url=server.base_url)
    with pytest.raises(ConfigError, match="HIKESHI_X_BEARER_TOKEN"):
        build_source(spec, Settings(allow_private_urls=True, x_bearer_token=None), client)
    server.route(PATH, ok(PAGE_2))
    settings = Settings(allow_private_urls=True, x_bearer_token=SecretStr("from-settings"))
    result = build_source(spec, settings, client).fetch(SourceState())
    assert [post.author for post in result.posts] == ["t_k"]
    assert server.seen(PATH)[0].headers["authorization"] == "Bearer from-settings"
