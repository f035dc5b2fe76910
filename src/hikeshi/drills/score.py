"""Score a drill from what the incident's timeline holds: how fast it was seen, opened and answered, and how well.

Minutes are counted from the scenario's onset on the drill's time line. People act on the wall clock (a task
done at 21:40, a statement published at 22:05); `TimeMap.to_drill` puts those times on the drill's line, so a
team in a drill at 10× speed is measured against the drill's due times, not the wall clock's. A drill can be
scored again after the team has responded (`hikeshi drill score ID`): the same figures, with their work in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hikeshi.drills.clock import TimeMap
from hikeshi.drills.records import (
    DrillRun,
    DrillScore,
    InjectScore,
    SignalScore,
    StatementScore,
    TaskScore,
)
from hikeshi.errors import HikeshiError, InputError
from hikeshi.records import SignalKind
from hikeshi.respond.incidents.records import EventKind, Incident, IncidentEvent, Task
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.statements.lint import lint_statement
from hikeshi.respond.statements.records import LINT_KINDS, StatementStatus
from hikeshi.respond.statements.store import StatementStore
from hikeshi.store import Store
from hikeshi.timezones import utc_now

LEVEL_ORDER = {"ok": 0, "caution": 1, "danger": 2}


def drill_run_of(events: Sequence[IncidentEvent]) -> DrillRun | None:
    """The run recorded on a drill incident's timeline (its final record when the replay has ended)."""
    run: DrillRun | None = None
    for event in events:
        if event.kind != EventKind.NOTE:
            continue
        if "drill_end" in event.data:
            return DrillRun.model_validate(event.data["drill_end"])
        if "drill" in event.data and run is None:
            run = DrillRun.model_validate(event.data["drill"])
    return run


def score_incident(store: Store, incident_id: int, *, now: dt.datetime | None = None) -> DrillScore:
    """The score of drill incident `incident_id` as things stand (`now`: the wall clock)."""
    incidents = IncidentStore(store)
    incident = incidents.get(incident_id)
    if not incident.drill:
        raise InputError(
            f"インシデント {incident_id} は訓練ではありません。訓練の採点は訓練のインシデントにだけできます。"
        )
    events = incidents.events(incident_id)
    run = drill_run_of(events) or _manual_run(incident)
    return score_run(store, run, incident, now=now)


def score_run(
    store: Store, run: DrillRun, incident: Incident | None, *, now: dt.datetime | None = None
) -> DrillScore:
    """The score of `run`; `incident` is None when the drill never opened one (nothing was detected)."""
    scored_at = max(run.clock.to_drill(now or utc_now()), run.end_at)
    signals = store.list_signals(run.watch, since=run.history_from)
    in_run = [s for s in signals if s.detected_at <= scored_at and s.kind != SignalKind.CALMED]
    after_onset = [s for s in in_run if s.detected_at >= run.onset_at]
    detected = after_onset[0].detected_at if after_onset else None
    score = DrillScore(
        scenario=run.scenario,
        title=run.title,
        kind=run.kind,
        watch=run.watch,
        incident_id=incident.id if incident else None,
        drill=incident.drill if incident else True,
        speed="max" if run.clock.speed is None else f"{run.clock.speed:g}",
        onset_at=run.onset_at,
        detected_at=detected,
        time_to_detect_min=_minutes(run.onset_at, detected),
        max_severity=max((s.severity for s in after_onset), default=None),
        signals=[
            SignalScore(kind=s.kind.value, severity=s.severity, detected_at=s.detected_at, summary=s.summary)
            for s in after_onset
        ],
        false_alarms=sum(1 for s in in_run if s.detected_at < run.onset_at),
        posts=run.posts,
        flame_posts=run.flame_posts,
        targets=run.targets,
        scored_at=scored_at,
        run_seconds=_run_seconds(run.clock),
        injects=[
            InjectScore(
                at=planned.at,
                kind=planned.kind,
                caller=planned.caller,
                title=planned.title,
                expects=planned.expects,
                on_timeline=False,
            )
            for planned in run.injects
        ],
    )
    if incident is None:
        return score
    return _with_response(store, score, run, incident, scored_at)


