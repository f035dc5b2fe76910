"""The monitor loop: poll what is due, ingest, detect, save signals, open incidents, alert; sleep; stop cleanly.

After the signals are saved, the incident flows run (`apply_signals`: a signal at the playbook's opening
severity opens an incident or joins the open one), and only then the alerts, so that every alert of an
incident goes to the incident's thread and the opening and overdue tasks are announced there
(`hikeshi.respond.incidents.notify`).

The loop takes its clock and its sleep from outside (tests run a day of polling in milliseconds), and a
`threading.Event` as the stop flag: SIGTERM/SIGINT only set it, the current step (one source's poll, ingest
and state save) finishes, and `run` returns. The default sleep waits on that event, so a stop request also
cuts a sleep short.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.alerts import Alerter, AlertRun
from hikeshi.detect import DetectorConfig
from hikeshi.errors import HikeshiError, InputError
from hikeshi.ingest import Analyzer
from hikeshi.monitor.detection import LiveDetection
from hikeshi.monitor.poll import PollContext, PollOutcome, poll_source
from hikeshi.monitor.schedule import due_sources, next_due, seconds_until
from hikeshi.records import Signal, Watch
from hikeshi.respond.incidents.flows import SignalOutcome, apply_signals
from hikeshi.respond.incidents.notify import alert_incidents
from hikeshi.respond.incidents.records import Incident
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import Playbook, load_playbook
from hikeshi.settings import Settings
from hikeshi.sources import SafeHttpClient
from hikeshi.store import Source, Store
from hikeshi.suggest import RiskDictionary, default_risk_dictionary
from hikeshi.timezones import utc_now

logger = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
Sleep = Callable[[float], None]
DEFAULT_MAX_SLEEP_SECONDS = 60.0


class CycleReport(BaseModel):
    """What one pass over the due sources did."""

    model_config = ConfigDict(frozen=True)

    started_at: dt.datetime
    polls: list[PollOutcome] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list, description="signals raised in this cycle")
    new_signals: int = 0
    opened: list[Incident] = Field(default_factory=list, description="incidents the signals opened")
    alerts: AlertRun | None = None
    stopped: bool = False


class Monitor:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        client: SafeHttpClient,
        analyzer: Analyzer,
        *,
        alerter: Alerter | None = None,
        playbook: Playbook | None = None,
        watches: Sequence[str] | None = None,
        clock: Clock = utc_now,
        sleep: Sleep | None = None,
        stop: threading.Event | None = None,
        detector_config: DetectorConfig | None = None,
        risk_dictionary: RiskDictionary | None = None,
        max_sleep_seconds: float = DEFAULT_MAX_SLEEP_SECONDS,
        on_cycle: Callable[[CycleReport], None] | None = None,
        drill: bool = False,
    ) -> None:
        self.store = store
        self.stop = stop or threading.Event()
        self._context = PollContext(
            store=store,
            settings=settings,
            client=client,
            analyzer=analyzer,
            risk_dictionary=risk_dictionary or default_risk_dictionary(),
        )
        self._alerter = alerter
        self._settings = settings
        self._playbook = playbook or load_playbook(settings.playbook)
        self._incidents = IncidentStore(store)
        self._watch_names = list(watches) if watches else None
        self._clock = clock
        self._sleep: Sleep = sleep or self._wait
        self._detection = LiveDetection(store, detector_config)
        self._max_sleep = max_sleep_seconds
        self._on_cycle = on_cycle
        self._drill = drill  # every incident this monitor opens is a drill (`hikeshi.drills` runs one)
        for name in self._watch_names or []:
            store.get_watch(name)  # fail early, in Japanese, on a misspelt --watch

    def _wait(self, seconds: float) -> None:
        self.stop.wait(seconds)

    def request_stop(self) -> None:
        self.stop.set()

    def sources(self) -> list[Source]:
        if self._watch_names is None:
            return self.store.list_sources()
        return [source for name in self._watch_names for source in self.store.list_sources(name)]

    def run_once(self) -> CycleReport:
        """Poll every selected source now, whatever its schedule (`hikeshi monitor run --once`)."""
        sources = self.sources()
        if not sources:
            raise InputError(
                "取得するソースがありません。`hikeshi source add --watch 名前 --kind rss --url …` で追加してください。"
            )
        return self.cycle(sources)

    def run(self) -> None:
        """Poll on schedule until `stop` is set; each cycle ends with detection and alerts."""
        while not self.stop.is_set():
            now = self._clock()
            sources = self.sources()
            due = due_sources(sources, now)
            if due:
                self.cycle(due)
                continue
            wait = seconds_until(next_due(sources), now, self._max_sleep)
            if wait > 0 and not self.stop.is_set():
                self._sleep(wait)

    def cycle(self, sources: Sequence[Source]) -> CycleReport:
        started = self._clock()
        polls: list[PollOutcome] = []
        watches: dict[str, Watch] = {}
        oldest: dict[str, dt.datetime | None] = {}
        stopped = False
        for source in sources:
            if self.stop.is_set():
                stopped = True
                break
            watch = watches.get(source.watch) or self.store.find_watch(source.watch)
            if watch is None:  # removed while the monitor runs; its sources went with it
                continue
            watches[watch.name] = watch
            now = self._clock()
            outcome = poll_source(source, watch, self._context, now)
            try:
                self.store.update_source_state(source.id, outcome.state, polled_at=now)
            except HikeshiError:  # the source was removed while it was being polled
                continue
            polls.append(outcome)
            if outcome.oldest_post_at is not None and outcome.inserted:
                current = oldest.get(watch.name)
                oldest[watch.name] = (
                    min(current, outcome.oldest_post_at) if current else outcome.oldest_post_at
                )
            else:
                oldest.setdefault(watch.name, None)
        signals = [signal for outcome in polls for signal in outcome.signals]
        now = self._clock()
        for name, watch in watches.items():
            try:
                signals.extend(self._detection.update(watch, oldest.get(name), now))
            except Exception as error:  # one watch's detection failing must not silence the others
                logger.warning(
                    "ウォッチ「%s」の検知に失敗しました（%s: %s）", name, type(error).__name__, error
                )
        new_signals = self.store.save_signals(signals) if signals else 0
        responded = self._respond(signals, now)
        alerts = (
            alert_incidents(self._alerter, self._incidents, signals, self._settings, now)
            if self._alerter is not None
            else None
        )
        report = CycleReport(
            started_at=started,
            polls=polls,
            signals=signals,
            new_signals=new_signals,
            opened=responded.opened,
            alerts=alerts,
            stopped=stopped,
        )
        if self._on_cycle is not None:
            self._on_cycle(report)
        return report

    def _respond(self, signals: Sequence[Signal], now: dt.datetime) -> SignalOutcome:
        """Open and update incidents; a failure here is logged and must not keep the alerts from going out."""
        try:
            return apply_signals(
                self.store, signals, self._playbook, now=now, incidents=self._incidents, drill=self._drill
            )
        except Exception as error:  # the alerts below still go out, in the watch's own thread
            logger.warning("インシデントの更新に失敗しました（%s: %s）", type(error).__name__, error)
            return SignalOutcome()
