"""`IncidentStore`: every read and write of incidents, their tasks and their timeline.

Every change to an incident writes an `IncidentEvent` in the same transaction, so the timeline is the
complete history. Events are never updated or deleted: a correction is a new event, and pinning is a `pin`
event. Timeline entries that come from signals carry a dedupe key, so re-running detection over the same
history (`ingest` twice, a restarted monitor) adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.orm import Session

from hikeshi.errors import ConflictError, InputError, NotFoundError
from hikeshi.respond.incidents.models import IncidentEventRow, IncidentRow, IncidentTaskRow
from hikeshi.respond.incidents.records import (
    INCIDENT_STATUS_LABELS,
    INCIDENT_TYPE_LABELS,
    ROLE_LABELS,
    SEVERITY_LABELS,
    EventKind,
    Incident,
    IncidentDetail,
    IncidentEvent,
    IncidentStatus,
    IncidentType,
    Role,
    Task,
)
from hikeshi.respond.playbooks import Playbook, due_time
from hikeshi.store import Store
from hikeshi.store.models import WatchRow
from hikeshi.timezones import JST, utc_now

MAX_TITLE = 200
MAX_NAME = 100
MAX_NOTE = 10_000


def _clean(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError(f"{field}が空です。")
    if len(text) > limit:
        raise InputError(f"{field}は {limit} 文字以内にしてください（{len(text)} 文字）。")
    if any(ord(ch) < 0x20 and ch not in "\n\t" for ch in text):
        raise InputError(f"{field}に制御文字は使えません。")
    return text


class IncidentStore:
    """Incidents on the installation's database (the same engine as the posts they are about)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        self.writer = store.writer

    # --- reading ----------------------------------------------------------------------------------------------

    def get(self, incident_id: int) -> Incident:
        with Session(self.engine) as session:
            row = session.execute(
                select(IncidentRow, WatchRow.name)
                .join(WatchRow, WatchRow.id == IncidentRow.watch_id)
                .where(IncidentRow.id == incident_id)
            ).first()
            if row is None:
                raise NotFoundError(
                    f"インシデント {incident_id} はありません。`hikeshi incident list` で確認してください。"
                )
            return _incident(row[0], row[1])

    def list_incidents(
        self,
        watch: str | None = None,
        *,
        include_drills: bool = False,
        open_only: bool = False,
        limit: int = 500,
    ) -> list[Incident]:
        """Newest first; drills are left out unless asked for (they never count in metrics)."""
        with Session(self.engine) as session:
            statement = select(IncidentRow, WatchRow.name).join(WatchRow, WatchRow.id == IncidentRow.watch_id)
            if watch is not None:
                statement = statement.where(
                    IncidentRow.watch_id == self.store._watch_id(session.connection(), watch)
                )
            if not include_drills:
                statement = statement.where(IncidentRow.drill.is_(False))
            if open_only:
                statement = statement.where(IncidentRow.status != IncidentStatus.CLOSED.value)
            statement = statement.order_by(IncidentRow.opened_at.desc(), IncidentRow.id.desc()).limit(limit)
            return [_incident(row, name) for row, name in session.execute(statement)]

    def tasks(self, incident_id: int) -> list[Task]:
        with Session(self.engine) as session:
            rows = session.scalars(
                select(IncidentTaskRow)
                .where(IncidentTaskRow.incident_id == incident_id)
                .order_by(IncidentTaskRow.position, IncidentTaskRow.id)
            )
            return [_task(row) for row in rows]

    def events(self, incident_id: int, kinds: Sequence[EventKind] | None = None) -> list[IncidentEvent]:
        """The timeline in the order things happened (ties in the order they were recorded)."""
        with Session(self.engine) as session:
            statement = select(IncidentEventRow).where(IncidentEventRow.incident_id == incident_id)
            if kinds:
                statement = statement.where(IncidentEventRow.kind.in_([kind.value for kind in kinds]))
            rows = session.scalars(statement.order_by(IncidentEventRow.at, IncidentEventRow.id))
            return [_event(row) for row in rows]

    def detail(self, incident_id: int) -> IncidentDetail:
        incident = self.get(incident_id)
        return IncidentDetail(
            incident=incident, tasks=self.tasks(incident_id), events=self.events(incident_id)
        )

    def has_event(self, watch: str, dedupe_key: str) -> bool:
        """Whether any incident of `watch` already holds an event with this key (a signal already handled)."""
        with Session(self.engine) as session:
            watch_id = self.store._watch_id(session.connection(), watch)
            found = session.scalar(
                select(IncidentEventRow.id)
                .join(IncidentRow, IncidentRow.id == IncidentEventRow.incident_id)
                .where(IncidentRow.watch_id == watch_id, IncidentEventRow.dedupe_key == dedupe_key)
                .limit(1)
            )
            return found is not None

    def overdue_tasks(
        self, now: dt.datetime, *, unnotified_only: bool = False
    ) -> list[tuple[Incident, Task]]:
        """Open tasks past their due time, on incidents that are not closed."""
        with Session(self.engine) as session:
            statement = (
                select(IncidentTaskRow, IncidentRow, WatchRow.name)
                .join(IncidentRow, IncidentRow.id == IncidentTaskRow.incident_id)
                .join(WatchRow, WatchRow.id == IncidentRow.watch_id)
                .where(
                    IncidentTaskRow.done_at.is_(None),
                    IncidentTaskRow.due_at.is_not(None),
                    IncidentTaskRow.due_at < now,
                    IncidentRow.status != IncidentStatus.CLOSED.value,
                )
                .order_by(IncidentTaskRow.due_at)
            )
            if unnotified_only:
                statement = statement.where(IncidentTaskRow.overdue_notified_at.is_(None))
            return [
                (_incident(incident, name), _task(task))
                for task, incident, name in session.execute(statement)
            ]

    # --- writing ----------------------------------------------------------------------------------------------

    def open(
        self,
        watch: str,
        title: str,
        *,
        playbook: Playbook,
        severity: int = 1,
        opened_at: dt.datetime | None = None,
        actor: str = "hikeshi",
        drill: bool = False,
        incident_type: IncidentType = IncidentType.UNKNOWN,
        reason: str | None = None,
    ) -> Incident:
        """Open an incident and create its playbook tasks, due relative to `opened_at`."""
        title = _clean(title, "タイトル", MAX_TITLE)
        actor = _clean(actor, "操作した人", MAX_NAME)
        if not 1 <= severity <= 4:
            raise InputError(f"深刻度は 1〜4 です（{severity}）。")
        opened = opened_at or utc_now()
        now = utc_now()
        with self.writer.begin() as connection:
            watch_id = self.store._watch_id(connection, watch)
            incident_id = connection.execute(
                insert(IncidentRow)
                .values(
                    watch_id=watch_id,
                    title=title,
                    type=incident_type.value,
                    severity=severity,
                    status=IncidentStatus.ACTIVE.value,
                    roles={},
                    drill=drill,
                    opened_at=opened,
                    closed_at=None,
                    first_signal_at=None,
                    onset_at=None,
                    monitoring_since=None,
                    calmed_at=None,
                    opened_by=actor,
                    playbook=playbook.name,
                    created_at=now,
                )
                .returning(IncidentRow.id)
            ).scalar_one()
            tasks = [
                {
                    "incident_id": incident_id,
                    "key": task.id,
                    "phase": phase.title,
                    "title": task.title,
                    "role": task.role.value,
                    "due_at": due_time(task, opened),
                    "assignee": None,
                    "done_at": None,
                    "done_by": None,
                    "note": None,
                    "overdue_notified_at": None,
                    "position": position,
                }
                for position, (phase, task) in enumerate(playbook.tasks())
            ]
            if tasks:
                connection.execute(insert(IncidentTaskRow), tasks)
            summary = (
                f"インシデントを開きました（深刻度 {severity} {SEVERITY_LABELS[severity]}、{playbook.name}）"
            )
            if reason:
                summary += f": {reason}"
            self._event(
                connection,
                incident_id,
                EventKind.OPENED,
                summary,
                actor,
                at=opened,
                data={"severity": severity, "drill": drill, "playbook": playbook.name},
            )
        return self.get(incident_id)

    def add_event(
        self,
        incident_id: int,
        kind: EventKind,
        summary: str,
        actor: str,
        *,
        at: dt.datetime | None = None,
        data: dict[str, Any] | None = None,
        dedupe_key: str | None = None,
    ) -> IncidentEvent | None:
        """Append an event; with a `dedupe_key` already on this incident, nothing is added and None returned."""
        with self.writer.begin() as connection:
            self._require(connection, incident_id)
            event_id = self._event(
                connection, incident_id, kind, summary, actor, at=at, data=data, dedupe_key=dedupe_key
            )
        if event_id is None:
            return None
        return next(event for event in self.events(incident_id) if event.id == event_id)

    def note(self, incident_id: int, text: str, actor: str) -> IncidentEvent:
        event = self.add_event(
            incident_id, EventKind.NOTE, _clean(text, "メモ", MAX_NOTE), _clean(actor, "操作した人", MAX_NAME)
        )
        assert event is not None
        return event

    def pin(self, incident_id: int, event_id: int, actor: str, *, pinned: bool = True) -> IncidentEvent:
        if not any(event.id == event_id for event in self.events(incident_id)):
            raise NotFoundError(f"インシデント {incident_id} にイベント {event_id} はありません。")
        event = self.add_event(
            incident_id,
            EventKind.PIN,
            f"イベント {event_id} を{'ピン留めしました' if pinned else 'ピン留めから外しました'}",
            actor,
            data={"event_id": event_id, "pinned": pinned},
        )
        assert event is not None
        return event

    def set_status(
        self,
        incident_id: int,
        status: IncidentStatus,
        actor: str,
        *,
        at: dt.datetime | None = None,
        reason: str | None = None,
    ) -> Incident:
        """Move the status (any direction: a calmed flame may flare up again); closing sets closed_at."""
        when = at or utc_now()
        with self.writer.begin() as connection:
            row = self._require(connection, incident_id)
            if row.status == status.value:
                return self.get(incident_id)
            if row.status == IncidentStatus.CLOSED.value and actor == "hikeshi":
                raise ConflictError(f"インシデント {incident_id} は終了しています。")
            values: dict[str, Any] = {"status": status.value}
            if status == IncidentStatus.CLOSED:
                values["closed_at"] = when
            elif row.status == IncidentStatus.CLOSED.value:
                values["closed_at"] = None
            if status == IncidentStatus.MONITORING:
                values["monitoring_since"] = when
            if status == IncidentStatus.CALMED:
                values["calmed_at"] = when
            if status == IncidentStatus.ACTIVE:
                values["monitoring_since"] = None
                values["calmed_at"] = None
            connection.execute(update(IncidentRow).where(IncidentRow.id == incident_id).values(**values))
            old = INCIDENT_STATUS_LABELS[IncidentStatus(row.status)]
            summary = f"状態: {old} → {INCIDENT_STATUS_LABELS[status]}"
            if reason:
                summary += f"（{reason}）"
            kind = EventKind.CLOSED if status == IncidentStatus.CLOSED else EventKind.STATUS
            self._event(
                connection,
                incident_id,
                kind,
                summary,
                actor,
                at=when,
                data={"from": row.status, "to": status.value},
            )
        return self.get(incident_id)

    def close(self, incident_id: int, actor: str, *, at: dt.datetime | None = None) -> Incident:
        return self.set_status(incident_id, IncidentStatus.CLOSED, actor, at=at)

    def set_severity(
        self,
        incident_id: int,
        severity: int,
        actor: str,
        *,
        at: dt.datetime | None = None,
        reason: str | None = None,
        only_raise: bool = False,
    ) -> Incident:
        if not 1 <= severity <= 4:
            raise InputError(f"深刻度は 1〜4 です（{severity}）。")
        with self.writer.begin() as connection:
            row = self._require(connection, incident_id)
            if row.severity == severity or (only_raise and severity < row.severity):
                return self.get(incident_id)
            connection.execute(
                update(IncidentRow).where(IncidentRow.id == incident_id).values(severity=severity)
            )
            summary = f"深刻度: {row.severity} {SEVERITY_LABELS[row.severity]} → {severity} {SEVERITY_LABELS[severity]}"
            if reason:
                summary += f"（{reason}）"
            self._event(
                connection,
                incident_id,
                EventKind.SEVERITY,
                summary,
                actor,
                at=at,
                data={"from": row.severity, "to": severity},
            )
        return self.get(incident_id)

    def set_type(self, incident_id: int, incident_type: IncidentType, actor: str) -> Incident:
        with self.writer.begin() as connection:
            row = self._require(connection, incident_id)
            if row.type == incident_type.value:
                return self.get(incident_id)
            connection.execute(
                update(IncidentRow).where(IncidentRow.id == incident_id).values(type=incident_type.value)
            )
            old = INCIDENT_TYPE_LABELS[IncidentType(row.type)]
            self._event(
                connection,
                incident_id,
                EventKind.TYPE,
                f"種類: {old} → {INCIDENT_TYPE_LABELS[incident_type]}",
                actor,
                data={"from": row.type, "to": incident_type.value},
            )
        return self.get(incident_id)

    def assign_role(self, incident_id: int, role: Role, person: str | None, actor: str) -> Incident:
        """Give `role` to `person` (None or empty clears it)."""
        name = _clean(person, "担当者名", MAX_NAME) if person and person.strip() else None
        with self.writer.begin() as connection:
            row = self._require(connection, incident_id)
            roles = dict(row.roles or {})
            if roles.get(role.value) == name:
                return self.get(incident_id)
            if name is None:
                roles.pop(role.value, None)
            else:
                roles[role.value] = name
            connection.execute(update(IncidentRow).where(IncidentRow.id == incident_id).values(roles=roles))
            label = ROLE_LABELS[role]
            summary = f"{label}: {name}" if name else f"{label}の割り当てを外しました"
            self._event(
                connection,
                incident_id,
                EventKind.ROLE,
                summary,
                actor,
                data={"role": role.value, "person": name},
            )
        return self.get(incident_id)

    def complete_task(
        self,
        incident_id: int,
        task_key: str,
        actor: str,
        *,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> Task:
        """Mark a task done; a second person completing the same task gets a ConflictError naming the first."""
        actor = _clean(actor, "操作した人", MAX_NAME)
        cleaned_note = _clean(note, "メモ", MAX_NOTE) if note and note.strip() else None
        when = at or utc_now()
        with self.writer.begin() as connection:
            self._require(connection, incident_id)
            task = self._task_row(connection, incident_id, task_key)
            changed = connection.execute(
                update(IncidentTaskRow)
                .where(IncidentTaskRow.id == task.id, IncidentTaskRow.done_at.is_(None))
                .values(done_at=when, done_by=actor, note=cleaned_note)
            ).rowcount
            if changed == 0:
                done = self._task_row(connection, incident_id, task_key)
                finished = done.done_at.astimezone(JST).strftime("%m/%d %H:%M") if done.done_at else "?"
                raise ConflictError(
                    f"タスク「{done.title}」は {done.done_by} さんが {finished} に完了済みです。"
                )
            summary = f"タスク完了: {task.title}"
            if cleaned_note:
                summary += f"（{cleaned_note}）"
            self._event(
                connection,
                incident_id,
                EventKind.TASK_DONE,
                summary,
                actor,
                at=when,
                data={"task": task.key, "note": cleaned_note},
            )
        return next(t for t in self.tasks(incident_id) if t.key == task.key)

    def assign_task(self, incident_id: int, task_key: str, person: str | None, actor: str) -> Task:
        name = _clean(person, "担当者名", MAX_NAME) if person and person.strip() else None
        with self.writer.begin() as connection:
            self._require(connection, incident_id)
            task = self._task_row(connection, incident_id, task_key)
            connection.execute(
                update(IncidentTaskRow).where(IncidentTaskRow.id == task.id).values(assignee=name)
            )
            summary = (
                f"タスク「{task.title}」の担当: {name}"
                if name
                else f"タスク「{task.title}」の担当を外しました"
            )
            self._event(
                connection,
                incident_id,
                EventKind.TASK_ASSIGNED,
                summary,
                actor,
                data={"task": task.key, "person": name},
            )
        return next(t for t in self.tasks(incident_id) if t.key == task.key)

    def mark_overdue_notified(self, task_ids: Sequence[int], at: dt.datetime) -> None:
        if not task_ids:
            return
        with self.writer.begin() as connection:
            rows = connection.execute(
                select(
                    IncidentTaskRow.id,
                    IncidentTaskRow.incident_id,
                    IncidentTaskRow.title,
                    IncidentTaskRow.key,
                    IncidentTaskRow.due_at,
                ).where(IncidentTaskRow.id.in_(list(task_ids)), IncidentTaskRow.overdue_notified_at.is_(None))
            ).all()
            connection.execute(
                update(IncidentTaskRow)
                .where(IncidentTaskRow.id.in_([row.id for row in rows]))
                .values(overdue_notified_at=at)
            )
            for row in rows:
                due = row.due_at.astimezone(JST).strftime("%m/%d %H:%M") if row.due_at else ""
                self._event(
                    connection,
                    row.incident_id,
                    EventKind.TASK_OVERDUE,
                    f"タスク「{row.title}」が期限（{due}）を過ぎています",
                    "hikeshi",
                    at=at,
                    data={"task": row.key},
                    dedupe_key=f"overdue:{row.key}",
                )

    def update_signal_times(
        self, incident_id: int, *, first_signal_at: dt.datetime, onset_at: dt.datetime
    ) -> None:
        """Keep the earliest signal's times (the timeline may learn of earlier signals after opening)."""
        with self.writer.begin() as connection:
            row = self._require(connection, incident_id)
            values: dict[str, Any] = {}
            if row.first_signal_at is None or first_signal_at < row.first_signal_at:
                values["first_signal_at"] = first_signal_at
            if row.onset_at is None or onset_at < row.onset_at:
                values["onset_at"] = onset_at
            if values:
                connection.execute(update(IncidentRow).where(IncidentRow.id == incident_id).values(**values))

    # --- helpers ----------------------------------------------------------------------------------------------

    def _require(self, connection: Connection, incident_id: int) -> Row[Any]:
        """The incident's columns (a Core row: attribute access by column name)."""
        row = connection.execute(select(IncidentRow).where(IncidentRow.id == incident_id)).first()
        if row is None:
            raise NotFoundError(
                f"インシデント {incident_id} はありません。`hikeshi incident list` で確認してください。"
            )
        return row

    def _task_row(self, connection: Connection, incident_id: int, task_key: str) -> Row[Any]:
        statement = select(IncidentTaskRow).where(IncidentTaskRow.incident_id == incident_id)
        if task_key.isdigit():
            statement = statement.where(IncidentTaskRow.id == int(task_key))
        else:
            statement = statement.where(IncidentTaskRow.key == task_key)
        row = connection.execute(statement).first()
        if row is None:
            raise NotFoundError(f"インシデント {incident_id} にタスク「{task_key}」はありません。")
        return row

    def _event(
        self,
        connection: Connection,
        incident_id: int,
        kind: EventKind,
        summary: str,
        actor: str,
        *,
        at: dt.datetime | None = None,
        data: dict[str, Any] | None = None,
        dedupe_key: str | None = None,
    ) -> int | None:
        now = utc_now()
        values = {
            "incident_id": incident_id,
            "at": at or now,
            "recorded_at": now,
            "actor": actor,
            "kind": kind.value,
            "summary": summary,
            "data": data or {},
            "dedupe_key": dedupe_key,
        }
        if dedupe_key is None:
            return connection.execute(
                insert(IncidentEventRow).values(**values).returning(IncidentEventRow.id)
            ).scalar_one()
        statement = (
            self.store._insert(IncidentEventRow)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["incident_id", "dedupe_key"])
            .returning(IncidentEventRow.id)
        )
        return connection.execute(statement).scalar()


def _incident(row: IncidentRow, watch: str) -> Incident:
    return Incident(
        id=row.id,
        watch=watch,
        title=row.title,
        type=IncidentType(row.type),
        severity=row.severity,
        status=IncidentStatus(row.status),
        roles=dict(row.roles or {}),
        drill=row.drill,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        first_signal_at=row.first_signal_at,
        onset_at=row.onset_at,
        monitoring_since=row.monitoring_since,
        calmed_at=row.calmed_at,
        opened_by=row.opened_by,
        playbook=row.playbook,
    )


def _task(row: IncidentTaskRow) -> Task:
    return Task(
        id=row.id,
        incident_id=row.incident_id,
        key=row.key,
        phase=row.phase,
        title=row.title,
        role=row.role,
        due_at=row.due_at,
        assignee=row.assignee,
        done_at=row.done_at,
        done_by=row.done_by,
        note=row.note,
        position=row.position,
    )


def _event(row: IncidentEventRow) -> IncidentEvent:
    return IncidentEvent(
        id=row.id,
        incident_id=row.incident_id,
        at=row.at,
        recorded_at=row.recorded_at,
        actor=row.actor,
        kind=EventKind(row.kind),
        summary=row.summary,
        data=dict(row.data or {}),
    )
