"""Japanese wording of alert messages, shared by every channel so Slack, e-mail and webhooks say the same.

Times are shown in JST because the people reading the alerts work in Japan; the records keep UTC.
"""

from __future__ import annotations

import datetime as dt

from hikeshi.alerts.base import AlertEvent, AlertMessage
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


def title(message: AlertMessage) -> str:
    """One line: what happened and how serious, e.g. 「【警告】ミナト住建: 投稿数の急増」."""
    label = SEVERITY_LABELS.get(message.severity, str(message.severity))
    kinds = "・".join(dict.fromkeys(KIND_LABELS.get(s.kind, s.kind.value) for s in message.signals))
    what = kinds or "炎上の兆候"
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


def footer(message: AlertMessage) -> str:
    parts = [f"スレッド {message.thread_id}（{message.sequence} 通目）"]
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
    for signal in message.signals:
        lines.extend(signal_lines(signal))
        lines.append("")
    lines.append(footer(message))
    return "\n".join(lines)
