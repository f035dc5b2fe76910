"""The playbook as the crisis manual reads it: phases, roles with their people, and due times in words.

The manual must describe the response the incident room runs, not a copy that drifts from it. So the manual's
templates never hold a time or a role of their own; they read this view of the same `Playbook` the incident
flows load (`load_playbook(settings.playbook)`), and a changed playbook gives a changed manual.

>>> due_words(PlaybookTask(id="convene", title="招集", role="commander", due="60m"))
'1時間以内'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hikeshi.records import SIGNAL_SEVERITY_LABELS
from hikeshi.respond.documents.profile import CompanyProfile, EscalationContact
from hikeshi.respond.incidents.records import ROLE_LABELS, Role
from hikeshi.respond.playbooks import Playbook, PlaybookTask, due_time
from hikeshi.respond.playbooks.playbook import NEXT_BUSINESS_DAY
from hikeshi.timezones import JST

ROLE_DUTIES = {
    Role.COMMANDER: "対応全体を指揮し、方針を決めます",
    Role.PR: "発信する文面を作り、報道機関に対応します",
    Role.LEGAL: "法的な問題の有無と、削除の依頼や法的手続の要否を判断します",
    Role.SUPPORT: "お客様からの問い合わせに対応します",
    Role.EXECUTIVE: "対応の方針と公表する文面を承認します",
    Role.SCRIBE: "経過と証拠を記録します",
}
_EPOCH = dt.datetime(2026, 1, 5, 9, 0, tzinfo=JST)  # any fixed moment: only the difference is used


def role_label(role: Role) -> str:
    """The incident room's name of a role, without its note: 「経営（承認者）」 → 「経営」."""
    return ROLE_LABELS[role].split("（")[0]


def _span(delta: dt.timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    if minutes % (24 * 60) == 0 and minutes >= 48 * 60:
        return f"{minutes // (24 * 60)}日"
    if minutes % 60 == 0:
        return f"{minutes // 60}時間"
    if minutes > 60:
        return f"{minutes // 60}時間{minutes % 60}分"
    return f"{minutes}分"


def _minutes(task: PlaybookTask) -> int | None:
    if task.due is None or task.due == NEXT_BUSINESS_DAY:
        return None
    due = due_time(task, _EPOCH)
    return None if due is None else round((due - _EPOCH).total_seconds() / 60)


def due_words(task: PlaybookTask) -> str:
    """A due time for a table: 「1時間以内」「2日以内」「翌営業日18時まで」, or 「－」 without one."""
    if task.due == NEXT_BUSINESS_DAY:
        return "翌営業日18時まで"
    minutes = _minutes(task)
    return "－" if minutes is None else f"{_span(dt.timedelta(minutes=minutes))}以内"


def deadline_words(task: PlaybookTask) -> str:
    """A due time inside a sentence, before 「に」: 「インシデントの開始から2時間以内」, 「速やか」 without one."""
    if task.due is None:
        return "速やか"
    if task.due == NEXT_BUSINESS_DAY:
        return "インシデントを開始した日の翌営業日の18時まで"
    return f"インシデントの開始から{due_words(task)}"


@dataclass(frozen=True)
class TaskView:
    id: str
    title: str
    role: Role
    role_label: str
    due: str
    deadline: str
    description: str
    phase_title: str
    minutes: int | None  # after opening; None without a due time or for the next business day


@dataclass(frozen=True)
class PhaseView:
    id: str
    title: str
    tasks: list[TaskView]


@dataclass(frozen=True)
class RoleView:
    role: Role
    label: str
    duty: str
    tasks: list[TaskView]
    contacts: list[EscalationContact]

    @property
    def holders(self) -> str:
        return "、".join(contact.title for contact in self.contacts)

    @property
    def deputies(self) -> str:
        return "、".join(contact.deputy for contact in self.contacts if contact.deputy)


@dataclass(frozen=True)
class SeverityView:
    level: int
    label: str


@dataclass(frozen=True)
class PlaybookView:
    name: str
    opening_severity: int
    opening_label: str
    severity_levels: list[SeverityView]
    phases: list[PhaseView]
    roles: list[RoleView]
    calm_hours: str
    rejoin_days: str

    @property
    def first_phase(self) -> PhaseView:
        return self.phases[0]

    @property
    def first_due(self) -> str:
        """The earliest due time of the first phase in words (「1時間」): the target for the first report."""
        timed = [task.minutes for task in self.first_phase.tasks if task.minutes is not None]
        timed = timed or [
            task.minutes for phase in self.phases for task in phase.tasks if task.minutes is not None
        ]
        return _span(dt.timedelta(minutes=min(timed))) if timed else "1時間"

    def task(self, task_id: str) -> TaskView | None:
        for phase in self.phases:
            for task in phase.tasks:
                if task.id == task_id:
                    return task
        return None

    def role_label(self, role: str) -> str:
        return role_label(Role(role))

    def holder(self, role: str) -> str:
        """Who fills a role, as the profile names them (「広報部長」), else the role's own name."""
        for view in self.roles:
            if view.role == Role(role) and view.contacts:
                return view.contacts[0].title
        return role_label(Role(role))


def view(playbook: Playbook, profile: CompanyProfile) -> PlaybookView:
    """The playbook with each task's due time in words and each role with the profile's people."""
    phases = [
        PhaseView(
            id=phase.id,
            title=phase.title,
            tasks=[
                TaskView(
                    id=task.id,
                    title=task.title,
                    role=task.role,
                    role_label=role_label(task.role),
                    due=due_words(task),
                    deadline=deadline_words(task),
                    description=task.description,
                    phase_title=phase.title,
                    minutes=_minutes(task),
                )
                for task in phase.tasks
            ],
        )
        for phase in playbook.phases
    ]
    used = {task.role for _, task in playbook.tasks()} | {c.role for c in profile.escalation if c.role}
    roles = [
        RoleView(
            role=role,
            label=role_label(role),
            duty=ROLE_DUTIES[role],
            tasks=[task for phase in phases for task in phase.tasks if task.role == role],
            contacts=profile.contacts_for(role),
        )
        for role in Role
        if role in used
    ]
    return PlaybookView(
        name=playbook.name,
        opening_severity=playbook.opening_severity,
        opening_label=SIGNAL_SEVERITY_LABELS[playbook.opening_severity],
        severity_levels=[
            SeverityView(level, label) for level, label in sorted(SIGNAL_SEVERITY_LABELS.items())
        ],
        phases=phases,
        roles=roles,
        calm_hours=_span(dt.timedelta(hours=playbook.calm.hours)),
        rejoin_days=_span(dt.timedelta(days=playbook.calm.rejoin_days)),
    )
