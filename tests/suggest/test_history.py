import datetime as dt

import pytest

from hikeshi.records import SignalKind
from hikeshi.store.records import SuggestSnapshot
from hikeshi.suggest import (
    compare_round,
    default_risk_dictionary,
    diff_snapshots,
    query_variants,
    replay_signals,
    risky_suggest_signal,
)
from tests.suggest.payloads import CALM, FLAMING

NAMES = ["ミナト住建"]
T0 = dt.datetime(2025, 3, 3, 0, 0, tzinfo=dt.UTC)


def snap(engine: str, query: str, hours: int, suggestions: list[str]) -> SuggestSnapshot:
    return SuggestSnapshot(
        watch="ミナト住建",
        engine=engine,
        query=query,
        taken_at=T0 + dt.timedelta(hours=hours),
        suggestions=suggestions,
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["ミナト住建"], ["ミナト住建", "ミナト住建 "]),
        (["ミナト住建", "ミナト"], ["ミナト住建", "ミナト住建 ", "ミナト", "ミナト "]),
        (["  ミナト  住建 ", "ミナト 住建"], ["ミナト 住建", "ミナト 住建 "]),
        (["", " "], []),
    ],
)
def test_query_variants(names: list[str], expected: list[str]) -> None:
    assert query_variants(names) == expected


def test_diff_lists_added_and_removed_terms() -> None:
    diff = diff_snapshots(snap("google", "ミナト住建 ", 0, CALM), snap("google", "ミナト住建 ", 6, FLAMING))
    assert diff.added == ["ミナト住建 ブラック", "ミナト住建 line", "ミナト住建 炎上"]
    assert diff.removed == ["ミナト住建 年収", "ミナト住建 坪単価", "ミナト住建 口コミ"]
    assert diff.changed and diff.before_at == T0


def test_first_snapshot_diff_has_everything_added() -> None:
    diff = diff_snapshots(None, snap("bing", "ミナト住建", 0, CALM))
    assert diff.added == CALM and diff.removed == [] and diff.before_at is None


def test_only_newly_risky_suggestions_count() -> None:
    before = [snap("google", "ミナト住建 ", 0, ["ミナト住建 炎上", *CALM])]
    now = [
        snap("google", "ミナト住建 ", 6, FLAMING),
        snap("yahoo", "ミナト住建 ", 6, ["ミナト住建 ブラック"]),
    ]
    _diffs, risks = compare_round(before, now, NAMES, default_risk_dictionary())
    # 炎上 was already suggested; ブラック is new on Google, and Yahoo! has no history (first snapshot counts).
    assert [(risk.engine, risk.hit.suggestion, risk.hit.term) for risk in risks] == [
        ("google", "ミナト住建 ブラック", "ブラック"),
        ("yahoo", "ミナト住建 ブラック", "ブラック"),
    ]


def test_signal_groups_a_round_into_one_japanese_summary() -> None:
    now = [
        snap("google", "ミナト住建 ", 6, FLAMING),
        snap("yahoo", "ミナト住建 ", 6, ["ミナト住建 詐欺", "ミナト住建 ブラック"]),
    ]
    _diffs, risks = compare_round([], now, NAMES, default_risk_dictionary())
    signal = risky_suggest_signal("ミナト住建", now[0].taken_at, risks)
    assert signal is not None
    assert signal.kind is SignalKind.RISKY_SUGGEST
    assert signal.severity == 4  # 詐欺
    assert signal.detected_at == signal.window_start == T0 + dt.timedelta(hours=6)
    assert signal.evidence.terms == ["ミナト住建 ブラック", "ミナト住建 炎上", "ミナト住建 詐欺"]
    assert signal.evidence.metrics["engines"] == 2.0
    assert signal.summary.startswith(
        "検索候補に新しいリスク語が現れました: 「ミナト住建 詐欺」（Yahoo!、リスク語「詐欺」）、"
        "「ミナト住建 ブラック」（Google・Yahoo!、リスク語「ブラック」）"
    )


def test_no_risk_no_signal() -> None:
    assert risky_suggest_signal("ミナト住建", T0, []) is None


def test_replay_raises_a_signal_when_a_term_appears_and_again_when_it_returns() -> None:
    history = [
        snap("google", "ミナト住建 ", 0, CALM),
        snap("google", "ミナト住建 ", 6, FLAMING),  # ブラック and 炎上 appear
        snap("google", "ミナト住建 ", 12, FLAMING),  # still there: nothing new
        snap("google", "ミナト住建 ", 18, CALM),  # gone
        snap("google", "ミナト住建 ", 24, ["ミナト住建 ブラック", *CALM]),  # back
    ]
    signals = replay_signals("ミナト住建", history, NAMES, default_risk_dictionary())
    assert [(signal.detected_at - T0, signal.severity, signal.evidence.terms) for signal in signals] == [
        (dt.timedelta(hours=6), 3, ["ミナト住建 ブラック", "ミナト住建 炎上"]),
        (dt.timedelta(hours=24), 3, ["ミナト住建 ブラック"]),
    ]
