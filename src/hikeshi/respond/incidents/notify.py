"""Incidents speak through the alert channels: one thread per incident, its opening, its overdue tasks.

Alerts sit below `respond` and cannot look incidents up, so this module hands them down what only the respond
side knows:

- which incident each signal belongs to (`incident_refs`: the incident whose timeline holds the signal's
  dedupe key), so the alert for it goes to the thread ``inc-<incident id>``;
- announcements (`Notice`): an incident opened (by a signal, or by hand with `hikeshi incident open`; the
  next monitor cycle announces it, because its timeline has no 「開始を通知しました」 entry yet), and each
  overdue task once (「タスク『証拠保全』（記録係）が期限 23:56 を過ぎています」);
- and, once the alerter has sent, it writes what was sent on the incident's timeline (`EventKind.ALERT`, with
  the channel kind and the message's number in the thread).

Incidents and tasks older than `ANNOUNCE_HORIZON` are not announced: a monitor started on a database with last
month's replayed incidents must not page anyone about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hikeshi.alerts import (
    Alerter,
    AlertEvent,
    AlertRun,
    Delivery,
    Notice,
    NoticeKind,
    ThreadRef,
    signal_key,
)
from hikeshi.records import Signal
from hikeshi.respond.incidents.flows import SYSTEM_ACTOR, signal_dedupe_key
from hikeshi.respond.incidents.models import IncidentEventRow, IncidentRow
from hikeshi.respond.incidents.records import ROLE_LABELS, SEVERITY_LABELS, EventKind, Incident, Task
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.settings import Settings
from hikeshi.store.models import WatchRow
from hikeshi.timezones import JST

ANNOUNCE_HORIZON = dt.timedelta(hours=24)
FIRST_TASKS = 4
KEY_CHUNK = 400
CHANNEL_NAMES = {"slack": "Slack", "teams": "Teams", "webhook": "Webhook", "email": "メール"}
EVENT_NAMES = {
    AlertEvent.OPENED: "第一報",
    AlertEvent.ESCALATED: "深刻度の更新",
    AlertEvent.REMINDER: "続報",
    AlertEvent.CALMED: "沈静化",
    AlertEvent.NOTICE: "お知らせ",
    AlertEvent.TEST: "テスト",
}


def incident_link(settings: Settings, incident_id: int) -> str | None:
    """The incident room's address, when the web app's public address is configured."""
    if not settings.public_url:
        return None
    return f"{settings.public_url.rstrip('/')}/incidents/{incident_id}"


def thread_ref(incident: Incident, settings: Settings) -> ThreadRef:
    return ThreadRef(
        incident_id=incident.id,
        title=incident.title,
        severity=incident.severity,
        link=incident_link(settings, incident.id),
    )


def announced_key(incident_id: int) -> str:
    """The timeline entry that says the opening was announced; its absence is the 「not yet」 marker."""
    return f"announce:opened:{incident_id}"


def incident_refs(
    incidents: IncidentStore, signals: Iterable[Signal], settings: Settings
) -> dict[str, ThreadRef]:
    """Signal key (alerts' identity) → the incident whose timeline records that signal."""
    by_watch: dict[str, dict[str, Signal]] = {}
    for signal in signals:
        by_watch.setdefault(signal.watch, {})[signal_dedupe_key(signal)] = signal
    holders: dict[str, int] = {}
    with Session(incidents.engine) as session:
        for watch, keyed in by_watch.items():
            keys = list(keyed)
            for start in range(0, len(keys), KEY_CHUNK):
                rows = session.execute(
                    select(IncidentEventRow.dedupe_key, IncidentRow.id)
                    .join(IncidentRow, IncidentRow.id == IncidentEventRow.incident_id)
                    .join(WatchRow, WatchRow.id == IncidentRow.watch_id)
                    .where(
                        WatchRow.name == watch,
                        IncidentEventRow.dedupe_key.in_(keys[start : start + KEY_CHUNK]),
                    )
                )
                for dedupe_key, incident_id in rows:
                    if dedupe_key is not None:
                        holders[signal_key(keyed[dedupe_key])] = incident_id
    refs: dict[int, ThreadRef] = {}
    for incident_id in set(holders.values()):
        refs[incident_id] = thread_ref(incidents.get(incident_id), settings)
    return {key: refs[incident_id] for key, incident_id in holders.items()}


def opening_notices(incidents: IncidentStore, settings: Settings, now: dt.datetime) -> list[Notice]:
    """One notice per recent open incident whose opening has not been announced yet (drills aside)."""
    notices: list[Notice] = []
    for incident in incidents.list_incidents(include_drills=False, open_only=True):
        if incident.opened_at < now - ANNOUNCE_HORIZON:
            continue
        if incidents.has_event(incident.watch, announced_key(incident.id)):
            continue
        notices.append(
            Notice(
                kind=NoticeKind.INCIDENT_OPENED,
                watch=incident.watch,
                thread=thread_ref(incident, settings),
                text=opening_text(incident, incidents.tasks(incident.id)),
                key=announced_key(incident.id),
            )
        )
    return notices


def opening_text(incident: Incident, tasks: Sequence[Task]) -> str:
    """「インシデント 1「…」を開きました（深刻度 3 警戒）。最初のタスク: 責任者を決めて招集（23:56 まで）、…」."""
    text = (
        f"インシデント {incident.id}「{incident.title}」を開きました"
        f"（深刻度 {incident.severity} {SEVERITY_LABELS[incident.severity]}）。"
    )
    first = [task for task in tasks if not task.done and task.due_at is not None][:FIRST_TASKS]
    if first:
        listed = "、".join(
            f"{task.title}（{_clock(task.due_at, incident.opened_at)} まで）" for task in first
        )
        text += f"最初のタスク: {listed}。"
    needed = {task.role for task in tasks}
    ordered = [role.value for role in ROLE_LABELS if role.value in needed] + sorted(
        needed - {role.value for role in ROLE_LABELS}
    )
    open_roles = [_role_label(role) for role in ordered if role not in incident.roles]
    if open_roles:
        text += f"担当が決まっていない役割: {'、'.join(open_roles)}。"
    return text


def overdue_notices(
    incidents: IncidentStore, settings: Settings, now: dt.datetime
) -> tuple[list[Notice], list[int]]:
    """A notice per overdue task not yet notified (due within the horizon, drills aside), and their ids."""
    notices: list[Notice] = []
    task_ids: list[int] = []
    for incident, task in incidents.overdue_tasks(now, unnotified_only=True):
        if incident.drill or task.due_at is None or task.due_at < now - ANNOUNCE_HORIZON:
            continue
        notices.append(
            Notice(
                kind=NoticeKind.TASK_OVERDUE,
                watch=incident.watch,
                thread=thread_ref(incident, settings),
                text=f"タスク『{task.title}』（{task.role_label}）が期限 {_clock(task.due_at, now)} を過ぎています",
                key=f"overdue:{task.key}",
            )
        )
        task_ids.append(task.id)
    return notices, task_ids


def alert_incidents(
    alerter: Alerter,
    incidents: IncidentStore,
    signals: Sequence[Signal],
    settings: Settings,
    now: dt.datetime,
) -> AlertRun:
    """Send the cycle's alerts in their incidents' threads, with the announcements, and record them."""
    opening = opening_notices(incidents, settings, now)
    overdue, overdue_ids = overdue_notices(incidents, settings, now)
    run = alerter.process(
        signals, now, refs=incident_refs(incidents, signals, settings), notices=[*opening, *overdue]
    )
    record_run(incidents, run, now)
    incidents.mark_overdue_notified(overdue_ids, now)
    return run


def record_run(incidents: IncidentStore, run: AlertRun, now: dt.datetime) -> None:
    """Each delivery of an incident's message on its timeline; each announced opening marked as announced."""
    for delivery in run.deliveries:
        if delivery.incident_id is None or (not delivery.ok and not delivery.gave_up and delivery.retry):
            continue
        incidents.add_event(
            delivery.incident_id,
            EventKind.ALERT,
            delivery_summary(delivery),
            SYSTEM_ACTOR,
            at=now,
            data={
                "channel_id": delivery.channel_id,
                "channel": delivery.kind,
                "thread_id": delivery.thread_id,
                "sequence": delivery.sequence,
                "event": delivery.event.value,
                "ok": delivery.ok,
                "error": delivery.error,
            },
            dedupe_key=f"alert:{delivery.thread_id}:{delivery.sequence}:{delivery.channel_id}:"
            + ("ok" if delivery.ok else "gave_up" if delivery.gave_up else "failed"),
        )
    for message in run.messages:
        for notice in message.notices:
            if notice.kind != NoticeKind.INCIDENT_OPENED:
                continue
            channels = sum(1 for d in run.deliveries if d.thread_id == message.thread_id and not d.retry)
            incidents.add_event(
                notice.thread.incident_id,
                EventKind.ALERT,
                f"インシデントの開始を通知しました（スレッド {message.thread_id} の {message.sequence} 通目・通知先 {channels} 件）"
                if channels
                else "インシデントの開始を記録しました（このウォッチには通知先がありません）",
                SYSTEM_ACTOR,
                at=now,
                data={"thread_id": message.thread_id, "sequence": message.sequence, "channels": channels},
                dedupe_key=notice.key,
            )


def delivery_summary(delivery: Delivery) -> str:
    """「Slack に通知しました（スレッド inc-3 の 2 通目・深刻度の更新）」."""
    channel = CHANNEL_NAMES.get(delivery.kind, delivery.kind)
    where = f"スレッド {delivery.thread_id} の {delivery.sequence} 通目・{EVENT_NAMES.get(delivery.event, delivery.event.value)}"
    if delivery.ok:
        return f"{channel} に通知しました（{where}）"
    outcome = "再送をあきらめました" if delivery.gave_up else "次回に再送します"
    return f"{channel} への通知に失敗しました（{where}）: {delivery.error}（{outcome}）"


def _clock(moment: dt.datetime | None, reference: dt.datetime) -> str:
    """「23:56」, or 「03/13 18:00」 when it is not the reference's day (JST)."""
    if moment is None:
        return "—"
    local = moment.astimezone(JST)
    if local.date() == reference.astimezone(JST).date():
        return local.strftime("%H:%M")
    return local.strftime("%m/%d %H:%M")


def _role_label(role: str) -> str:
    return {key.value: label for key, label in ROLE_LABELS.items()}.get(role, role)
