"""`hikeshi drill list|run|score`: flame drills through the real monitor, their score and debrief.

`drill run NAME --speed max` replays a scenario as fast as possible (an unattended check of the pipeline and
of the figures); `--speed 60` lives an hour of the flame in a minute, so a team can respond in the incident
room while it unfolds, and `drill score ID` scores them afterwards. Ctrl-C ends a run early; what happened
until then is kept and scored.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from hikeshi.cli.watch import fail, open_store
from hikeshi.drills import (
    DrillScore,
    bundled_scenarios,
    find_scenario,
    load_scenario,
    run_drill,
    score_incident,
    score_run,
    write_debrief,
)
from hikeshi.errors import HikeshiError, InputError
from hikeshi.ingest import default_analyzer
from hikeshi.reports.metrics import format_minutes
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import load_playbook
from hikeshi.settings import load_settings

app = typer.Typer(no_args_is_help=True, help="炎上訓練: シナリオを本物の監視に流し、対応を採点します。")

MAX_SPEED = 100_000.0
FormatOption = Annotated[str, typer.Option("--format", "-f", help="text または json。")]
DebriefOption = Annotated[
    Path, typer.Option("--debrief-dir", help="振り返り（Markdown と HTML）を書き出すフォルダー。")
]
NoDebriefOption = Annotated[bool, typer.Option("--no-debrief", help="振り返りを書き出しません。")]


def parse_speed(value: str) -> float | None:
    """「max」 (as fast as possible) or N× real time."""
    if value.strip().lower() in ("max", "最速"):
        return None
    try:
        speed = float(value)
    except ValueError:
        speed = 0.0
    if not 0 < speed <= MAX_SPEED:
        raise InputError(
            f"--speed は max か、{MAX_SPEED:,.0f} 以下の正の数（例: 60 で 1 時間を 1 分に）です（{value!r}）。"
        )
    return speed


def _check_format(output_format: str) -> None:
    if output_format not in ("text", "json"):
        raise InputError(f"--format は text か json です（{output_format!r} が指定されました）。")


@app.command("list", help="同梱の訓練シナリオ（各行の先頭がシナリオ名）。")
def list_scenarios() -> None:
    try:
        scenarios = [load_scenario(path) for path in bundled_scenarios()]
    except HikeshiError as error:
        raise fail(error) from None
    for scenario in scenarios:
        typer.echo(f"{scenario.name}  {scenario.kind_label}  {scenario.title}")


@app.command(
    "run", help="シナリオを訓練ウォッチに流して訓練します。例: hikeshi drill run minato_line --speed 60"
)
def run(
    name: Annotated[
        str, typer.Argument(help="シナリオ名（`hikeshi drill list`）またはシナリオの YAML ファイル。")
    ],
    speed: Annotated[
        str, typer.Option("--speed", help="max（最速）か倍速（60 で 1 時間を 1 分に、1 で実時間）。")
    ] = "max",
    output_format: FormatOption = "text",
    debrief_dir: DebriefOption = Path("."),
    no_debrief: NoDebriefOption = False,
) -> None:
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        _check_format(output_format)
        pace = parse_speed(speed)
        scenario = find_scenario(name)
        settings = load_settings()
        playbook = load_playbook(settings.playbook)
        with open_store() as store:
            outcome = run_drill(
                store,
                settings,
                scenario,
                default_analyzer(),
                playbook,
                speed=pace,
                stop=stop,
                report=lambda line: typer.echo(line, err=True),
            )
            incident = (
                IncidentStore(store).get(outcome.incident_id) if outcome.incident_id is not None else None
            )
            score = score_run(store, outcome.run, incident)
            if not no_debrief:
                score = score.model_copy(update={"debrief": write_debrief(score, debrief_dir)})
    except HikeshiError as error:
        raise fail(error) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _print_score(score, output_format)
    if score.incident_id is None:
        raise typer.Exit(code=1)


@app.command("score", help="訓練のインシデントを採点します（チームの対応の後にも使えます）。")
def score(
    incident_id: Annotated[int, typer.Argument(help="訓練のインシデントの番号。")],
    output_format: FormatOption = "text",
    debrief_dir: DebriefOption = Path("."),
    no_debrief: NoDebriefOption = False,
) -> None:
    try:
        _check_format(output_format)
        with open_store() as store:
            result = score_incident(store, incident_id)
        if not no_debrief:
            result = result.model_copy(update={"debrief": write_debrief(result, debrief_dir)})
    except HikeshiError as error:
        raise fail(error) from None
    _print_score(result, output_format)


def _print_score(score: DrillScore, output_format: str) -> None:
    if output_format == "json":
        typer.echo(json.dumps(score.model_dump(mode="json"), ensure_ascii=False))
        return
    typer.echo(f"訓練「{score.title}」（{score.scenario or '手動'}）")
    if score.incident_id is None:
        typer.echo("  インシデントは開きませんでした（検知されませんでした）。")
    else:
        typer.echo(f"  インシデント {score.incident_id}（訓練・ウォッチ「{score.watch}」）")
    typer.echo(f"  検知まで: {format_minutes(score.time_to_detect_min)}")
    typer.echo(f"  インシデント開始まで: {format_minutes(score.time_to_incident_min)}")
    typer.echo(f"  第一報まで: {format_minutes(score.time_to_statement_min)}")
    typer.echo(
        f"  タスク: 期限内に完了 {score.tasks_done_on_time} 件・期限後に完了 {score.tasks_done_late} 件"
        f"（期限到来 {score.tasks_due} 件）"
    )
    if score.statement_lint:
        levels = "、".join(f"#{item.statement_id} {item.level}" for item in score.statement_lint)
        typer.echo(f"  公表した声明の点検: {levels}")
    for kind, path in score.debrief.items():
        typer.echo(f"  振り返り（{'Markdown' if kind == 'markdown' else 'HTML'}）: {path}")
