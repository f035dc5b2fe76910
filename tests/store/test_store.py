from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from hikeshi.errors import InputError
from hikeshi.records import Signal, SignalEvidence, SignalKind, Watch
from hikeshi.store import Store, StoredPost, SuggestSnapshot
from hikeshi.store.migrate import current_revision, downgrade, head_revision
from tests.store.support import at, keyword_analysis, keyword_analyzer, post

WATCH = "ナミキ住宅"
POSTS = [
    post("1", "ナミキ住宅の営業の態度がひどい", at(1, 10)),
    post("2", "ナミキ住宅 不買運動が始まってる", at(1, 11)),
    post("3", "ナミキ住宅で建てた家、最高でした。ありがとう", at(1, 9), source="review"),
    post("4", "ナミキの件、炎上してる", at(2, 8)),
    post("5", "ナミキ住宅の社長が会見。100%の対応を約束", at(2, 12), source="news"),
]


def add_all(store: Store) -> int:
    return store.add_posts(WATCH, POSTS, keyword_analyzer([p.text for p in POSTS]))


def test_watches_round_trip_and_errors_in_japanese(store: Store) -> None:
    second = Watch(
        name="ミドリ食品", terms=["ミドリ食品"], risk_terms=["異物混入"], thresholds={"volume_z": 3.5}
    )
    store.add_watch(second)
    assert [w.name for w in store.list_watches()] == ["ナミキ住宅", "ミドリ食品"]
    assert store.get_watch("ミドリ食品") == second
    with pytest.raises(InputError, match="既にあります"):
        store.add_watch(second)
    store.remove_watch("ミドリ食品")
    assert store.find_watch("ミドリ食品") is None
    with pytest.raises(InputError, match="ウォッチ「ミドリ食品」はありません"):
        store.get_watch("ミドリ食品")


def test_add_posts_is_idempotent(store: Store) -> None:
    assert add_all(store) == 5
    assert add_all(store) == 0
    # The same key inside one batch, and a batch mixing old and new posts.
    fresh = post("6", "ナミキ住宅、二度と頼まない", at(3, 9))
    assert (
        store.add_posts(
            WATCH, [POSTS[0], fresh, fresh], [keyword_analysis(p.text) for p in (POSTS[0], fresh, fresh)]
        )
        == 1
    )
    assert store.count_posts(WATCH) == 6
    assert store.existing_post_keys(WATCH, [("x", "6"), ("x", "7"), ("review", "3")]) == {
        ("x", "6"),
        ("review", "3"),
    }


def test_same_source_id_in_two_watches_is_two_posts(store: Store) -> None:
    store.add_watch(Watch(name="ミドリ食品", terms=["ミドリ食品"]))
    assert store.add_posts(WATCH, POSTS[:1]) == 1
    assert store.add_posts("ミドリ食品", POSTS[:1]) == 1


@pytest.mark.parametrize(
    ("query", "expected_ids"),
    [
        ("不買運動", ["2"]),  # three characters or more: the trigram index
        ("炎上", ["4"]),  # two characters: LIKE
        ("ナミキ住宅 社長", ["5"]),  # every term must occur
        ("ナミキ　態度", ["1"]),  # full-width space separates terms too
        ("100%", ["5"]),  # LIKE wildcards are literal
        ("ナミキ住宅", ["5", "2", "1", "3"]),  # newest first
        ("倒産", []),
    ],
)
def test_search_posts_by_substring(store: Store, query: str, expected_ids: list[str]) -> None:
    add_all(store)
    assert [hit.post.source_id for hit in store.search_posts(WATCH, q=query)] == expected_ids


def ids(hits: list[StoredPost]) -> list[str]:
    return [hit.post.source_id for hit in hits]


def test_search_posts_filters(store: Store) -> None:
    add_all(store)
    assert ids(store.search_posts(WATCH, sentiment="negative")) == ["4", "2", "1"]
    assert ids(store.search_posts(WATCH, sentiment="positive")) == ["3"]
    assert ids(store.search_posts(WATCH, source="news")) == ["5"]
    assert ids(store.search_posts(WATCH, since=at(1, 10), until=at(2, 8))) == ["2", "1"]
    assert ids(store.search_posts(WATCH, limit=2, offset=1)) == ["4", "2"]
    hit = store.search_posts(WATCH, q="最高")[0]
    assert hit.analysis is not None and hit.analysis.model_versions == {"keyword-test": "1"}
    assert hit.post == POSTS[2]
    with pytest.raises(InputError, match="sentiment"):
        store.search_posts(WATCH, sentiment="angry")


