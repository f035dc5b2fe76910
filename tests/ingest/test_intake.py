from __future__ import annotations

import pytest

from hikeshi.errors import InputError
from hikeshi.ingest import intake_posts
from hikeshi.store import Store
from tests.store.support import keyword_analyzer

WATCH = "ナミキ住宅"
PAYLOAD: list[object] = [
    {"source_id": "c-1", "text": "ナミキ住宅の営業、最悪だった", "created_at": "2026-05-03T12:00:00+09:00"},
    {
        "source": "blog",
        "url": "https://blog.example.jp/namiki",
        "text": "ナミキ住宅で建てて良かった話",
        "created_at": "2026-05-03T13:00:00",
    },
    {"text": "ナミキ川の鮎釣り", "created_at": "2026-05-03T14:00:00"},
    {"source_id": "c-4", "text": "", "created_at": "2026-05-03T15:00:00"},
    "ただの文字列",
    {
        "source_id": "c-6",
        "text": "ナミキ住宅 詐欺では",
        "created_at": "2026/05/03 16:00",
        "author_followers": -3,
    },
]


def test_intake_reports_per_item_errors_and_is_idempotent(store: Store) -> None:
    result = intake_posts(store, WATCH, PAYLOAD, analyzer=keyword_analyzer)
    assert (result.received, result.inserted, result.duplicates, result.excluded) == (6, 2, 0, 1)
    assert [error.index for error in result.errors] == [3, 4, 5]
    assert "text" in result.errors[0].message
    assert "オブジェクト" in result.errors[1].message
    assert "フォロワー数" in result.errors[2].message
    retried = intake_posts(store, WATCH, PAYLOAD, analyzer=keyword_analyzer)
    assert (retried.inserted, retried.duplicates) == (0, 2)
    sources = sorted(hit.post.source for hit in store.search_posts(WATCH))
    assert sources == ["blog", "intake"]


def test_intake_rejects_unknown_watch_and_huge_payloads(store: Store) -> None:
    with pytest.raises(InputError, match="ありません"):
        intake_posts(store, "ミドリ食品", PAYLOAD, analyzer=keyword_analyzer)
    with pytest.raises(InputError, match="10,000 件まで"):
        intake_posts(store, WATCH, [{}] * 10_001, analyzer=keyword_analyzer)


def test_intake_empty_payload(store: Store) -> None:
    result = intake_posts(store, WATCH, [], analyzer=keyword_analyzer)
    assert (result.received, result.inserted, result.errors) == (0, 0, [])
