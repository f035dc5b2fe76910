"""Grouping and cooldown as a table: batches of signals (as the monitor would see them) → messages sent."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.alerts import (
    AlertEvent,
    AlertMessage,
    AlertPolicy,
    AlertState,
    Notice,
    NoticeKind,
    ThreadRef,
    plan_alerts,
    render,
    signal_key,
)
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


# --- one flame = one incident = one thread ----------------------------------------------------------------

INCIDENT = ThreadRef(incident_id=7, title="ミナト住建: 否定的な声の増加（03/12 22:56 検知）", severity=3)
FIRST_ALERT = AlertPolicy(min_severity=1)  # the scenario's 21:26 severity-1 alert


def plan_batches(
    batches: list[tuple[list[Row], list[int]]], policy: AlertPolicy = FIRST_ALERT
) -> tuple[AlertState, list[list[AlertMessage]]]:
    """Each batch: its signals, and the indexes of those the respond side put in incident 7."""
    state = AlertState()
    sent: list[list[AlertMessage]] = []
    for rows, in_incident in batches:
        signals = [make_signal(*row) for row in rows]
        refs = {signal_key(signals[i]): INCIDENT for i in in_incident}
        now = max(s.detected_at for s in signals) + dt.timedelta(minutes=1)
        state, messages = plan_alerts(state, signals, {WATCH: policy}, now, refs=refs)
        sent.append(messages)
    return state, sent


def test_the_watch_thread_continues_as_the_incident_thread() -> None:
    """21:26 severity 1, 22:06 severity 2, 22:56 severity 3 opens incident 7: one thread, and later alerts
    go to the same thread under the incident's name."""
    state, sent = plan_batches(
        [
            ([(V, 1, 16)], []),  # 21:26
            ([(N, 2, 56)], []),  # 22:06
            ([(N, 3, 106)], [0]),  # 22:56: the incident opens
            ([(V, 3, 150)], [0]),  # folded (same severity, within the cooldown)
            ([(V, 4, 600)], [0]),  # 07:10 the next morning: far beyond the window, still the same flame
        ]
    )
    flat = [message for batch in sent for message in batch]
    first = flat[0].thread_id
    assert [(m.thread_id, m.sequence, m.event.value, m.severity) for m in flat] == [
        (first, 1, "opened", 1),
        (first, 2, "escalated", 2),
        ("inc-7", 3, "escalated", 3),
        ("inc-7", 4, "escalated", 4),
    ]
    assert first != "inc-7" and first.startswith("inc-")
    assert [m.continues for m in flat[2:]] == [first, first]
    assert all(m.incident == INCIDENT for m in flat[2:]) and flat[0].incident is None
    assert [t.id for t in state.threads if not t.closed] == ["inc-7"]


def test_a_catch_up_opening_an_incident_is_one_message_with_its_announcement() -> None:
    signals = [make_signal(V, 1, 16), make_signal(N, 2, 56), make_signal(N, 3, 106)]
    opened = Notice(
        kind=NoticeKind.INCIDENT_OPENED,
        watch=WATCH,
        thread=INCIDENT,
        text="インシデント 7「ミナト住建: 否定的な声の増加」を開きました（深刻度 3 警戒）。",
        key="announce:opened:7",
    )
    _, messages = plan_alerts(
        AlertState(),
        signals,
        {WATCH: FIRST_ALERT},
        ONSET + dt.timedelta(minutes=110),
        refs={signal_key(s): INCIDENT for s in signals[1:]},
        notices=[opened],
    )
    (message,) = messages
    assert (message.thread_id, message.sequence, message.continues, message.severity) == ("inc-7", 1, None, 3)
    assert message.notices == [opened] and len(message.signals) == 3


def test_calmed_closes_the_incident_thread_and_a_flare_up_reopens_it() -> None:
    state, sent = plan_batches(
        [
            ([(N, 3, 106)], [0]),
            ([(C, 1, 900)], [0]),
            ([(V, 3, 2000)], [0]),  # a day later, 再燃 in the same incident
        ]
    )
    assert [[(m.thread_id, m.sequence, m.event.value) for m in batch] for batch in sent] == [
        [("inc-7", 1, "opened")],
        [("inc-7", 2, "calmed")],
        [("inc-7", 3, "reminder")],
    ]
    assert [(t.id, t.closed) for t in state.threads] == [("inc-7", False)]


@pytest.mark.parametrize(
    ("kind", "text", "title"),
    [
        (
            NoticeKind.INCIDENT_OPENED,
            "インシデント 7「ミナト住建: 否定的な声の増加（03/12 22:56 検知）」を開きました（深刻度 3 警戒）。",
            "【インシデント開始・警戒】ミナト住建: ミナト住建: 否定的な声の増加（03/12 22:56 検知）",
        ),
        (
            NoticeKind.TASK_OVERDUE,
            "タスク『証拠保全』（記録係）が期限 23:56 を過ぎています",
            "【期限切れ】ミナト住建: タスク『証拠保全』（記録係）が期限 23:56 を過ぎています",
        ),
    ],
)
def test_a_notice_alone_is_a_message_of_the_incident_thread(kind: NoticeKind, text: str, title: str) -> None:
    state, _ = plan_alerts(
        AlertState(),
        [make_signal(N, 3, 106)],
        {},
        ONSET + dt.timedelta(hours=2),
        refs={signal_key(make_signal(N, 3, 106)): INCIDENT},
    )
    notice = Notice(kind=kind, watch=WATCH, thread=INCIDENT, text=text, key="k")
    later = ONSET + dt.timedelta(hours=3)
    _, (message,) = plan_alerts(state, [], {}, later, notices=[notice])
    assert (message.thread_id, message.sequence, message.event) == ("inc-7", 2, AlertEvent.NOTICE)
    assert render.title(message) == title
    assert render.body(message).splitlines()[2] == f"● {text}"


def test_a_hand_opened_incident_starts_its_own_thread() -> None:
    notice = Notice(
        kind=NoticeKind.INCIDENT_OPENED,
        watch=WATCH,
        thread=INCIDENT,
        text="インシデント 7 を開きました。",
        key="k",
    )
    state, (message,) = plan_alerts(AlertState(), [], {}, ONSET, notices=[notice])
    assert (message.thread_id, message.sequence, message.event, message.signals) == (
        "inc-7",
        1,
        AlertEvent.NOTICE,
        [],
    )
    # The signals that follow join the incident's thread, not a new one.
    _, (update,) = plan_alerts(state, [make_signal(V, 4, 30)], {}, ONSET + dt.timedelta(hours=1))
    assert (update.thread_id, update.sequence, update.event) == ("inc-7", 2, AlertEvent.ESCALATED)
