"""Run a drill: replay a scenario into a drill watch through the real monitor, on the drill's clock.

The pieces are the live ones: the scenario's posts are served by a real HTTP server on 127.0.0.1
(`hikeshi.drills.server`) and fetched by the real X and RSS sources, ingested, analysed and stored, the real
detectors raise signals, the real incident flows open the incident (marked as a drill: `Monitor(drill=True)`),
and the alerts go through the real alerter to the drill watch's own channels only (`DrillAlertBook`). What the
drill adds is the clock (`DrillClock`) and the injects: the 電凸 calls and reporter questions of the scenario
land on the incident's timeline as notes at their times, so the team has something to answer.

Only the drill's monitor may reach the drill server: its HTTP client allows the private address of that one
server (`LoopbackOnly`), and the installation's own settings and SSRF guard are untouched.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr

from hikeshi.alerts import AlertBook, Alerter, ChannelEntry, Notice, NoticeKind
from hikeshi.alerts.config import PendingDelivery
from hikeshi.drills.clock import DrillClock, TimeMap
from hikeshi.drills.generate import Timeline, build_timeline, latest_onset
from hikeshi.drills.records import DRILL_ACTOR, END_KEY, INJECT_ACTOR, START_KEY, DrillRun, PlannedInject
from hikeshi.drills.scenario import NAME_PLACEHOLDER, Scenario
from hikeshi.drills.server import DRILL_TOKEN, NEWS_PATH, LoopbackOnly, serving
from hikeshi.drills.watch import prepare_watch
from hikeshi.ingest import Analyzer
from hikeshi.monitor import CycleReport, Monitor
from hikeshi.records import SIGNAL_KIND_LABELS
from hikeshi.respond.incidents.notify import (
    announced_key,
    incident_refs,
    opening_text,
    record_run,
    thread_ref,
)
from hikeshi.respond.incidents.records import EventKind, Incident
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import Playbook
from hikeshi.settings import Settings
from hikeshi.sources import SafeHttpClient
from hikeshi.store import Store
from hikeshi.timezones import JST, utc_now

Report = Callable[[str], None]
MAX_SLEEP_SECONDS = 300.0
WARM_UP_TEXT = "訓練の準備をしています"


class DrillAlertBook(AlertBook):
    """The alert book as the drill's alerter sees it: the drill watch's channels and pending messages only.

    A drill must neither page the real on-call channels nor retry their pending messages on its own clock.
    """

    def __init__(self, store: Store, watch: str) -> None:
        super().__init__(store)
        self.watch = watch

    def channels(self, watch: str | None = None) -> list[ChannelEntry]:
        return super().channels(self.watch) if watch in (None, self.watch) else []

    def outbox(self) -> list[PendingDelivery]:
        mine = {entry.id for entry in self.channels()}
        return [pending for pending in super().outbox() if pending.channel_id in mine]


@dataclass(frozen=True)
class DrillOutcome:
    run: DrillRun
    incident_id: int | None
    cycles: int


def run_drill(
    store: Store,
    settings: Settings,
    scenario: Scenario,
    analyzer: Analyzer,
    playbook: Playbook,
    *,
    speed: float | None = None,
    stop: threading.Event | None = None,
    report: Report | None = None,
    wall_clock: Callable[[], dt.datetime] = utc_now,
) -> DrillOutcome:
    """Replay `scenario` (speed None: as fast as possible) and return what ran and the incident it opened."""
    stop = stop or threading.Event()
    analyzer([WARM_UP_TEXT])  # loads the models now: at 60x, their seconds would cost the drill an hour
    wall_started = wall_clock()
    length = scenario.start + scenario.end
    planned_end = wall_started + (length / speed if speed else dt.timedelta(0))
    onset = latest_onset(scenario.onset_clock, planned_end - scenario.end)
    watch = prepare_watch(store, scenario, onset, wall_started)
    timeline = build_timeline(scenario, onset, run_stamp=int(wall_started.timestamp()))
    clock = DrillClock(timeline.start, speed, stop, end=timeline.end)
    run = DrillRun(
        scenario=scenario.name,
        title=scenario.title,
        kind=scenario.kind.value,
        watch=watch.name,
        seed=scenario.seed,
        onset_at=onset,
        history_from=onset - dt.timedelta(days=scenario.baseline.days),
        started_at=timeline.start,
        end_at=timeline.end,
        posts=len(timeline.posts),
        flame_posts=timeline.flame_posts(),
        news=len(timeline.news),
        injects=[
            PlannedInject(
                index=index,
                at=onset + inject.at,
                kind=inject.kind.value,
                caller=inject.caller,
                title=_named(inject.title, scenario),
                expects=inject.expects,
            )
            for index, inject in enumerate(scenario.injects)
        ],
        targets=scenario.targets.model_dump(),
        clock=TimeMap(wall_started_at=wall_started, drill_started_at=timeline.start, speed=speed),
    )
    drill_settings = settings.model_copy(
        update={"allow_private_urls": True, "x_bearer_token": SecretStr(DRILL_TOKEN)}
    )
    with serving(timeline, clock.now) as server:
        sources = [
            store.add_source(
                watch.name,
                "x",
                {"query": " OR ".join(scenario.company.terms), "base_url": server.base_url},
                scenario.poll.sns_minutes * 60,
            ),
            store.add_source(
                watch.name, "rss", {"url": server.base_url + NEWS_PATH}, scenario.poll.news_minutes * 60
            ),
        ]
        run = run.model_copy(update={"clock": run.clock.model_copy(update={"wall_started_at": wall_clock()})})
        clock.begin()
        controller = _Controller(store, settings, scenario, timeline, run, clock, stop, report)
        try:
            with SafeHttpClient(drill_settings, transport=LoopbackOnly(server.port)) as client:
                monitor = Monitor(
                    store,
                    drill_settings,
                    client,
                    analyzer,
                    playbook=playbook,
                    watches=[watch.name],
                    clock=clock.now,
                    sleep=controller.sleep,
                    stop=stop,
                    max_sleep_seconds=MAX_SLEEP_SECONDS,
                    on_cycle=controller.on_cycle,
                    drill=True,
                )
                monitor.run()
        finally:
            for source in sources:
                store.remove_source(source.id)  # nothing may poll a server that is gone
    finished = run.model_copy(update={"clock": run.clock.finished(wall_clock(), clock.now())})
    controller.finish(finished)
    return DrillOutcome(run=finished, incident_id=controller.incident_id, cycles=controller.cycles)


class _Controller:
    """The drill's side of the loop: the monitor's sleep, the injects, and the alerts of each cycle."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        scenario: Scenario,
        timeline: Timeline,
        run: DrillRun,
        clock: DrillClock,
        stop: threading.Event,
        report: Report | None,
    ) -> None:
        self.incidents = IncidentStore(store)
        self.settings = settings
        self.scenario = scenario
        self.timeline = timeline
        self.run = run
        self.clock = clock
        self.stop = stop
        self.report = report or (lambda _line: None)
        self.alerter = Alerter(DrillAlertBook(store, run.watch), settings)
        self.incident_id: int | None = None
        self.cycles = 0
        self._inject_times = sorted(
            (timeline.onset + inject.at, index) for index, inject in enumerate(scenario.injects)
        )
        self._delivered: set[int] = set()
        self.report(
            f"訓練を始めます: {scenario.title}（ウォッチ「{run.watch}」、発生 {_local(timeline.onset)}、"
            f"{run.speed_label}、投稿 {run.posts:,} 件）"
        )

    # --- the monitor's hooks ----------------------------------------------------------------------------------

    def sleep(self, seconds: float) -> None:
        """Move the drill's clock on, delivering injects on the way; past the end, stop the monitor."""
        now = self.clock.now()
        if now >= self.timeline.end:
            self.stop.set()
            return
        target = min(now + dt.timedelta(seconds=seconds), self.timeline.end)
        while not self.stop.is_set():
            upcoming = [at for at, index in self._inject_times if now < at <= target]
            self.clock.sleep_until(min(upcoming, default=target))
            now = self.clock.now()
            self._deliver(now)
            if now >= target:
                break

    def on_cycle(self, cycle: CycleReport) -> None:
        self.cycles += 1
        now = self.clock.now()
        for signal in cycle.signals:
            label = SIGNAL_KIND_LABELS.get(signal.kind, signal.kind.value)
            self.report(f"{_local(signal.detected_at)} 検知: {label}（深刻度 {signal.severity}）")
        for incident in cycle.opened:
            if self.incident_id is None and incident.drill:
                self._opened(incident)
        self._alert(cycle, now)
        self._deliver(now)

    # --- the drill's own steps --------------------------------------------------------------------------------

    def _opened(self, incident: Incident) -> None:
        self.incident_id = incident.id
        self.incidents.add_event(
            incident.id,
            EventKind.NOTE,
            f"訓練「{self.scenario.title}」のインシデントです（シナリオ {self.scenario.name}、"
            f"発生 {_local(self.timeline.onset)}、{self.run.speed_label}）。実績の集計には含めません。",
            DRILL_ACTOR,
            at=incident.opened_at,
            data={"drill": self.run.model_dump(mode="json")},
            dedupe_key=START_KEY,
        )
        self.report(
            f"{_local(incident.opened_at)} インシデント {incident.id} を開きました: {incident.title}"
            f"（深刻度 {incident.severity}）"
        )

    def _deliver(self, now: dt.datetime) -> None:
        """Put every inject due by `now` on the incident's timeline at its own time (once it is open)."""
        if self.incident_id is None:
            return
        for at, index in self._inject_times:
            if at > now or index in self._delivered:
                continue
            inject = self.scenario.injects[index]
            title, text = (_named(part, self.scenario) for part in (inject.title, inject.text))
            self.incidents.add_event(
                self.incident_id,
                EventKind.NOTE,
                f"【状況付与】{inject.kind_label}（{inject.caller}）: {title}\n{text}",
                INJECT_ACTOR,
                at=at,
                data={
                    "inject": {
                        "index": index,
                        "kind": inject.kind.value,
                        "caller": inject.caller,
                        "title": title,
                        "text": text,
                        "expects": inject.expects,
                        "at": at.isoformat(),
                    }
                },
                dedupe_key=f"drill:inject:{index}",
            )
            self._delivered.add(index)
            self.report(f"{_local(at)} 状況付与: {inject.kind_label}（{inject.caller}）{title}")

    def _alert(self, cycle: CycleReport, now: dt.datetime) -> None:
        """The cycle's alerts to the drill watch's channels, with the drill incident's opening and overdue tasks.

        The live monitor leaves drills out of its announcements (a drill must not page anyone); the drill
        makes them itself, to the drill's own channels, so the team's channel shows what a live night shows.
        """
        notices: list[Notice] = []
        overdue_ids: list[int] = []
        if self.incident_id is not None:
            incident = self.incidents.get(self.incident_id)
            reference = thread_ref(incident, self.settings)
            if not self.incidents.has_event(incident.watch, announced_key(incident.id)):
                text = "【訓練】" + opening_text(incident, self.incidents.tasks(incident.id))
                notices.append(
                    Notice(
                        kind=NoticeKind.INCIDENT_OPENED,
                        watch=incident.watch,
                        thread=reference,
                        text=text,
                        key=announced_key(incident.id),
                    )
                )
            for holder, task in self.incidents.overdue_tasks(now, unnotified_only=True):
                if holder.id != incident.id or task.due_at is None:
                    continue
                notices.append(
                    Notice(
                        kind=NoticeKind.TASK_OVERDUE,
                        watch=incident.watch,
                        thread=reference,
                        text=f"【訓練】タスク『{task.title}』（{task.role_label}）が期限 "
                        f"{task.due_at.astimezone(JST):%H:%M} を過ぎています",
                        key=f"overdue:{task.key}",
                    )
                )
                overdue_ids.append(task.id)
        refs = incident_refs(self.incidents, cycle.signals, self.settings)
        sent = self.alerter.process(cycle.signals, now, refs=refs, notices=notices)
        record_run(self.incidents, sent, now)
        self.incidents.mark_overdue_notified(overdue_ids, now)

    def finish(self, run: DrillRun) -> None:
        """After the replay: the injects still due, and the run's record with its final clock."""
        self.run = run
        self._deliver(self.timeline.end)
        if self.incident_id is None:
            self.report("訓練の再生を終えましたが、インシデントは開きませんでした（検知されませんでした）。")
            return
        self.incidents.add_event(
            self.incident_id,
            EventKind.NOTE,
            f"訓練の再生を終えました（{_local(self.timeline.end)}）。"
            f"採点は `hikeshi drill score {self.incident_id}` で、対応の後にもう一度できます。",
            DRILL_ACTOR,
            at=self.timeline.end,
            data={"drill_end": run.model_dump(mode="json")},
            dedupe_key=END_KEY,
        )


def _named(text: str, scenario: Scenario) -> str:
    """Injects are the company's own calls and mails: {name} is its name, never an alias."""
    return text.replace(NAME_PLACEHOLDER, scenario.company.name)


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(JST).strftime("%m/%d %H:%M")
