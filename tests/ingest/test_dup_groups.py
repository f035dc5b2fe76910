"""Near-duplicate groups written by ingest: stable across runs, matched against earlier runs, repaired after a crash."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from hikeshi.ingest import ingest_file
from hikeshi.ingest.pipeline import DuplicateTracker, ingest_posts
from hikeshi.ingest.records import ParsedRecord
from hikeshi.store import Store
from tests.store.support import at, keyword_analyzer, post

WATCH = "ナミキ住宅"
STORM = "ナミキ住宅の営業、契約しなかった客に「無駄な時間だった」ってLINEしてきたらしい。最悪すぎる"
OTHER = "ナミキ住宅のモデルハウス見学してきた。担当さんが丁寧で良かった"


def record(source_id: str, text: str, minute: int) -> dict[str, str]:
    return {
        "source": "x",
        "source_id": source_id,
        "text": text,
        "created_at": f"2026-05-01T10:{minute:02d}:00",
    }


def write_jsonl(path: Path, records: Sequence[dict[str, str]]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def groups(store: Store) -> dict[str, str | None]:
    return {hit.post.source_id: hit.dup_group for hit in store.search_posts(WATCH, limit=1000)}


FIRST_RUN = [
    record("1", STORM, 0),
    record("2", OTHER, 1),
    record("3", f"RT @namiki_watch: {STORM}", 2),
    record("4", f"{STORM} これは炎上する", 3),
    record("5", "ナミキ住宅の社長、会見で何も説明しなかった", 4),
]
SECOND_RUN = [
    *FIRST_RUN,  # the same import again: nothing changes
    record("6", f"@someone {STORM}😡", 10),
    record("7", "【悲報】ナミキ住宅の社長、会見で何も説明しなかった", 11),
    record("8", "ナミキ住宅の見積もりは他社より安かった", 12),
]


def test_each_post_gets_the_key_of_its_first_copy(store: Store, tmp_path: Path) -> None:
    ingest_file(
        store, WATCH, write_jsonl(tmp_path / "a.jsonl", FIRST_RUN), analyzer=keyword_analyzer, batch_size=2
    )
    assert groups(store) == {"1": "x:1", "2": "x:2", "3": "x:1", "4": "x:1", "5": "x:5"}


def test_a_later_run_joins_stored_groups_and_changes_none(store: Store, tmp_path: Path) -> None:
    ingest_file(store, WATCH, write_jsonl(tmp_path / "a.jsonl", FIRST_RUN), analyzer=keyword_analyzer)
    before = groups(store)
    report = ingest_file(
        store, WATCH, write_jsonl(tmp_path / "b.jsonl", SECOND_RUN), analyzer=keyword_analyzer, batch_size=3
    )
    assert report.inserted == 3
    after = groups(store)
    assert {key: after[key] for key in before} == before
    assert (after["6"], after["7"], after["8"]) == ("x:1", "x:5", "x:8")


def test_posts_left_ungrouped_by_a_crash_are_grouped_by_the_next_run(store: Store, tmp_path: Path) -> None:
    """A kill between writing a batch and writing its groups leaves posts without a group: the next run that
    adds posts in their window groups them, in event-time order."""
    store.add_posts(WATCH, [post("1", STORM, at(1, 10)), post("2", f"RT {STORM}", at(1, 11))])
    assert set(groups(store).values()) == {None}
    ingest_file(
        store,
        WATCH,
        write_jsonl(tmp_path / "c.jsonl", [record("3", f"{STORM}!!", 59)]),
        analyzer=keyword_analyzer,
    )
    assert groups(store) == {"1": "x:1", "2": "x:1", "3": "x:1"}


def test_posts_outside_the_window_are_not_matched(store: Store, tmp_path: Path) -> None:
    store.add_posts(WATCH, [post("old", STORM, at(1, 10))])
    store.set_dup_groups(WATCH, {("x", "old"): "x:old"})
    late = {"source": "x", "source_id": "new", "text": STORM, "created_at": "2026-05-20T10:00:00+09:00"}
    ingest_file(store, WATCH, write_jsonl(tmp_path / "d.jsonl", [late]), analyzer=keyword_analyzer)
    assert groups(store) == {"old": "x:old", "new": "x:new"}


def test_a_kept_tracker_reads_the_store_once(store: Store) -> None:
    """The daemon can keep one tracker per watch; posts stored behind its back are then not re-read."""
    watch = store.get_watch(WATCH)
    tracker = DuplicateTracker(store, WATCH)
    first = [ParsedRecord(line=1, post=post("1", STORM, at(1, 10)))]
    ingest_posts(store, watch, first, analyzer=keyword_analyzer, duplicates=tracker)
    store.add_posts(WATCH, [post("2", OTHER, at(1, 11))])
    second = [ParsedRecord(line=1, post=post("3", f"RT {STORM}", at(1, 12)))]
    ingest_posts(store, watch, second, analyzer=keyword_analyzer, duplicates=tracker)
    assert groups(store) == {"1": "x:1", "2": None, "3": "x:1"}


@pytest.mark.parametrize("group_duplicates", [True, False])
def test_grouping_can_be_left_to_a_later_step(store: Store, tmp_path: Path, group_duplicates: bool) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", FIRST_RUN[:3])
    ingest_file(store, WATCH, path, analyzer=keyword_analyzer, group_duplicates=group_duplicates)
    expected = {"1": "x:1", "2": "x:2", "3": "x:1"} if group_duplicates else dict.fromkeys("123")
    assert groups(store) == expected


def test_intake_requests_share_one_tracker_per_watch_until_it_ages(store: Store) -> None:
    import datetime as dt

    from hikeshi.ingest import intake_posts
    from hikeshi.ingest.pipeline import DuplicateTrackers

    trackers = DuplicateTrackers(store, max_age=dt.timedelta(hours=1))
    start = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    with trackers.use(WATCH, start) as first:
        intake_posts(store, WATCH, [record("1", STORM, 0)], analyzer=keyword_analyzer, duplicates=first)
    with trackers.use(WATCH, start + dt.timedelta(minutes=5)) as second:
        intake_posts(
            store, WATCH, [record("2", f"RT @a: {STORM}", 1)], analyzer=keyword_analyzer, duplicates=second
        )
    assert second is first  # the index is built once, not per request
    assert groups(store)["2"] == groups(store)["1"]
    with trackers.use(WATCH, start + dt.timedelta(hours=2)) as later:
        assert later is not first  # rebuilt from the store: bounded memory, other processes' posts seen
