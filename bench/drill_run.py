"""How long a bundled drill takes at full speed, and what it measured: one row per scenario.

Each scenario runs once (`--speed max`) on a fresh SQLite file through the real monitor, with the analyzer's
models loaded beforehand (loading is not part of a drill). Prints wall seconds, polls (monitor cycles), posts
served per wall second, and the drill's own figures (minutes from onset to detection and to the incident).

    .venv/bin/python bench/drill_run.py [NAME ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from hikeshi.drills import bundled_scenarios, find_scenario, run_drill, score_run
from hikeshi.ingest import default_analyzer
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import default_playbook
from hikeshi.settings import Settings
from hikeshi.store import Store


def main(names: list[str]) -> None:
    analyzer = default_analyzer()
    analyzer(["準備"])
    print(
        f"{'scenario':<16} {'posts':>6} {'cycles':>6} {'wall s':>7} {'posts/s':>8} {'detect':>7} {'open':>7}"
    )
    for name in names or [path.stem for path in bundled_scenarios()]:
        scenario = find_scenario(name)
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
            with Store.open(settings) as store:
                started = time.perf_counter()
                outcome = run_drill(store, settings, scenario, analyzer, default_playbook())
                wall = time.perf_counter() - started
                incident = (
                    IncidentStore(store).get(outcome.incident_id) if outcome.incident_id is not None else None
                )
                score = score_run(store, outcome.run, incident)
        served = outcome.run.posts + outcome.run.news
        print(
            f"{name:<16} {served:>6} {outcome.cycles:>6} {wall:>7.1f} {served / wall:>8.1f} "
            f"{score.time_to_detect_min!s:>7} {score.time_to_incident_min!s:>7}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
