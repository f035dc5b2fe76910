"""The posts behind a signal's evidence and the most-reacted negative posts, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from hikeshi.store import Store
from hikeshi.store.evidence import most_reacted_negative_posts, posts_by_keys, split_key
from tests.store.support import at, keyword_analyzer, post

WATCH = "ナミキ住宅"
POSTS = [
    post("1", "ナミキ住宅の営業の態度がひどい", at(1, 10), metrics={"likes": 5, "reposts": 1, "replies": 0}),
    post("2", "ナミキ住宅 不買します", at(1, 11), metrics={"likes": 900, "reposts": 300, "replies": 40}),
    post("3", "ナミキ住宅で建てた家、最高でした", at(1, 9), source="review", metrics={"likes": 5000}),
    post("https://news.example.jp/a?id=1", "ナミキ住宅の対応は最悪と報道", at(2, 8), source="rss"),
    post("5", "ナミキ住宅の社長は二度と出てこないのか", at(2, 12), metrics={"likes": 40, "views": 10}),
    post("6", "ナミキ住宅、詐欺みたいな営業", at(2, 13), metrics={"likes": 40, "views": 900}),
]


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_posts(WATCH, POSTS, keyword_analyzer([p.text for p in POSTS]))
    return store


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("x:123", ("x", "123")),
        ("rss:https://news.example.jp/a?id=1", ("rss", "https://news.example.jp/a?id=1")),
        ("x:", None),
        ("no-colon", None),
    ],
)
def test_split_key(key: str, expected: tuple[str, str] | None) -> None:
    assert split_key(key) == expected


def test_posts_by_keys_oldest_first_skipping_unknown_keys(filled: Store) -> None:
    keys = ["x:5", "rss:https://news.example.jp/a?id=1", "x:999", "x:1", "broken", "x:1"]
    found = posts_by_keys(filled, WATCH, keys)
    assert [item.post.key for item in found] == ["x:1", "rss:https://news.example.jp/a?id=1", "x:5"]
    assert all(item.analysis is not None for item in found)


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (None, None, ["x:2", "x:6", "x:5", "x:1", "rss:https://news.example.jp/a?id=1"]),
        (at(2, 0), None, ["x:6", "x:5", "rss:https://news.example.jp/a?id=1"]),
        (None, at(2, 0), ["x:2", "x:1"]),
    ],
)
def test_most_reacted_negative_posts(
    filled: Store, since: object, until: object, expected: list[str]
) -> None:
    """Reactions first (likes + reposts + replies); on a tie the more viewed post (x:6 before x:5)."""
    found = most_reacted_negative_posts(filled, WATCH, since, until)  # type: ignore[arg-type]
    assert [item.post.key for item in found] == expected


def test_most_reacted_negative_posts_limit(filled: Store) -> None:
    assert [item.post.key for item in most_reacted_negative_posts(filled, WATCH, limit=1)] == ["x:2"]
