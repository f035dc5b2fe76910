from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from hikeshi.ingest.readers import detect_format, read_csv, read_jsonl, read_review_csv

FETCHED = dt.datetime(2026, 5, 10, tzinfo=dt.UTC)
JST = dt.timezone(dt.timedelta(hours=9))


def jsonl(*lines: object) -> io.BufferedReader:
    raw = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    return io.BufferedReader(io.BytesIO(raw.encode("utf-8")))


def test_jsonl_reports_bad_lines_with_numbers_and_keeps_the_rest() -> None:
    handle = jsonl(
        {
            "source": "x",
            "source_id": "1",
            "text": "ナミキ住宅の対応ひどい",
            "created_at": "2026-05-01T10:00:00+09:00",
        },
        "{壊れた JSON",
        "",
        ["配列は投稿ではない"],
        {"source": "x", "source_id": "2", "text": "ナミキ住宅 最高", "created_at": "昨日"},
        {
            "source": "x",
            "source_id": "3",
            "text": "ナミキ住宅、不買します",
            "created_at": "2026-05-01T11:00:00",
        },
    )
    records = list(read_jsonl(handle, FETCHED))
    assert [(r.line, r.post is not None) for r in records] == [
        (1, True),
        (2, False),
        (4, False),
        (5, False),
        (6, True),
    ]
    assert "JSON として読めません" in (records[1].error or "")
    assert "オブジェクト" in (records[2].error or "")
    assert "created_at" in (records[3].error or "")
    assert records[4].post is not None and records[4].post.created_at == dt.datetime(
        2026, 5, 1, 11, tzinfo=JST
    )


def test_jsonl_invalid_utf8_line_is_reported() -> None:
    handle = io.BufferedReader(io.BytesIO(b'{"text": "\xff\xfe", "created_at": "2026-05-01"}\n'))
    [record] = list(read_jsonl(handle, FETCHED))
    assert record.post is None and "UTF-8" in (record.error or "")


CSV_TEXT = (
    "source,source_id,author,author_followers,text,created_at,likes,reposts,views\n"
    'x,10,営業マン観察,5000,"ナミキ住宅の営業、""プロとして成功報酬で""って",2026-05-01 20:00,3,1,900\n'
    "x,11,,,,2026-05-01 20:05,,,\n"
    "\n"
    'x,12,住まい探し中,,"改行を含む\n投稿もある",2026-05-01 20:10,,,\n'
    "x,13,a,,ナミキ住宅,2026-05-01 20:20,1,2,3,4\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_rows_in_common_encodings(encoding: str) -> None:
    handle = io.BufferedReader(io.BytesIO(CSV_TEXT.encode(encoding)))
    records = list(read_csv(handle, FETCHED))
    assert [(r.line, r.post is not None) for r in records] == [(2, True), (3, False), (5, True), (7, False)]
    first = records[0].post
    assert first is not None
    assert first.text == 'ナミキ住宅の営業、"プロとして成功報酬で"って'
    assert first.author_followers == 5000 and first.metrics.views == 900
    assert records[2].post is not None and records[2].post.text == "改行を含む\n投稿もある"
    assert "列の数" in (records[3].error or "")


REVIEW_CSV = (
    "評価,本文,投稿日,返信,投稿者\n"
    "1,担当者の態度が最悪。二度と頼みません,2026/05/02,この度はご不快な思いをおかけし申し訳ございません,山田\n"
    "5,アフターサービスが丁寧で満足しています,2026年4月28日,ありがとうございます,佐藤\n"
    "星ひとつ,評価が数字でない,2026/05/03,,鈴木\n"
)


def test_review_csv_with_japanese_headers() -> None:
    handle = io.BufferedReader(io.BytesIO(REVIEW_CSV.encode("cp932")))
    records = list(read_review_csv(handle, FETCHED))
    assert [(r.line, r.post is not None) for r in records] == [(2, True), (3, True), (4, False)]
    worst = records[0].post
    assert worst is not None
    assert (worst.source, worst.rating, worst.author) == ("review", 1.0, "山田")
    assert worst.created_at == dt.datetime(2026, 5, 2, tzinfo=JST)
    assert worst.source_id.startswith("h-")  # no id column: content key
    assert worst.reply == "この度はご不快な思いをおかけし申し訳ございません"  # the shop's reply stays with it
    assert "評価" in (records[2].error or "")


@pytest.mark.parametrize(
    ("path", "head", "expected"),
    [
        ("posts.jsonl", b"", "jsonl"),
        ("posts.txt", b'{"text": "a"}\n', "jsonl"),
        ("-", b"", "jsonl"),
        ("posts.csv", b"source,source_id,text,created_at\n", "csv"),
        ("reviews.csv", b"rating,text,date,reply\n", "review-csv"),
        ("reviews.csv", "評価,本文,投稿日,返信\n".encode("cp932"), "review-csv"),
        ("reviews.csv", "\ufeff星,口コミ,日付\n".encode(), "review-csv"),
        ("mixed.csv", b"text,created_at,rating\n", "csv"),
    ],
)
def test_detect_format(path: str, head: bytes, expected: str) -> None:
    assert detect_format(path, head) == expected


def test_shift_jis_csv_with_an_ascii_start_keeps_every_row(tmp_path: Path) -> None:
    rows = ["source,source_id,created_at,text"]
    rows += [f"csv,a{i},2026-05-01T10:00:00+09:00,plain ascii {i}" for i in range(3000)]  # > 64 KiB of ASCII
    rows += [f"csv,j{i},2026-05-01T11:00:00+09:00,ミナト住建の対応が最悪 {i}" for i in range(50)]
    path = tmp_path / "sjis.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    with path.open("rb") as handle:
        records = list(read_csv(handle, dt.datetime(2026, 5, 2, tzinfo=dt.UTC)))
    assert [r for r in records if r.post is None] == []
    assert len(records) == 3050
    assert records[-1].post is not None and records[-1].post.text.startswith("ミナト住建")
