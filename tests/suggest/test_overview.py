"""The dashboard's view of search suggestions: newest list per engine and query, risky terms, changes."""

from __future__ import annotations

import datetime as dt

from hikeshi.records import Watch
from hikeshi.store import SuggestSnapshot
from hikeshi.suggest import default_risk_dictionary
from hikeshi.suggest.overview import suggest_overview

WATCH = Watch(name="ナミキ住宅", terms=["ナミキ住宅"], risk_terms=["欠陥"])
T0 = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)


def snapshot(engine: str, hours: int, suggestions: list[str]) -> SuggestSnapshot:
    return SuggestSnapshot(
        watch=WATCH.name,
        engine=engine,
        query="ナミキ住宅 ",
        taken_at=T0 + dt.timedelta(hours=hours),
        suggestions=suggestions,
    )


def test_latest_lists_with_risky_terms_and_newest_changes_first() -> None:
    history = [
        snapshot("google", 6, ["ナミキ住宅 評判", "ナミキ住宅 ブラック", "ナミキ住宅 欠陥"]),
        snapshot("google", 0, ["ナミキ住宅 評判", "ナミキ住宅 モデルハウス"]),
        snapshot("bing", 0, ["ナミキ住宅 求人"]),
        snapshot("bing", 3, ["ナミキ住宅 求人"]),
        snapshot("bing", 9, ["ナミキ住宅 求人", "ナミキ住宅 詐欺"]),
    ]
    overview = suggest_overview(WATCH, history, default_risk_dictionary())
    assert [(latest.engine, latest.taken_at.hour) for latest in overview.latest] == [
        ("bing", 9),
        ("google", 6),
    ]
    google = overview.latest[1]
    assert [(hit.suggestion, hit.term, hit.rank) for hit in google.risks] == [
        ("ナミキ住宅 ブラック", "ブラック", 2),
        ("ナミキ住宅 欠陥", "欠陥", 3),  # the watch's own risk term
    ]
    # bing 0h → 3h did not change, so two changes, newest first
    assert [(change.engine, change.added, change.removed) for change in overview.changes] == [
        ("bing", ["ナミキ住宅 詐欺"], []),
        ("google", ["ナミキ住宅 ブラック", "ナミキ住宅 欠陥"], ["ナミキ住宅 モデルハウス"]),
    ]


def test_no_snapshots() -> None:
    overview = suggest_overview(WATCH, [], default_risk_dictionary())
    assert overview.latest == [] and overview.changes == []


def test_changes_are_bounded() -> None:
    history = [snapshot("google", hour, [f"ナミキ住宅 {hour}"]) for hour in range(10)]
    overview = suggest_overview(WATCH, history, default_risk_dictionary(), max_changes=3)
    assert [change.after_at.hour for change in overview.changes] == [9, 8, 7]
