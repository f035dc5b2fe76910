"""`hikeshi statement …`: position papers, drafts, approval and publication (the same library as the web).

`statement draft --facts FILE.yaml --kind KIND --out FILE.md|.docx|.pdf` works without a database; with
`--incident ID` the draft is also stored on the incident as a statement to review, approve and publish.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from hikeshi.cli.incident import ByOption, _actor
from hikeshi.cli.statement_facts import inquiries_app, paper_app, parse_when
from hikeshi.cli.statement_lint import consistency, lint
from hikeshi.cli.watch import fail, open_store
from hikeshi.errors import HikeshiError, InputError
from hikeshi.respond.statements import approval
from hikeshi.respond.statements.drafts import Draft, draft
from hikeshi.respond.statements.export import export
from hikeshi.respond.statements.inquiries import read_inquiries_csv
from hikeshi.respond.statements.linting import lint_text
from hikeshi.respond.statements.papers import PositionPaper, load_position_paper
from hikeshi.respond.statements.records import (
    DRAFT_KIND_LABELS,
    PUBLISH_CHANNEL_LABELS,
    DraftKind,
    LintSummary,
    PublishChannel,
    Statement,
)
from hikeshi.respond.statements.store import StatementStore
from hikeshi.settings import load_settings
from hikeshi.store.accounts import AccountStore
from hikeshi.store.accounts import Role as AccountRole
from hikeshi.timezones import JST

app = typer.Typer(
    no_args_is_help=True, help="声明: ポジションペーパー、下書き、想定問答、承認と公表、文面チェック。"
)
app.command("lint")(lint)
app.command("consistency")(consistency)
app.add_typer(paper_app, name="paper")
app.add_typer(inquiries_app, name="inquiries")

KINDS = ", ".join(f"{kind.value}（{label}）" for kind, label in DRAFT_KIND_LABELS.items())
CHANNELS = ", ".join(f"{channel.value}（{label}）" for channel, label in PUBLISH_CHANNEL_LABELS.items())
LEVEL_LABELS = {"ok": "問題なし", "caution": "注意", "danger": "危険", None: "未判定"}
IncidentOption = Annotated[int, typer.Option("--incident", "-i", help="インシデントの番号。")]
StatementId = Annotated[int, typer.Argument(help="声明の番号（statement list で確認）。")]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="text または json。")]


def _kind(value: str) -> DraftKind:
    try:
        return DraftKind(value)
    except ValueError:
        raise InputError(f"--kind {value!r} はありません。次のいずれかです: {KINDS}") from None


def _format(value: str, allowed: tuple[str, ...] = ("text", "json")) -> str:
    if value not in allowed:
        raise InputError(f"--format は {' か '.join(allowed)} です（{value!r}）。")
    return value


def _lint_lines(lint: LintSummary) -> list[str]:
    lines = [f"文面チェック: {LEVEL_LABELS.get(lint.level, lint.level)}"]
    if lint.note:
        lines.append(f"  {lint.note}")
    for finding in lint.result.get("findings", []) or []:
        if isinstance(finding, dict):
            lines.append(f"  「{finding.get('excerpt', '')}」 {finding.get('reason', '')}")
    missing = lint.result.get("missing") or []
    if missing:
        lines.append(f"  足りない項目: {', '.join(str(item) for item in missing)}")
    return lines


def _statement_json(statement: Statement) -> dict[str, Any]:
    return statement.model_dump(mode="json")


def _paper_for(facts: Path | None, incident: int | None) -> tuple[PositionPaper, int | None]:
    """The paper from --facts, else the incident's latest saved version (and that version's number)."""
    if facts is not None:
        return load_position_paper(facts), None
    if incident is None:
        raise InputError("--facts FILE.yaml（ポジションペーパー）を指定してください。")
    with open_store() as store:
        saved = StatementStore(store).paper(incident)
    return PositionPaper.model_validate(saved.body), saved.version


@app.command("draft", help=f"ポジションペーパーから下書きを作ります。KIND: {KINDS}")
def draft_command(
    facts: Annotated[
        Path | None,
        typer.Option("--facts", help="ポジションペーパーの YAML（省略時は --incident の最新版）。"),
    ] = None,
    kind: Annotated[str, typer.Option("--kind", "-k", help="下書きの種類。")] = "statement",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="書き出し先 FILE.md・.docx・.pdf（省略時は標準出力に Markdown）。"),
    ] = None,
    incident: Annotated[
        int | None, typer.Option("--incident", "-i", help="このインシデントに下書きとして保存します。")
    ] = None,
    inquiries: Annotated[
        Path | None, typer.Option("--inquiries", help="問い合わせ記録の CSV（想定問答に加えます）。")
    ] = None,
    by: ByOption = None,
    output_format: FormatOption = "text",
) -> None:
    try:
        _format(output_format)
        draft_kind = _kind(kind)
        paper, paper_version = _paper_for(facts, incident)
        logged = read_inquiries_csv(inquiries) if inquiries else []
        stored: Statement | None = None
        if incident is not None:
            with open_store() as store:
                statements = StatementStore(store)
                logged = [*logged, *statements.inquiries(incident)]
                result = draft(paper, draft_kind, inquiries=logged, settings=load_settings())
                if paper_version is None:
                    paper_version = (
                        statements.paper(incident).version if statements.papers(incident) else None
                    )
                stored = statements.create(
                    incident,
                    draft_kind,
                    result.title,
                    result.text,
                    result.lint,
                    _actor(by),
                    paper_version=paper_version,
                )
        else:
            result = draft(paper, draft_kind, inquiries=logged, settings=load_settings())
        if out is not None:
            export(result.text, result.title, out, load_settings())
    except HikeshiError as error:
        raise fail(error) from None
    _report_draft(result, out, stored, output_format)


def _report_draft(result: Draft, out: Path | None, stored: Statement | None, output_format: str) -> None:
    if output_format == "json":
        payload = {
            "kind": result.kind.value,
            "title": result.title,
            "out": str(out) if out else None,
            "statement_id": stored.id if stored else None,
            "public": result.public,
            "polished": result.polished,
            "warnings": result.warnings,
            "lint": result.lint.model_dump(mode="json"),
            "text": result.text if out is None else None,
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    for warning in result.warnings:
        typer.echo(f"注意: {warning}", err=True)
    if out is None:
        sys.stdout.write(result.text)
    else:
        typer.echo(f"{result.kind_label}を書き出しました: {out}")
    if stored is not None:
        typer.echo(
            f"インシデント {stored.incident_id} に声明 #{stored.id}（下書き）として保存しました。",
            err=out is None,
        )
    for line in _lint_lines(result.lint):
        typer.echo(line, err=out is None)


@app.command("list", help="インシデントの声明の一覧。")
def list_statements(incident: IncidentOption, output_format: FormatOption = "text") -> None:
    try:
        _format(output_format, ("text", "jsonl"))
        with open_store() as store:
            found = StatementStore(store).list(incident)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "jsonl":
        for statement in found:
            sys.stdout.write(json.dumps(_statement_json(statement), ensure_ascii=False) + "\n")
        return
    if not found:
        typer.echo("声明はまだありません。`hikeshi statement draft --incident ID ...` で作れます。")
    for statement in found:
        channels = "・".join(PUBLISH_CHANNEL_LABELS[p.channel] for p in statement.publications)
        typer.echo(
            f"#{statement.id:<4} {statement.status_label:<5} 第{statement.version}版  {statement.kind_label}  "
            f"{statement.title}  [チェック: {LEVEL_LABELS.get(statement.lint.level, statement.lint.level)}]"
            + (f"  公表: {channels}" if channels else "")
        )


@app.command("show", help="声明の本文・状態・文面チェック・履歴を表示します。")
def show(statement_id: StatementId, output_format: FormatOption = "text") -> None:
    try:
        _format(output_format)
        with open_store() as store:
            statements = StatementStore(store)
            statement = statements.get(statement_id)
            versions = statements.versions(statement_id)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        payload = {**_statement_json(statement), "versions": [v.model_dump(mode="json") for v in versions]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    typer.echo(
        f"声明 #{statement.id}  {statement.kind_label}  {statement.status_label}  第{statement.version}版"
    )
    typer.echo(f"インシデント {statement.incident_id}  作成: {statement.author}")
    if statement.approver and statement.approved_at:
        typer.echo(f"承認: {statement.approver}（{statement.approved_at.astimezone(JST):%m/%d %H:%M}）")
    if statement.override_reason:
        typer.echo(f"上書き承認の理由: {statement.override_reason}")
    for publication in statement.publications:
        typer.echo(
            f"公表: {PUBLISH_CHANNEL_LABELS[publication.channel]}（{publication.at.astimezone(JST):%m/%d %H:%M}、{publication.by}）"
        )
    for line in _lint_lines(statement.lint):
        typer.echo(line)
    typer.echo("")
    sys.stdout.write(statement.text if statement.text.endswith("\n") else statement.text + "\n")
    typer.echo("")
    for version in versions:
        note = f"  {version.note}" if version.note else ""
        typer.echo(
            f"第{version.version}版  {version.created_at.astimezone(JST):%m/%d %H:%M}  {version.author}{note}"
        )


@app.command("submit", help="下書きを確認（承認待ち）に回します。")
def submit(statement_id: StatementId, by: ByOption = None) -> None:
    _step(lambda statements: approval.submit(statements, statement_id, _actor(by)), "確認に回しました")


@app.command("send-back", help="確認待ちの声明を下書きに差し戻します。")
def send_back(
    statement_id: StatementId,
    reason: Annotated[str, typer.Option("--reason", help="差し戻しの理由。")],
    by: ByOption = None,
) -> None:
    _step(
        lambda statements: approval.send_back(statements, statement_id, _actor(by), reason), "差し戻しました"
    )


@app.command("approve", help="声明を承認します（管理者か、インシデントの経営の担当だけ）。")
def approve(
    statement_id: StatementId,
    override_reason: Annotated[
        str | None,
        typer.Option("--override-reason", help="文面チェックが「危険」でも承認する理由（記録に残ります）。"),
    ] = None,
    by: ByOption = None,
) -> None:
    def run(statements: StatementStore) -> Statement:
        name = _actor(by)
        user = AccountStore(statements.store).find_user(name)
        approver = approval.Approver(name, is_admin=user is not None and user.role == AccountRole.ADMIN)
        return approval.approve(statements, statement_id, approver, override_reason=override_reason)

    _step(run, "承認しました")


@app.command("publish", help=f"承認済みの声明を公表した記録を残します。CHANNEL: {CHANNELS}")
def publish(
    statement_id: StatementId,
    channel: Annotated[str, typer.Option("--channel", "-c", help="公表した場所。")] = "website",
    at: Annotated[
        str | None, typer.Option("--at", help="公表した日時（既定: 今）。例: 2026-03-13 00:05")
    ] = None,
    by: ByOption = None,
) -> None:
    def run(statements: StatementStore) -> Statement:
        try:
            where = PublishChannel(channel)
        except ValueError:
            raise InputError(f"--channel {channel!r} はありません。次のいずれかです: {CHANNELS}") from None
        when = parse_when(at) if at else None
        return approval.publish(statements, statement_id, where, _actor(by), at=when)

    _step(run, "公表を記録しました")


@app.command("revise", help="声明の本文を新しい版に置き換えます（承認は取り消され、下書きに戻ります）。")
def revise(
    statement_id: StatementId,
    text_file: Annotated[Path, typer.Option("--file", help="新しい本文（Markdown またはテキスト）。")],
    note: Annotated[str | None, typer.Option("--note", help="何を直したか。")] = None,
    by: ByOption = None,
) -> None:
    def run(statements: StatementStore) -> Statement:
        try:
            text = text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{text_file} を読めません: {error}") from None
        current = statements.get(statement_id)
        papers = statements.papers(current.incident_id)
        paper = PositionPaper.model_validate(papers[-1].body) if papers else None
        lint = lint_text(text, current.kind, paper)
        return approval.revise(statements, statement_id, text, lint, _actor(by), note=note)

    _step(run, "修正しました")


def _step(action: Any, done: str) -> None:
    try:
        with open_store() as store:
            statement: Statement = action(StatementStore(store))
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"声明 #{statement.id}: {done}（{statement.status_label}、第{statement.version}版）。")
