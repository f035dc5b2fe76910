from __future__ import annotations

import pytest

from hikeshi.errors import InputError
from hikeshi.ingest import intake_posts
from hikeshi.store import Store
from hikeshi.untrusted_json import MAX_DEPTH, UnreadableValue
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


def _nested(depth: int) -> object:
    value: object = "炎上"
    for _ in range(depth):
        value = [value]
    return value


GOOD_BEFORE = {
    "source_id": "g-1",
    "text": "ナミキ住宅の営業、最悪だった",
    "created_at": "2026-05-03T12:00:00+09:00",
}
GOOD_AFTER = {
    "source_id": "g-2",
    "text": "ナミキ住宅で建てて良かった",
    "created_at": "2026-05-03T13:00:00+09:00",
}
TOO_DEEP = f"JSON の入れ子が深すぎます（{MAX_DEPTH} 段まで）。"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"source_id": "s-1", "text": "ナミキ住宅\ud800の件", "created_at": "2026-05-03T12:30:00+09:00"},
            "text に UTF-8 で表せない文字（対になっていないサロゲート U+D800、6 文字目）があります。"
            "送り元の文字コードの変換を確認してください。",
        ),
        (
            {"source_id": "s-2", "author": "\udc00", "text": "ナミキ住宅", "created_at": "2026-05-03"},
            "author に UTF-8 で表せない文字（対になっていないサロゲート U+DC00、1 文字目）があります。"
            "送り元の文字コードの変換を確認してください。",
        ),
        (
            {"source_id": "d-1", "text": "ナミキ住宅", "created_at": "2026-05-03", "x": _nested(150)},
            f"x の {TOO_DEEP}",
        ),
        (
            UnreadableValue(TOO_DEEP),
            TOO_DEEP,
        ),  # what the web API's body parser leaves for a 100,000-deep item
        (
            {"text": 5, "created_at": "2026-05-03"},
            "text（本文）は文字列にしてください（数値が渡されました）。",
        ),
        (
            {"text": "ナミキ住宅", "created_at": []},
            "created_at は日時の文字列かエポック秒にしてください（配列が渡されました）。",
        ),
        (
            {"source_id": {"$gt": ""}, "text": "ナミキ住宅", "created_at": "2026-05-03"},
            "source_id は文字列にしてください（オブジェクトが渡されました）。",
        ),
    ],
    ids=[
        "surrogate-in-text",
        "surrogate-in-author",
        "deep-field",
        "unreadable",
        "text-number",
        "created_at-array",
        "source_id-object",
    ],
)
def test_a_bad_item_among_good_ones_loses_nothing(store: Store, item: object, message: str) -> None:
    result = intake_posts(store, WATCH, [GOOD_BEFORE, item, GOOD_AFTER], analyzer=keyword_analyzer)
    assert (result.received, result.inserted, result.duplicates, result.excluded) == (3, 2, 0, 0)
    assert [(error.index, error.message) for error in result.errors] == [(1, message)]
    assert sorted(hit.post.source_id for hit in store.search_posts(WATCH)) == ["g-1", "g-2"]
