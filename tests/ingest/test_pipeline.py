from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hikeshi.errors import HikeshiError
from hikeshi.ingest import BadRecord, ingest_file, is_excluded
from hikeshi.records import Analysis, Watch
from hikeshi.store import Store
from tests.store.support import keyword_analyzer

WATCH = "ナミキ住宅"
LINES = [
    {
        "source": "x",
        "source_id": "1",
        "text": "ナミキ住宅の営業の態度がひどい",
        "created_at": "2026-05-01T10:00:00",
    },
    {
        "source": "x",
        "source_id": "2",
        "text": "ナミキ川の花火大会きれいだった",
        "created_at": "2026-05-01T10:05:00",
    },
    {
        "source": "x",
        "source_id": "3",
        "text": "ナミキ住宅のモデルハウス最高 ＃ＰＲ",
        "created_at": "2026-05-01T10:06:00",
    },
    {
        "source": "x",
        "source_id": "1",
        "text": "ナミキ住宅の営業の態度がひどい",
        "created_at": "2026-05-01T10:00:00",
    },
    {"text": "ナミキ住宅で建てて良かった", "created_at": "2026-05-01T10:10:00", "author": "施主A"},
    {"source": "x", "source_id": "5", "text": "ナミキ住宅 不買", "created_at": "いつか"},
]


def write_jsonl(path: Path, records: Sequence[object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "excluded"),
    [
        ("ナミキ川の花火大会", True),
        ("ﾅﾐｷ川の釣り", True),  # half-width katakana folds to full width
        ("ナミキ住宅の新商品 #pr", True),  # case-insensitive
        ("ナミキ住宅の営業", False),
    ],
)
def test_exclusion_terms(text: str, excluded: bool) -> None:
    assert is_excluded(text, ["ナミキ川", "#PR"]) is excluded


def test_ingest_file_counts_excludes_dedupes_and_reports(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "posts.jsonl", LINES)
    bad: list[BadRecord] = []
    report = ingest_file(store, WATCH, str(path), analyzer=keyword_analyzer, batch_size=2, on_bad=bad.append)
    assert (report.read, report.inserted, report.duplicates, report.excluded) == (6, 2, 1, 2)
    assert [b.line for b in bad] == [6] and "created_at" in bad[0].message
    assert not report.ok
    again = ingest_file(store, WATCH, str(path), analyzer=keyword_analyzer)
    assert (again.inserted, again.duplicates) == (0, 3)
    stored = {hit.post.source_id: hit for hit in store.search_posts(WATCH)}
    assert set(stored) == {"1", next(k for k in stored if k.startswith("h-"))}
    assert stored["1"].analysis is not None and stored["1"].analysis.sentiment.negative > 0.5


def test_already_stored_posts_are_not_analysed_again(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "posts.jsonl", LINES[:1] + LINES[4:5])
    seen: list[str] = []

    def counting_analyzer(texts: Sequence[str]) -> list[Analysis]:
        seen.extend(texts)
        return keyword_analyzer(texts)

    ingest_file(store, WATCH, str(path), analyzer=counting_analyzer)
    ingest_file(store, WATCH, str(path), analyzer=counting_analyzer)
    assert seen == ["ナミキ住宅の営業の態度がひどい", "ナミキ住宅で建てて良かった"]


def test_a_failing_batch_leaves_earlier_batches_and_a_rerun_completes(store: Store, tmp_path: Path) -> None:
    records = [
        {
            "source": "x",
            "source_id": str(i),
            "text": f"ナミキ住宅の投稿 {i}",
            "created_at": "2026-05-02T09:00:00",
        }
        for i in range(10)
    ]
    path = write_jsonl(tmp_path / "posts.jsonl", records)
    calls = 0

    def failing_third_batch(texts: Sequence[str]) -> list[Analysis]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("analyzer crashed")
        return keyword_analyzer(texts)

    with pytest.raises(RuntimeError):
        ingest_file(store, WATCH, str(path), analyzer=failing_third_batch, batch_size=3)
    assert store.count_posts(WATCH) == 6
    report = ingest_file(store, WATCH, str(path), analyzer=keyword_analyzer, batch_size=3)
    assert (report.inserted, report.duplicates) == (4, 6)
    assert store.count_posts(WATCH) == 10


def test_analyzer_must_answer_every_text(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "posts.jsonl", LINES[:1])
    with pytest.raises(HikeshiError, match="件数"):
        ingest_file(store, WATCH, str(path), analyzer=lambda texts: [])
    assert store.count_posts(WATCH) == 0


def test_unknown_watch_and_missing_file(store: Store, tmp_path: Path) -> None:
    with pytest.raises(HikeshiError, match="ウォッチ「ミドリ食品」はありません"):
        ingest_file(store, "ミドリ食品", str(tmp_path / "none.jsonl"), analyzer=keyword_analyzer)
    with pytest.raises(HikeshiError, match="見つかりません"):
        ingest_file(store, WATCH, str(tmp_path / "none.jsonl"), analyzer=keyword_analyzer)


def test_two_writers_on_one_sqlite_file_both_finish(tmp_path: Path) -> None:
    """The monitor daemon and a manual import may write at once; neither may fail with 'database is locked'."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    with Store(url) as store:
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
    paths = []
    for writer in ("a", "b"):
        records = [
            {
                "source": writer,
                "source_id": str(i),
                "text": f"ナミキ住宅の話 {writer}{i}",
                "created_at": "2026-05-02T09:00",
            }
            for i in range(400)
        ]
        paths.append(write_jsonl(tmp_path / f"{writer}.jsonl", records))

    def run(path: Path) -> int:
        with Store(url) as own_store:
            return ingest_file(own_store, WATCH, str(path), analyzer=keyword_analyzer, batch_size=10).inserted

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(run, paths)) == [400, 400]
    with Store(url) as store:
        assert store.count_posts(WATCH) == 800