def _with_response(
    store: Store, score: DrillScore, run: DrillRun, incident: Incident, scored_at: dt.datetime
) -> DrillScore:
    """The figures that come from the team's work: opening, statement, tasks, lint, injects answered."""
    incidents = IncidentStore(store)
    events = incidents.events(incident.id)
    statement_events = [e for e in events if e.kind == EventKind.STATEMENT]
    first_statement = (
        min(run.clock.to_drill(event.at) for event in statement_events) if statement_events else None
    )
    tasks = [_task_score(task, run.clock, scored_at) for task in incidents.tasks(incident.id)]
    landed = {
        event.data["inject"].get("index")
        for event in events
        if event.kind == EventKind.NOTE and isinstance(event.data.get("inject"), dict)
    }
    lint = _statement_lint(store, incident.id, run.clock)
    worst = max((item.level for item in lint), key=lambda level: LEVEL_ORDER.get(level, 0), default=None)
    return score.model_copy(
        update={
            "opened_at": incident.opened_at,
            "time_to_incident_min": _minutes(run.onset_at, incident.opened_at),
            "first_statement_at": first_statement,
            "time_to_statement_min": _minutes(run.onset_at, first_statement),
            "tasks": tasks,
            "tasks_due": sum(1 for t in tasks if t.due_at is not None and t.due_at <= scored_at),
            "tasks_done_on_time": sum(1 for t in tasks if t.done_at is not None and t.on_time),
            "tasks_done_late": sum(1 for t in tasks if t.done_at is not None and not t.on_time),
            "statements_published": len(lint),
            "statement_lint": lint,
            "worst_lint_level": worst,
            "injects": [
                item.model_copy(update={"on_timeline": planned.index in landed})
                for item, planned in zip(score.injects, run.injects, strict=True)
            ],
        }
    )


def _task_score(task: Task, clock: TimeMap, scored_at: dt.datetime) -> TaskScore:
    done = clock.to_drill(task.done_at) if task.done_at is not None else None
    on_time: bool | None
    if done is not None:
        on_time = task.due_at is None or done <= task.due_at
    elif task.due_at is not None and task.due_at <= scored_at:
        on_time = False
    else:
        on_time = None
    return TaskScore(
        key=task.key,
        title=task.title,
        role=task.role_label,
        due_at=task.due_at,
        done_at=done,
        done_by=task.done_by,
        on_time=on_time,
    )


def _statement_lint(store: Store, incident_id: int, clock: TimeMap) -> list[StatementScore]:
    """The linter's verdict on every published statement, against the latest position paper when there is one."""
    statements = StatementStore(store)
    published = [s for s in statements.list(incident_id) if s.status == StatementStatus.PUBLISHED]
    if not published:
        return []
    papers = statements.papers(incident_id)
    facts = papers[-1].body if papers else None
    results = []
    for statement in published:
        try:
            verdict = lint_statement(statement.text, LINT_KINDS[statement.kind], facts)
        except HikeshiError:  # a paper the linter cannot read must not hide the wording findings
            verdict = lint_statement(statement.text, LINT_KINDS[statement.kind])
        results.append(
            StatementScore(
                statement_id=statement.id,
                kind=statement.kind.value,
                title=statement.title,
                published_at=clock.to_drill(statement.published_at) if statement.published_at else None,
                level=verdict.level.value,
                findings=[finding.model_dump(mode="json") for finding in verdict.findings],
                missing=[section.value for section in verdict.missing],
            )
        )
    return results


def _manual_run(incident: Incident) -> DrillRun:
    """A drill incident opened by hand (`incident open --drill`): its own times stand in for a scenario's."""
    onset = incident.onset_at or incident.first_signal_at or incident.opened_at
    return DrillRun(
        scenario="",
        title=incident.title,
        kind="manual",
        watch=incident.watch,
        seed=0,
        onset_at=onset,
        history_from=onset,
        started_at=onset,
        end_at=incident.opened_at,
        posts=0,
        flame_posts=0,
        news=0,
        clock=TimeMap(wall_started_at=onset, drill_started_at=onset, speed=1.0),
    )


def _minutes(start: dt.datetime, end: dt.datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() / 60, 1)


def _run_seconds(clock: TimeMap) -> float | None:
    if clock.wall_finished_at is None:
        return None
    return round((clock.wall_finished_at - clock.wall_started_at).total_seconds(), 1)
