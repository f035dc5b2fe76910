"""`hikeshi statement paper …` and `hikeshi statement inquiries …`: the facts drafts are written from.

A position paper is saved as a new version on its incident (each one a timeline entry); the call centre's
inquiries are logged on the incident, and questions the Q&A does not answer yet join the next Q&A draft.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from hikeshi.cli.incident import ByOption, _actor
from hikeshi.cli.watch import fail, open_store
from hikeshi.errors import HikeshiError, InputError
from hikeshi.respond.statements.inquiries import inquiries_csv, parse_time
from hikeshi.respond.statements.papers import PositionPaper, load_position_paper, paper_to_yaml
from hikeshi.respond.statements.records import Inquiry
from hikeshi.respond.statements.store import StatementStore
from hikeshi.timezones import JST

paper_app = typer.Typer(
    no_args_is_help=True, help="ポジションペーパー（事実の整理）を版ごとに保存・表示します。"
)
inquiries_app = typer.Typer(
    no_args_is_help=True, help="コールセンターの問い合わせ記録（想定問答に反映されます）。"
)
IncidentOption = Annotated[int, typer.Option("--incident", "-i", help="インシデントの番号。")]


def parse_when(text: str) -> dt.datetime:
    try:
        return parse_time(text)
    except ValueError:
        raise InputError(f"日時 {text!r} を読めません。2026-03-13 00:05 のように書いてください。") from None


@paper_app.command("save", help="ポジションペーパーを検証し、インシデントの新しい版として保存します。")
def paper_save(
    incident: IncidentOption,
    facts: Annotated[Path, typer.Argument(help="ポジションペーパーの YAML。")],
    by: ByOption = None,
) -> None:
    try:
        paper = load_position_paper(facts)
        source = facts.read_text(encoding="utf-8")
        with open_store() as store:
            saved = StatementStore(store).save_paper(incident, paper, _actor(by), source=source)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"インシデント {incident} のポジションペーパー第 {saved.version} 版を保存しました。")


@paper_app.command("show", help="保存したポジションペーパーを表示します（既定: 最新版）。")
def paper_show(
    incident: IncidentOption,
    version: Annotated[int | None, typer.Option("--version", "-v", help="版の番号。")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="yaml または json。")] = "yaml",
) -> None:
    try:
        if output_format not in ("yaml", "json"):
            raise InputError(f"--format は yaml か json です（{output_format!r}）。")
        with open_store() as store:
            saved = StatementStore(store).paper(incident, version)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        sys.stdout.write(json.dumps(saved.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return
    header = (
        f"# 第 {saved.version} 版（{saved.author}、{saved.created_at.astimezone(JST):%Y-%m-%d %H:%M} 保存）\n"
    )
    body = saved.source or paper_to_yaml(PositionPaper.model_validate(saved.body))
    sys.stdout.write(header + body)


@inquiries_app.command(
    "add", help="問い合わせを 1 件記録します。想定問答にない質問は次の下書きに加わります。"
)
def inquiries_add(
    incident: IncidentOption,
    question: Annotated[str, typer.Option("--question", "-q", help="ご質問（相手の言葉どおりに）。")],
    answer: Annotated[str | None, typer.Option("--answer", help="お伝えした回答。")] = None,
    channel: Annotated[str, typer.Option("--channel", help="phone・email・form・sns。")] = "phone",
    caller: Annotated[str, typer.Option("--caller", help="customer・public・press・other。")] = "customer",
    repeat: Annotated[bool, typer.Option("--repeat", help="同じ方から 2 回目以降。")] = False,
    escalated: Annotated[bool, typer.Option("--escalated", help="責任者・広報・法務に引き継いだ。")] = False,
    at: Annotated[str | None, typer.Option("--at", help="受けた日時（既定: 今）。")] = None,
    by: ByOption = None,
) -> None:
    try:
        when = parse_when(at) if at else dt.datetime.now(JST)
        inquiry = _inquiry(when, channel, caller, question, answer, repeat, escalated, _actor(by))
        with open_store() as store:
            saved = StatementStore(store).add_inquiry(incident, inquiry)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"問い合わせ #{saved.id} を記録しました。")


def _inquiry(
    at: dt.datetime,
    channel: str,
    caller: str,
    question: str,
    answer: str | None,
    repeat: bool,
    escalated: bool,
    logged_by: str,
) -> Inquiry:
    try:
        return Inquiry(
            at=at,
            channel=channel,
            caller=caller,
            question=question.strip(),
            answer=(answer or "").strip() or None,
            repeat=repeat,
            escalated=escalated,
            logged_by=logged_by,
        )
    except ValidationError as error:
        field = ".".join(str(part) for part in error.errors()[0]["loc"])
        raise InputError(f"問い合わせの {field} が正しくありません（空欄か長すぎます）。") from None


@inquiries_app.command("list", help="問い合わせ記録の一覧（--format csv で下書きに渡せる CSV）。")
def inquiries_list(
    incident: IncidentOption,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または csv。")] = "text",
) -> None:
    try:
        if output_format not in ("text", "csv"):
            raise InputError(f"--format は text か csv です（{output_format!r}）。")
        with open_store() as store:
            found = StatementStore(store).inquiries(incident)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "csv":
        sys.stdout.write(inquiries_csv(found))
        return
    if not found:
        typer.echo("問い合わせの記録はありません。")
    for inquiry in found:
        flags = "".join(["［再］" if inquiry.repeat else "", "［引継］" if inquiry.escalated else ""])
        typer.echo(
            f"#{inquiry.id:<4} {inquiry.at.astimezone(JST):%m/%d %H:%M} {inquiry.channel:<5} {inquiry.caller:<8} "
            f"{flags}{inquiry.question}"
        )
