"""Flame drills: replay a written scenario through the real monitor, score the team, write a debrief.

`find_scenario("minato_line")` loads a bundled scenario (or a scenario file by path); `run_drill` replays it
into a drill watch on the drill's clock and returns the incident it opened (marked as a drill, so it never
counts in the metrics); `score_incident` scores it, now or after the team has responded; `write_debrief`
writes the debrief as Markdown and HTML.
"""

from hikeshi.drills.clock import DrillClock, TimeMap
from hikeshi.drills.debrief import render_html, render_markdown, write_debrief
from hikeshi.drills.generate import DrillNews, DrillPost, Timeline, build_timeline, latest_onset
from hikeshi.drills.records import DrillRun, DrillScore
from hikeshi.drills.runner import DrillOutcome, run_drill
from hikeshi.drills.scenario import (
    Scenario,
    bundled_scenarios,
    find_scenario,
    load_scenario,
    parse_offset,
)
from hikeshi.drills.score import drill_run_of, score_incident, score_run

__all__ = [
    "DrillClock",
    "DrillNews",
    "DrillOutcome",
    "DrillPost",
    "DrillRun",
    "DrillScore",
    "Scenario",
    "TimeMap",
    "Timeline",
    "build_timeline",
    "bundled_scenarios",
    "drill_run_of",
    "find_scenario",
    "latest_onset",
    "load_scenario",
    "parse_offset",
    "render_html",
    "render_markdown",
    "run_drill",
    "score_incident",
    "score_run",
    "write_debrief",
]