def test_iter_analyzed_posts_in_event_time_order(store: Store) -> None:
    utc_post = post(
        "utc", "ナミキ住宅の最悪な対応", dt.datetime(2026, 5, 1, 0, 30, tzinfo=dt.UTC)
    )  # 09:30 JST
    unanalyzed = post("raw", "ナミキ住宅 未分析", at(1, 7))
    add_all(store)
    store.add_posts(WATCH, [utc_post], [keyword_analysis(utc_post.text)])
    store.add_posts(WATCH, [unanalyzed])
    pairs = list(store.iter_analyzed_posts(WATCH))
    assert [p.source_id for p, _ in pairs] == ["3", "utc", "1", "2", "4", "5"]
    assert pairs[1][0].created_at == at(1, 9, 30)
    assert pairs[1][1].sentiment.negative == pytest.approx(0.8)
    assert [p.source_id for p, _ in store.iter_analyzed_posts(WATCH, since=at(2, 0))] == ["4", "5"]


def test_signals_are_unique_per_window_and_updated_in_place(store: Store) -> None:
    first = Signal(
        watch=WATCH,
        kind=SignalKind.NEGATIVITY_RISE,
        window_start=at(2, 8),
        detected_at=at(2, 8, 40),
        severity=2,
        evidence=SignalEvidence(post_ids=["x:4"], terms=["炎上"], metrics={"negative_share": 0.62}),
        summary="否定的な投稿の割合が上がっています（62%）。",
    )
    spike = first.model_copy(update={"kind": SignalKind.VOLUME_SPIKE, "detected_at": at(2, 8, 30)})
    assert store.save_signals([first, spike]) == 2
    assert store.save_signals([first, spike]) == 0
    raised = first.model_copy(update={"severity": 3, "summary": "否定的な投稿が急増しています。"})
    assert store.save_signals([raised]) == 0
    signals = store.list_signals(WATCH)
    assert [(s.kind, s.severity) for s in signals] == [
        (SignalKind.VOLUME_SPIKE, 2),
        (SignalKind.NEGATIVITY_RISE, 3),
    ]
    assert signals[1].evidence.terms == ["炎上"] and signals[1].window_start == at(2, 8)
    assert store.list_signals(WATCH, kind=SignalKind.VOLUME_SPIKE) == [spike]
    with pytest.raises(InputError):
        store.save_signals([first.model_copy(update={"watch": "存在しない会社"})])


def test_sources_keep_their_cursor(store: Store) -> None:
    rss = store.add_source(WATCH, "rss", {"url": "https://example.jp/feed.xml"}, interval_seconds=300)
    x = store.add_source(WATCH, "x", {"query": "ナミキ住宅 -is:retweet"})
    assert [s.kind for s in store.list_sources(WATCH)] == ["rss", "x"]
    assert rss.last_polled_at is None and rss.state == {}
    store.update_source_state(x.id, {"since_id": "1790000000000000000"}, polled_at=at(3, 10))
    reloaded = store.get_source(x.id)
    assert reloaded.state == {"since_id": "1790000000000000000"}
    assert reloaded.last_polled_at == at(3, 10)
    store.remove_source(rss.id)
    assert [s.id for s in store.list_sources()] == [x.id]
    with pytest.raises(InputError, match="ソース"):
        store.get_source(rss.id)
    with pytest.raises(InputError, match="1 秒以上"):
        store.add_source(WATCH, "rss", {"url": "https://example.jp"}, interval_seconds=0)


def test_suggest_snapshots_history(store: Store) -> None:
    for hour, suggestions in (
        (9, ["ナミキ住宅 評判", "ナミキ住宅 坪単価"]),
        (10, ["ナミキ住宅 ブラック", "ナミキ住宅 評判"]),
    ):
        store.save_suggest_snapshot(
            SuggestSnapshot(
                watch=WATCH,
                engine="google",
                query="ナミキ住宅",
                taken_at=at(4, hour),
                suggestions=suggestions,
            )
        )
    store.save_suggest_snapshot(
        SuggestSnapshot(watch=WATCH, engine="bing", query="ナミキ住宅", taken_at=at(4, 9), suggestions=[])
    )
    google = store.list_suggest_snapshots(WATCH, engine="google")
    assert [s.suggestions[0] for s in google] == ["ナミキ住宅 評判", "ナミキ住宅 ブラック"]
    assert len(store.list_suggest_snapshots(WATCH, since=at(4, 10))) == 1
    assert len(store.list_suggest_snapshots(WATCH, query="ナミキ")) == 0


