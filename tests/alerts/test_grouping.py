"""Grouping and cooldown as a table: batches of signals (as the monitor would see them) → messages sent."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.alerts import AlertEvent, AlertPolicy, AlertState, plan_alerts
from hikeshi.records import Signal, SignalEvidence, SignalKind

ONSET = dt.datetime(2026, 3, 12, 12, 10, tzinfo=dt.UTC)  # 21:10 JST
WATCH = "ミナト住建"
SUMMARIES = {
    SignalKind.VOLUME_SPIKE: "直近 30 分に 9 人が投稿しました（平常時の目安 0.4 人の 21 倍）。",
    SignalKind.NEGATIVITY_RISE: "直近 30 分の否定的な投稿が 5 人／6 人に増えています。",
    SignalKind.NEW_ANGLE: "話題の切り口が変わりつつあります: 「社長」「不買」に触れる投稿が増えています。",
    SignalKind.INFLUENCER_POST: "フォロワー 48.0万 人のアカウントが否定的な投稿をしました。",
    SignalKind.CALMED: "投稿の量と否定的な割合が平常に戻りました。",
    SignalKind.RISKY_SUGGEST: "検索候補に新しいリスク語が現れました: 「ミナト住建 ブラック」。",
}

Row = tuple[SignalKind, int, int] | tuple[SignalKind, int, int, str]


def make_signal(kind: SignalKind, severity: int, minutes: int, watch: str = WATCH) -> Signal:
    at = ONSET + dt.timedelta(minutes=minutes)
    return Signal(
        watch=watch,
        kind=kind,
        window_start=at - dt.timedelta(minutes=30),
        detected_at=at,
        severity=severity,
        evidence=SignalEvidence(terms=["不買"], post_ids=["x:1"]),
        summary=SUMMARIES[kind],
    )


def run_batches(
    batches: list[list[Row]], policy: AlertPolicy | None = None
) -> tuple[AlertState, list[list[tuple[str, int, int]]]]:
    state = AlertState()
    sent: list[list[tuple[str, int, int]]] = []
    policies = {WATCH: policy} if policy else {}
    for batch in batches:
        signals = [make_signal(*row) for row in batch]
        now = max(s.detected_at for s in signals) + dt.timedelta(minutes=1)
        state, messages = plan_alerts(state, signals, policies, now)
        sent.append([(m.event.value, m.severity, m.sequence) for m in messages])
    return state, sent


V, N, A, INF, C = (
    SignalKind.VOLUME_SPIKE,
    SignalKind.NEGATIVITY_RISE,
    SignalKind.NEW_ANGLE,
    SignalKind.INFLUENCER_POST,
    SignalKind.CALMED,
)


@pytest.mark.parametrize(
    ("case", "batches", "expected"),
    [
        (
            "live flame: opens once, folds same-severity signals, escalates once",
            [[(N, 3, 28)], [(V, 3, 40)], [(A, 2, 87)], [(V, 4, 175)], [(INF, 2, 176)]],
            [[("opened", 3, 1)], [], [], [("escalated", 4, 2)], []],
        ),
        (
            "catch-up: everything in one poll is one message at the highest severity",
            [[(N, 3, 28), (V, 3, 40), (A, 2, 87), (V, 4, 175), (INF, 2, 176)]],
            [[("opened", 4, 1)]],
        ),
        (
            "same severity again after the cooldown is a reminder",
            [[(V, 3, 0)], [(N, 3, 30)], [(V, 3, 120)]],
            [[("opened", 3, 1)], [], [("reminder", 3, 2)]],
        ),
        (
            "calmed closes the thread; the next flame opens a new one",
            [[(V, 3, 0)], [(C, 1, 900)], [(V, 3, 1000)]],
            [[("opened", 3, 1)], [("calmed", 3, 2)], [("opened", 3, 1)]],
        ),
        (
            "a gap longer than the window starts a new thread",
            [[(V, 3, 0)], [(V, 3, 361 + 0)]],
            [[("opened", 3, 1)], [("opened", 3, 1)]],
        ),
        (
            "a note (severity 1) does not open a thread, nor does calmed without one",
            [[(A, 1, 0)], [(C, 1, 60)]],
            [[], []],
        ),
    ],
)
def test_grouping_table(
    case: str, batches: list[list[Row]], expected: list[list[tuple[str, int, int]]]
) -> None:
    _, sent = run_batches(batches)
    assert sent == expected, case


def test_one_flame_is_one_thread() -> None:
    state, sent = run_batches([[(N, 3, 28)], [(V, 3, 40)], [(V, 4, 175)], [(C, 1, 1200)]])
    assert [len(batch) for batch in sent] == [1, 0, 1, 1]
    assert len(state.threads) == 1
    assert state.threads[0].closed
    assert state.threads[0].messages == 3


def test_folded_signals_are_counted_in_the_next_message() -> None:
    state = AlertState()
    first = [make_signal(V, 3, 0)]
    state, _ = plan_alerts(state, first, {}, ONSET)
    state, quiet = plan_alerts(state, [make_signal(N, 3, 10), make_signal(A, 2, 20)], {}, ONSET)
    assert quiet == []
    state, messages = plan_alerts(state, [make_signal(V, 4, 40)], {}, ONSET + dt.timedelta(hours=1))
    assert [(m.event, m.folded, m.previous_severity) for m in messages] == [(AlertEvent.ESCALATED, 2, 3)]


def test_restart_with_saved_state_sends_nothing_again() -> None:
    signals = [make_signal(N, 3, 28), make_signal(V, 4, 175)]
    now = ONSET + dt.timedelta(hours=4)
    state, first = plan_alerts(AlertState(), signals, {}, now)
    reloaded = AlertState.model_validate_json(state.model_dump_json())
    _, again = plan_alerts(reloaded, signals, {}, now)
    assert len(first) == 1
    assert again == []


def test_a_recomputed_signal_with_higher_severity_counts_as_new() -> None:
    state, _ = plan_alerts(AlertState(), [make_signal(V, 3, 0)], {}, ONSET)
    raised = make_signal(V, 4, 0)  # same (watch, kind, window_start), re-computed with a higher severity
    _, messages = plan_alerts(state, [raised], {}, ONSET)
    assert [(m.event, m.severity) for m in messages] == [(AlertEvent.ESCALATED, 4)]


def test_old_signals_are_not_sent_on_first_start() -> None:
    old = [make_signal(V, 4, 0)]
    _, messages = plan_alerts(AlertState(), old, {}, ONSET + dt.timedelta(days=3))
    assert messages == []


def test_two_watches_get_two_threads() -> None:
    signals = [make_signal(V, 3, 0), make_signal(V, 3, 5, watch="しろくま製菓")]
    state, messages = plan_alerts(AlertState(), signals, {}, ONSET + dt.timedelta(minutes=10))
    assert sorted(m.watch for m in messages) == ["しろくま製菓", WATCH]
    assert len({m.thread_id for m in messages}) == 2
    assert len(state.threads) == 2


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (AlertPolicy(cooldown_minutes=10), [[("opened", 3, 1)], [("reminder", 3, 2)]]),
        (AlertPolicy(cooldown_minutes=240), [[("opened", 3, 1)], []]),
        (AlertPolicy(group_window_minutes=15), [[("opened", 3, 1)], [("opened", 3, 1)]]),
        (AlertPolicy(min_severity=4), [[], []]),
    ],
)
def test_policy_per_watch(policy: AlertPolicy, expected: list[list[tuple[str, int, int]]]) -> None:
    _, sent = run_batches([[(V, 3, 0)], [(N, 3, 30)]], policy)
    assert sent == expected
