"""Japanese wording of alert messages, shared by every channel so Slack, Teams, e-mail and webhooks say the same.

Times are shown in JST because the people reading the alerts work in Japan; the records keep UTC.
"""

from __future__ import annotations

import datetime as dt

from hikeshi.alerts.base import AlertEvent, AlertMessage, NoticeKind
from hikeshi.records import SIGNAL_KIND_LABELS, SIGNAL_SEVERITY_LABELS, Signal
from hikeshi.timezones import JST

SEVERITY_LABELS = SIGNAL_SEVERITY_LABELS
KIND_LABELS = SIGNAL_KIND_LABELS
MAX_LISTED_POSTS = 3
MAX_LISTED_TERMS = 8


def jst(moment: dt.datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")


def severity_label(severity: int) -> str:
    return f"{SEVERITY_LABELS.get(severity, str(severity))}（重大度 {severity}）"


def opens_incident(message: AlertMessage) -> bool:
    return any(notice.kind == NoticeKind.INCIDENT_OPENED for notice in message.notices)


def title(message: AlertMessage) -> str:
    """One line: what happened and how serious, e.g. 「【警戒】ミナト住建: 否定的な声の増加」."""
    label = SEVERITY_LABELS.get(message.severity, str(message.severity))
    kinds = "・".join(dict.fromkeys(KIND_LABELS.get(s.kind, s.kind.value) for s in message.signals))
    what = kinds or "炎上の兆候"
    if message.event == AlertEvent.NOTICE:
        return _notice_title(message, label)
    if opens_incident(message) and message.event != AlertEvent.CALMED:
        return f"【インシデント開始・{label}】{message.watch}: {what}"
    if message.event == AlertEvent.OPENED:
        return f"【{label}】{message.watch}: {what}"
    if message.event == AlertEvent.ESCALATED:
        before = SEVERITY_LABELS.get(message.previous_severity or 0, "—")
        return f"【更新・{before}→{label}】{message.watch}: {what}"
    if message.event == AlertEvent.REMINDER:
        return f"【続報・{label}】{message.watch}: {what}"
    if message.event == AlertEvent.CALMED:
        return f"【沈静化】{message.watch}: 投稿の量と否定的な声が平常に戻りました"
    return f"【テスト】hikeshi からのテスト通知（{message.watch}）"


def signal_lines(signal: Signal) -> list[str]:
    """A signal as a few plain lines: label, time, summary, then the evidence a responder checks first."""
    lines = [
        f"■ {KIND_LABELS.get(signal.kind, signal.kind.value)}・{severity_label(signal.severity)}"
        f"・{jst(signal.detected_at)} 検知",
        signal.summary,
    ]
    if signal.evidence.terms:
        lines.append("語: " + "、".join(signal.evidence.terms[:MAX_LISTED_TERMS]))
    if signal.evidence.post_ids:
        lines.append("投稿: " + ", ".join(signal.evidence.post_ids[:MAX_LISTED_POSTS]))
    return lines


def _notice_title(message: AlertMessage, label: str) -> str:
    if opens_incident(message):
        name = message.incident.title if message.incident and message.incident.title else "炎上の対応"
        return f"【インシデント開始・{label}】{message.watch}: {name}"
    overdue = [n for n in message.notices if n.kind == NoticeKind.TASK_OVERDUE]
    if len(overdue) == 1:
        return f"【期限切れ】{message.watch}: {overdue[0].text}"
    return f"【期限切れ】{message.watch}: タスク {len(overdue)} 件が期限を過ぎています"


def level_facts(signal: Signal) -> list[tuple[str, str]]:
    """The numbers against the usual level, as (label, value) pairs, from the detector's metrics.

    e.g. ("投稿した人", "9 人（平常時の目安 0.4 人・21 倍）"), ("否定的な割合", "42%（平常時 11%）").
    """
    metrics = signal.evidence.metrics
    facts: list[tuple[str, str]] = []
    if "window_minutes" in metrics:
        facts.append(("集計の幅", f"直近 {metrics['window_minutes']:.0f} 分"))
    if "authors" in metrics and "expected" in metrics:
        value = f"{metrics['authors']:.0f} 人（平常時の目安 {metrics['expected']:.1f} 人"
        value += f"・{metrics['ratio']:.0f} 倍）" if "ratio" in metrics else "）"
        facts.append(("投稿した人", value))
    if "negative_authors" in metrics and "authors" in metrics:
        value = f"{metrics['negative_authors']:.0f} 人／{metrics['authors']:.0f} 人"
        if "expected_negative" in metrics:
            value += f"（平常時の目安 {metrics['expected_negative']:.1f} 人）"
        facts.append(("否定的な投稿をした人", value))
    if "negative_share" in metrics and "baseline_share" in metrics:
        facts.append(
            ("否定的な割合", f"{metrics['negative_share']:.0%}（平常時 {metrics['baseline_share']:.0%}）")
        )
    return facts


def earliest_posts(signal: Signal) -> list[str]:
    """The first posts behind a signal (evidence is in time order), which a responder opens first."""
    return signal.evidence.post_ids[:MAX_LISTED_POSTS]


def link_line(message: AlertMessage) -> str | None:
    if message.incident is None or not message.incident.link:
        return None
    return f"対応室: {message.incident.link}"


def footer(message: AlertMessage) -> str:
    parts = [f"スレッド {message.thread_id}（{message.sequence} 通目）"]
    if message.incident is not None:
        parts.insert(0, f"インシデント {message.incident.incident_id}")
    if message.folded:
        parts.append(f"前回の通知以降、同じ事案のシグナル {message.folded} 件をまとめました")
    parts.append("hikeshi")
    return "・".join(parts)


def body(message: AlertMessage) -> str:
    """The plain-text body (e-mail, webhook ``text``)."""
    if message.event == AlertEvent.TEST:
        lines = [
            f"ウォッチ「{message.watch}」の通知先の設定を確認するためのテスト通知です。",
            f"送信時刻: {jst(message.created_at)}",
            "このメッセージが届いていれば、設定は正しく動いています。",
        ]
        return "\n".join(lines)
    lines = [title(message), ""]
    if message.notices:
        lines.extend(f"● {notice.text}" for notice in message.notices)
        lines.append("")
    for signal in message.signals:
        lines.extend(signal_lines(signal))
        lines.append("")
    link = link_line(message)
    if link:
        lines.extend([link, ""])
    lines.append(footer(message))
    return "\n".join(lines)
