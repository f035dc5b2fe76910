"""The REST API end to end on a temporary SQLite store: check, watches, posts, signals, time series, suggest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hikeshi.records import Signal, SignalEvidence, SignalKind
from hikeshi.store import Store, SuggestSnapshot
from tests.web.conftest import WATCH

POSTS: list[dict[str, Any]] = [
    {
        "source": "x",
        "source_id": "1",
        "text": "ナミキ住宅の営業、本当に最悪。不買します",
        "created_at": "2026-11-01T10:05:00+09:00",
    },
    {
        "source": "x",
        "source_id": "2",
        "text": "ナミキ住宅の対応ひどすぎる、二度と頼まない",
        "created_at": "2026-11-01T10:40:00+09:00",
    },
    {
        "source": "x",
        "source_id": "3",
        "text": "ナミキ住宅で建てた家、快適で大満足です！",
        "created_at": "2026-11-01T12:10:00+09:00",
    },
    {
        "source": "review",
        "source_id": "r1",
        "text": "ナミキ住宅の担当さんは丁寧でした",
        "created_at": "2026-11-02T09:00:00+09:00",
    },
    {
        "source": "x",
        "source_id": "4",
        "text": "ナミキ住宅 <script>alert(1)</script> 炎上してる",
        "created_at": "2026-11-02T23:30:00+09:00",
    },
]
POSTS_URL = f"/api/watches/{WATCH}/posts"


@pytest.fixture
def seeded(analyst_client: TestClient) -> TestClient:
    answer = analyst_client.post(POSTS_URL, json=POSTS)
    assert answer.status_code == 200, answer.text
    assert answer.json()["inserted"] == len(POSTS)
    return analyst_client


# --- check --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "level"),
    [
        (
            {
                "text": "先にわかっていたら会社や私も無駄な時間は使わない",
                "channel": "line",
                "audience": "customer",
            },
            "danger",
        ),
        ({"text": "二度と来ないでください", "channel": "review_reply", "audience": "customer"}, "danger"),
        ({"text": "本日はご来店いただき、ありがとうございました。", "channel": "review_reply"}, "ok"),
    ],
)
def test_check_answers_the_guards_verdict(
    analyst_client: TestClient, body: dict[str, str], level: str
) -> None:
    answer = analyst_client.post("/api/check", json=body)
    assert answer.status_code == 200, answer.text
    verdict = answer.json()
    assert verdict["level"] == level
    assert set(verdict) == {"level", "score", "findings", "rewrite"}
    for finding in verdict["findings"]:
        assert body["text"][finding["start"] : finding["end"]] == finding["excerpt"]
        assert finding["reason"]


def test_check_takes_the_date_into_account(analyst_client: TestClient) -> None:
    text = "本日限定！全品半額セール♪"
    plain = analyst_client.post("/api/check", json={"text": text, "channel": "x"}).json()
    memorial = analyst_client.post(
        "/api/check", json={"text": text, "channel": "x", "date": "2027-03-11"}
    ).json()
    assert memorial["score"] > plain["score"]
    assert [finding["category"] for finding in memorial["findings"]] == ["calendar"]
    assert "東日本大震災" in memorial["findings"][0]["reason"]


def test_batch_keeps_order_and_ids(analyst_client: TestClient) -> None:
    items = [
        {"id": "a", "text": "二度と来ないでください", "channel": "review_reply"},
        {"id": "b", "text": "ありがとうございました"},
        {"text": "常識的に考えてわかりますよね？", "audience": "customer"},
    ]
    answer = analyst_client.post("/api/check/batch", json={"items": items})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [result["id"] for result in results] == ["a", "b", None]
    assert results[0]["level"] == "danger" and results[1]["level"] == "ok"


def test_batch_is_bounded(analyst_client: TestClient) -> None:
    answer = analyst_client.post("/api/check/batch", json={"items": [{"text": "こんにちは"}] * 101})
    assert answer.status_code == 422
    assert "100 件まで" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "本文の text: 必須の項目です。"),
        ({"text": ""}, "本文の text: 短すぎます（1 文字以上）。"),
        ({"text": "こんにちは", "channel": "fax"}, "本文の channel: 次のいずれかにしてください"),
        ({"text": "こんにちは", "date": "3月11日"}, "本文の date: 日付は YYYY-MM-DD で指定してください。"),
        ({"text": "こんにちは", "tone": "soft"}, "本文の tone: この項目は受け付けていません。"),
        ({"text": "あ" * 20_001}, "長すぎます（20000 文字以内）"),
    ],
)
def test_validation_errors_are_422_in_japanese(
    analyst_client: TestClient, body: dict[str, str], message: str
) -> None:
    answer = analyst_client.post("/api/check", json=body)
    assert answer.status_code == 422
    payload = answer.json()
    assert payload["detail"].startswith("入力が正しくありません。")
    assert message in payload["detail"]
    assert payload["errors"] and all(error["msg"] for error in payload["errors"])


def test_malformed_json_is_422(analyst_client: TestClient) -> None:
    answer = analyst_client.post(
        "/api/check", content=b'{"text": "oops"', headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422 and "JSON として読めません" in answer.json()["detail"]


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_bodies_are_refused_with_413(analyst_client: TestClient, chunked: bool) -> None:
    body = b'{"text": "' + "炎".encode() * 400_000 + b'"}'

    def chunks() -> Any:
        for start in range(0, len(body), 65_536):
            yield body[start : start + 65_536]

    answer = analyst_client.post(
        "/api/check",
        content=chunks() if chunked else body,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert "大きすぎます" in answer.json()["detail"]


# --- watches ------------------------------------------------------------------------------------------------


def test_list_and_show_watches(viewer_client: TestClient, seeded: TestClient) -> None:
    listed = viewer_client.get("/api/watches").json()
    assert [item["watch"]["name"] for item in listed] == [WATCH]
    shown = viewer_client.get(f"/api/watches/{WATCH}").json()
    assert shown["posts"] == len(POSTS) and shown["analyzed"] == len(POSTS)
    assert shown["posts_by_source"] == {"review": 1, "x": 4}


def test_admin_adds_a_watch_and_duplicates_conflict(admin_client: TestClient) -> None:
    body = {"name": "ミドリ食品", "terms": ["ミドリ食品", "ミドリ"], "risk_terms": ["異物"]}
    created = admin_client.post("/api/watches", json=body)
    assert created.status_code == 201 and created.json()["terms"] == ["ミドリ食品", "ミドリ"]
    again = admin_client.post("/api/watches", json=body)
    assert again.status_code == 409 and "既にあります" in again.json()["detail"]
    missing_terms = admin_client.post("/api/watches", json={"name": "空", "terms": []})
    assert missing_terms.status_code == 422


@pytest.mark.parametrize("suffix", ["", "/posts", "/signals", "/timeseries", "/suggest"])
def test_unknown_watch_is_404_in_japanese(viewer_client: TestClient, suffix: str) -> None:
    answer = viewer_client.get(f"/api/watches/ミドリ食品{suffix}")
    assert answer.status_code == 404
    assert answer.json()["detail"].startswith("ウォッチ「ミドリ食品」はありません。")


# --- posts --------------------------------------------------------------------------------------------------


def test_intake_is_idempotent_and_reports_bad_items(analyst_client: TestClient) -> None:
    first = analyst_client.post(POSTS_URL, json=POSTS).json()
    assert first == {"received": 5, "inserted": 5, "duplicates": 0, "excluded": 0, "errors": []}
    again = analyst_client.post(POSTS_URL, json=POSTS).json()
    assert again["inserted"] == 0 and again["duplicates"] == 5
    mixed = analyst_client.post(
        POSTS_URL,
        json=[
            {"source_id": "n1", "text": "ナミキ川の花火大会", "created_at": "2026-11-03T19:00:00+09:00"},
            {"source_id": "n2", "text": "日時なし"},
            {"source_id": "n3", "text": "ナミキ住宅の新CM好き", "created_at": "2026-11-03T20:00:00+09:00"},
        ],
    ).json()
    assert mixed["inserted"] == 1 and mixed["excluded"] == 1
    assert [error["index"] for error in mixed["errors"]] == [1]


GOOD_ITEMS = (
    '{"source_id": "g1", "text": "ナミキ住宅の営業、本当に最悪", "created_at": "2026-11-03T10:00:00+09:00"}',
    '{"source_id": "g2", "text": "ナミキ住宅で建てて大満足", "created_at": "2026-11-03T11:00:00+09:00"}',
)


@pytest.mark.parametrize(
    ("bad_item", "message"),
    [
        (
            '{"source_id": "s", "text": "ナミキ住宅\\ud800", "created_at": "2026-11-03T10:30:00+09:00"}',
            "text に UTF-8 で表せない文字（対になっていないサロゲート U+D800、6 文字目）があります。"
            "送り元の文字コードの変換を確認してください。",
        ),
        ('{"\\udfff": 1, "text": "ナミキ住宅", "created_at": "2026-11-03"}', "文字列に UTF-8 で表せない文字"),
        ("[" * 100_000 + "]" * 100_000, "JSON の入れ子が深すぎます（100 段まで）。"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "JSON の入れ子が深すぎます（100 段まで）。"),
        (
            '{"text": 5, "created_at": "2026-11-03"}',
            "text（本文）は文字列にしてください（数値が渡されました）。",
        ),
        (
            '{"text": "ナミキ住宅", "created_at": []}',
            "created_at は日時の文字列かエポック秒にしてください（配列が渡されました）。",
        ),
    ],
    ids=[
        "surrogate-in-text",
        "surrogate-in-key",
        "deep-array",
        "deep-object",
        "text-number",
        "created_at-array",
    ],
)
def test_intake_reports_a_bad_item_and_stores_the_others(
    analyst_client: TestClient, bad_item: str, message: str
) -> None:
    body = f"[{GOOD_ITEMS[0]}, {bad_item}, {GOOD_ITEMS[1]}]".encode()
    answer = analyst_client.post(POSTS_URL, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert (result["received"], result["inserted"]) == (3, 2)
    assert len(result["errors"]) == 1 and result["errors"][0]["index"] == 1
    assert result["errors"][0]["message"].startswith(message)
    stored = analyst_client.get(POSTS_URL).json()["items"]
    assert sorted(item["post"]["source_id"] for item in stored) == ["g1", "g2"]


@pytest.mark.parametrize(
    ("url", "body", "status", "message"),
    [
        (
            "/api/check",
            "[" * 100_000 + "]" * 100_000,
            400,
            "本文を JSON として読めません（UTF-8 でないか、入れ子が深すぎます）。",
        ),
        (
            "/api/watches",
            '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}",
            400,
            "JSON の入れ子が深すぎます（100 段まで）。",
        ),
        (
            "/api/check",
            '{"text": "ご検討\\ud800ありがとうございました"}',
            422,
            "UTF-8 で表せない文字（対になっていないサロゲート）",
        ),
        (POSTS_URL, '{"text": "配列ではない"}', 422, "配列 [...] にしてください。"),
    ],
)
def test_bodies_that_cannot_be_read_are_4xx_in_japanese(
    admin_client: TestClient, url: str, body: str, status: int, message: str
) -> None:
    answer = admin_client.post(url, content=body.encode(), headers={"Content-Type": "application/json"})
    assert answer.status_code == status
    assert message in answer.json()["detail"]


@pytest.mark.parametrize(
    ("query", "expected_ids"),
    [
        ("", ["4", "r1", "3", "2", "1"]),
        ("q=不買", ["1"]),
        ("q=ナミキ住宅 最悪", ["1"]),
        ("q=<script>", ["4"]),
        ("source=review", ["r1"]),
        ("sentiment=negative&source=x", None),
        ("since=2026-11-01T10:30:00%2B09:00&until=2026-11-02T00:00:00%2B09:00", ["3", "2"]),
        ("limit=2", ["4", "r1"]),
        ("limit=2&offset=4", ["1"]),
    ],
)
def test_post_search_filters_and_pages(
    seeded: TestClient, query: str, expected_ids: list[str] | None
) -> None:
    answer = seeded.get(f"{POSTS_URL}?{query}")
    assert answer.status_code == 200, answer.text
    page = answer.json()
    ids = [item["post"]["source_id"] for item in page["items"]]
    if expected_ids is None:  # sentiment: every post returned carries that label
        assert ids and all(item["analysis"]["sentiment"]["negative"] > 0.3 for item in page["items"])
        assert "3" not in ids
    else:
        assert ids == expected_ids


def test_paging_tells_the_next_offset(seeded: TestClient) -> None:
    first = seeded.get(f"{POSTS_URL}?limit=3").json()
    assert first["next_offset"] == 3
    second = seeded.get(f"{POSTS_URL}?limit=3&offset=3").json()
    assert second["next_offset"] is None and len(second["items"]) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "1 以上にしてください。"),
        ("limit=201", "200 以下にしてください。"),
        ("sentiment=angry", "次のいずれかにしてください"),
        ("since=きのう", "日時は ISO 8601"),
        ("since=2026-11-01T10:00:00", "タイムゾーンを付けてください"),
    ],
)
def test_post_search_rejects_bad_filters(seeded: TestClient, query: str, message: str) -> None:
    answer = seeded.get(f"{POSTS_URL}?{query}")
    assert answer.status_code == 422 and message in answer.json()["detail"]


# --- signals, time series, suggest ---------------------------------------------------------------------------


def test_signals(viewer_client: TestClient, store: Store) -> None:
    at = dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC)
    store.save_signals(
        [
            Signal(
                watch=WATCH,
                kind=SignalKind.NEGATIVITY_RISE,
                window_start=at,
                detected_at=at + dt.timedelta(minutes=30),
                severity=3,
                evidence=SignalEvidence(post_ids=["x:1", "x:2"], terms=["不買"]),
                summary="ネガティブな投稿の割合が急に高まっています。",
            )
        ]
    )
    signals = viewer_client.get(f"/api/watches/{WATCH}/signals").json()
    assert [(s["kind"], s["severity"], s["evidence"]["terms"]) for s in signals] == [
        ("negativity_rise", 3, ["不買"])
    ]
    assert viewer_client.get(f"/api/watches/{WATCH}/signals?kind=volume_spike").json() == []


def test_timeseries_counts_volume_and_negativity_per_bucket(seeded: TestClient) -> None:
    series = seeded.get(f"/api/watches/{WATCH}/timeseries?bucket=1h").json()
    assert series["bucket_seconds"] == 3600
    buckets = series["buckets"]
    # 10:00 JST on 11/1 to 23:00 JST on 11/2: 38 hourly buckets, quiet hours included as zero
    assert len(buckets) == 38
    assert buckets[0]["start"] == "2026-11-01T01:00:00Z" and buckets[0]["posts"] == 2
    assert sum(bucket["posts"] for bucket in buckets) == len(POSTS)
    assert buckets[1]["posts"] == 0 and buckets[1]["negativity"] is None
    assert 0.0 <= (buckets[0]["negativity"] or 0.0) <= 1.0


def test_daily_buckets_follow_the_japanese_calendar(seeded: TestClient) -> None:
    series = seeded.get(f"/api/watches/{WATCH}/timeseries?bucket=1d").json()
    assert [(bucket["start"], bucket["posts"]) for bucket in series["buckets"]] == [
        ("2026-10-31T15:00:00Z", 3),
        ("2026-11-01T15:00:00Z", 2),
    ]


def test_timeseries_refuses_too_many_buckets(seeded: TestClient) -> None:
    answer = seeded.get(
        f"/api/watches/{WATCH}/timeseries?bucket=5m&since=2020-01-01T00:00:00%2B09:00&until=2026-01-01T00:00:00%2B09:00"
    )
    assert answer.status_code == 422 and "区間の数が多すぎます" in answer.json()["detail"]


def test_suggest_shows_latest_lists_risky_terms_and_changes(viewer_client: TestClient, store: Store) -> None:
    before = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
    after = before + dt.timedelta(hours=6)
    for taken_at, suggestions in [
        (before, ["ナミキ住宅 評判", "ナミキ住宅 モデルハウス"]),
        (after, ["ナミキ住宅 評判", "ナミキ住宅 ブラック", "ナミキ住宅 不買"]),
    ]:
        store.save_suggest_snapshot(
            SuggestSnapshot(
                watch=WATCH, engine="google", query="ナミキ住宅 ", taken_at=taken_at, suggestions=suggestions
            )
        )
    overview = viewer_client.get(f"/api/watches/{WATCH}/suggest").json()
    [latest] = overview["latest"]
    assert latest["suggestions"] == ["ナミキ住宅 評判", "ナミキ住宅 ブラック", "ナミキ住宅 不買"]
    assert {hit["suggestion"] for hit in latest["risks"]} == {"ナミキ住宅 ブラック", "ナミキ住宅 不買"}
    [change] = overview["changes"]
    assert change["added"] == ["ナミキ住宅 ブラック", "ナミキ住宅 不買"] and change["removed"] == [
        "ナミキ住宅 モデルハウス"
    ]


# --- users ---------------------------------------------------------------------------------------------------


def test_admin_manages_users(admin_client: TestClient) -> None:
    created = admin_client.post(
        "/api/users", json={"name": "tanaka", "role": "analyst", "password": "long-enough-pw"}
    )
    assert created.status_code == 201 and created.json()["role"] == "analyst"
    assert "password" not in created.text
    assert [user["name"] for user in admin_client.get("/api/users").json()] == ["tanaka"]
    assert (
        admin_client.post("/api/users", json={"name": "tanaka", "password": "long-enough-pw"}).status_code
        == 409
    )
    assert admin_client.delete("/api/users/tanaka").status_code == 204
    assert admin_client.delete("/api/users/tanaka").status_code == 404


def test_openapi_is_public_and_in_japanese(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/check" in schema["paths"] and "/api/watches/{name}/timeseries" in schema["paths"]
    assert schema["paths"]["/api/check"]["post"]["summary"] == "下書きを送信前チェックする"
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-static/swagger-ui-bundle.js" in docs.text
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
