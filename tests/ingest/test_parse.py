from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.ingest import content_key, parse_time, post_from_record

JST = dt.timezone(dt.timedelta(hours=9))
FETCHED = dt.datetime(2026, 5, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-05-01T10:00:00+09:00", dt.datetime(2026, 5, 1, 10, tzinfo=JST)),
        ("2026-05-01T01:00:00Z", dt.datetime(2026, 5, 1, 10, tzinfo=JST)),
        ("2026-05-01T10:00:00", dt.datetime(2026, 5, 1, 10, tzinfo=JST)),  # naive → Japan time
        ("2026-05-01 10:00", dt.datetime(2026, 5, 1, 10, tzinfo=JST)),
        ("2026/05/01 10:00", dt.datetime(2026, 5, 1, 10, tzinfo=JST)),
        ("2026年5月1日 10時00分", dt.datetime(2026, 5, 1, 10, tzinfo=JST)),
        ("2026年5月1日", dt.datetime(2026, 5, 1, tzinfo=JST)),
        (1777597200, dt.datetime(2026, 5, 1, 10, tzinfo=JST)),  # epoch seconds
    ],
)
def test_parse_time(value: object, expected: dt.datetime) -> None:
    parsed = parse_time(value)
    assert parsed == expected and parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["", None, "昨日の夜", "2026-13-01", "2026年2月30日"])
def test_parse_time_rejects(value: object) -> None:
    with pytest.raises(InputError, match="created_at"):
        parse_time(value)


def test_post_from_record_reads_design_fields() -> None:
    post = post_from_record(
        {
            "source": "x",
            "source_id": 1790000000000000001,
            "url": "https://x.com/a/status/1790000000000000001",
            "author": "kenchiku_fan",
            "author_followers": "15200",
            "text": "ナミキ住宅の営業、先にわかっていたら無駄な時間は使わないって言われた",
            "created_at": "2026-05-01T21:04:00+09:00",
            "metrics": {"likes": 120, "reposts": 45, "replies": 3},
            "views": 22000,
            "quote_id": 1789999999999999999,
            "ignored": "extra fields are ignored",
        },
        "jsonl",
        FETCHED,
    )
    assert post.key == "x:1790000000000000001"
    assert post.author_followers == 15200
    assert post.metrics.model_dump() == {"likes": 120, "reposts": 45, "replies": 3, "views": 22000}
    assert post.quote_id == "1789999999999999999"
    assert post.fetched_at == FETCHED and post.language == "ja"


def test_missing_source_id_gets_a_stable_content_key() -> None:
    record = {"author": "匿名", "text": "ナミキ住宅 二度と買わない", "created_at": "2026-05-01 10:00"}
    first = post_from_record(record, "jsonl")
    same_instant = post_from_record({**record, "created_at": "2026-05-01T01:00:00Z"}, "jsonl")
    other_text = post_from_record({**record, "text": "ナミキ住宅 また買いたい"}, "jsonl")
    assert first.source == "jsonl" and first.source_id.startswith("h-")
    assert (
        first.source_id
        == same_instant.source_id
        == content_key("jsonl", "匿名", first.created_at, first.text)
    )
    assert other_text.source_id != first.source_id
    assert post_from_record({**record, "id": "abc"}, "jsonl").source_id == "abc"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"created_at": "2026-05-01T10:00:00"}, "text"),
        ({"text": "   ", "created_at": "2026-05-01T10:00:00"}, "text"),
        ({"text": "ナミキ住宅"}, "created_at"),
        ({"text": "ナミキ住宅", "created_at": "2026-05-01", "author_followers": "たくさん"}, "フォロワー数"),
        ({"text": "ナミキ住宅", "created_at": "2026-05-01", "metrics": "{bad"}, "metrics"),
        ({"text": "ナミキ住宅", "created_at": "2026-05-01", "likes": -1}, "likes"),
    ],
)
def test_bad_records_name_the_field(record: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        post_from_record(record, "jsonl")


@pytest.mark.parametrize("value", [1e20, float("nan"), "0001-01-01T00:00:00", "9999-12-31T23:00:00-05:00"])
def test_out_of_range_times_are_input_errors(value: object) -> None:
    with pytest.raises(InputError):
        parse_time(value)


GOOD = {
    "text": "ナミキ住宅の営業、先にわかっていたら無駄な時間は使わないって言われた",
    "created_at": "2026-05-01",
}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": 5}, "text（本文）は文字列にしてください（数値が渡されました）。"),
        ({"text": ["二度と", "頼まない"]}, "text（本文）は文字列にしてください（配列が渡されました）。"),
        ({"created_at": []}, "created_at は日時の文字列かエポック秒にしてください（配列が渡されました）。"),
        (
            {"created_at": True},
            "created_at は日時の文字列かエポック秒にしてください（真偽値が渡されました）。",
        ),
        ({"source_id": {"id": 1}}, "source_id は文字列にしてください（オブジェクトが渡されました）。"),
        ({"id": [1, 2]}, "id は文字列にしてください（配列が渡されました）。"),
        ({"author": {"name": "匿名"}}, "author は文字列にしてください（オブジェクトが渡されました）。"),
        ({"source": True}, "source は文字列にしてください（真偽値が渡されました）。"),
        ({"url": 5}, "url は文字列にしてください（数値が渡されました）。"),
        (
            {"text": "ナミキ住宅\ud800です"},
            "text（本文）に UTF-8 で表せない文字（対になっていないサロゲート U+D800、6 文字目）があります。"
            "送り元の文字コードの変換を確認してください。",
        ),
        (
            {"author": "\udc00匿名"},
            "author に UTF-8 で表せない文字（対になっていないサロゲート U+DC00、1 文字目）",
        ),
        ({"text": "ナミキ住宅\x00"}, "text（本文）に NUL 文字（U+0000）があります。"),
        ({"author_followers": [[[[1]]]]}, "author_followers（フォロワー数）の値 [[[...]]] が不正です"),
    ],
)
def test_wrong_types_and_unstorable_text_are_per_record_errors(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError) as raised:
        post_from_record({**GOOD, **fields}, "jsonl")
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("fields", "source_id", "author"),
    [
        ({"source_id": 1790000000000000001}, "1790000000000000001", None),
        ({"id": 42, "author": 12345}, "42", "12345"),
        ({"source_id": "x-1", "author": "ミナト住建の元社員"}, "x-1", "ミナト住建の元社員"),
    ],
)
def test_ids_and_authors_may_be_numbers(
    fields: dict[str, object], source_id: str, author: str | None
) -> None:
    post = post_from_record({**GOOD, **fields}, "jsonl")
    assert (post.source_id, post.author) == (source_id, author)