def test_remove_watch_cascades_and_search_index_follows(store: Store) -> None:
    add_all(store)
    store.add_source(WATCH, "rss", {"url": "https://example.jp/feed.xml"})
    store.remove_watch(WATCH)
    store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
    assert store.count_posts(WATCH) == 0
    assert store.search_posts(WATCH, q="不買運動") == []
    assert store.list_sources() == []
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM analyses")) == 0


def test_watch_summary(store: Store) -> None:
    add_all(store)
    summary = store.watch_summary(WATCH)
    assert (summary.posts, summary.analyzed) == (5, 5)
    assert summary.posts_by_source == {"news": 1, "review": 1, "x": 3}
    assert summary.first_post_at == at(1, 9) and summary.last_post_at == at(2, 12)


def test_migrations_reopen_downgrade_and_upgrade(database_url: str) -> None:
    with Store(database_url) as store:
        assert current_revision(store.engine) == head_revision()
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
    with Store(database_url) as reopened:  # a second open is a no-op, data kept
        assert [w.name for w in reopened.list_watches()] == [WATCH]
        downgrade(reopened.engine, "base")
        assert current_revision(reopened.engine) is None
    with Store(database_url) as upgraded:
        assert upgraded.list_watches() == []
        upgraded.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
        upgraded.add_posts(WATCH, POSTS[:2])
        assert [hit.post.source_id for hit in upgraded.search_posts(WATCH, q="不買運動")] == ["2"]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with (
        Store(f"sqlite:///{tmp_path}/db/nested/hikeshi.sqlite3") as store,
        store.engine.connect() as connection,
    ):
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_sqlite_search_index_follows_text_updates(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path}/hikeshi.sqlite3") as store:
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
        store.add_posts(WATCH, POSTS[:1])
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE posts SET text = 'ナミキ住宅は詐欺まがい'"))
        assert [h.post.source_id for h in store.search_posts(WATCH, q="詐欺まがい")] == ["1"]
        assert store.search_posts(WATCH, q="態度がひどい") == []


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="を開けません"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(InputError, match="対応していない"):
        Store("mysql://localhost/hikeshi")


@pytest.mark.postgres
def test_postgres_substring_search_uses_the_trigram_index() -> None:
    from tests.store.postgres_support import fresh_database

    for url in fresh_database():
        with Store(url) as store:
            store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅"]))
            store.add_posts(WATCH, POSTS)
            with store.engine.connect() as connection:
                connection.exec_driver_sql("SET enable_seqscan = off")
                plan = " ".join(
                    row[0]
                    for row in connection.exec_driver_sql(
                        "EXPLAIN SELECT id FROM posts WHERE text ILIKE '%%不買運動%%'"
                    )
                )
            assert "ix_posts_text_trgm" in plan
            assert [h.post.source_id for h in store.search_posts(WATCH, q="不買運動")] == ["2"]


def test_dup_groups_are_recorded(store: Store) -> None:
    add_all(store)
    store.set_dup_groups(WATCH, {("x", "1"): "x:1", ("x", "2"): "x:1"})
    groups = {hit.post.source_id: hit.dup_group for hit in store.search_posts(WATCH)}
    assert groups == {"1": "x:1", "2": "x:1", "3": None, "4": None, "5": None}


def test_processes_opening_a_new_sqlite_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    script = "import sys; from hikeshi.store import Store; Store(sys.argv[1]).close(); print('ok')"
    processes = [
        subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], [err.decode() for _, err in results]
    with Store(url) as store:
        assert current_revision(store.engine) == head_revision()


def test_review_reply_round_trips(store: Store) -> None:
    store.add_watch(Watch(name="ミナト住建", terms=["ミナト住建"]))
    review = post(
        "r-1", "担当者の態度が最悪", at(10, 9), source="review", rating=1.0, reply="申し訳ございません"
    )
    store.add_posts("ミナト住建", [review], [keyword_analysis(review.text)])
    (stored,) = store.search_posts("ミナト住建")
    assert (stored.post.rating, stored.post.reply) == (1.0, "申し訳ございません")
