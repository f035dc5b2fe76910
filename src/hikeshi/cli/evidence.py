"""`hikeshi evidence …`: preserve posts and pages for an incident, export them as a ZIP, verify a ZIP."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from hikeshi.cli.watch import fail
from hikeshi.errors import HikeshiError, InputError
from hikeshi.respond.evidence import (
    Evidence,
    EvidenceStore,
    capture_post,
    capture_top,
    capture_url,
    export_zip,
    verify_zip,
)
from hikeshi.settings import load_settings
from hikeshi.store import Store
from hikeshi.timezones import JST

app = typer.Typer(
    no_args_is_help=True,
    help="証拠保全: 投稿・ページ・スクリーンショットを SHA-256 付きで保全し、ZIP に書き出し、検証します。",
)

IncidentOption = Annotated[int, typer.Option("--incident", "-i", help="インシデントの番号。")]
ByOption = Annotated[str | None, typer.Option("--by", help="保全した人の名前（既定: ログイン名）。")]


def _actor(by: str | None) -> str:
    if by is not None:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _line(evidence: Evidence) -> str:
    repeat = f"（#{evidence.duplicate_of} と同一内容の再取得）" if evidence.duplicate_of else ""
    return (
        f"  #{evidence.id} {evidence.kind_label}  {evidence.filename}  {evidence.size:,} バイト  "
        f"SHA-256 {evidence.sha256}{repeat}"
    )


def _report(incident_id: int, captured: list[Evidence]) -> None:
    first = captured[0]
    typer.echo(
        f"インシデント {incident_id} に {len(captured)} 点を保全しました"
        f"（{first.captured_at.astimezone(JST):%Y-%m-%d %H:%M:%S} JST、保全した人 {first.captured_by}）:"
    )
    for evidence in captured:
        typer.echo(_line(evidence))
    for evidence in captured:
        if evidence.kind.value != "html":
            continue
        status = evidence.http_status
        if status in (404, 410):
            typer.echo(
                f"注意: {evidence.source_url} は HTTP {status} でした。取得時点でページが削除されていた"
                "（または存在しない）証拠として、返ってきたページをそのまま保全しました。"
            )
        elif status is not None and status >= 400:
            typer.echo(
                f"注意: {evidence.source_url} は HTTP {status} でした。サーバーが返したエラーページを記録として保全しました。"
                "本来のページは時間をおいて取り直してください。"
            )
        reason = evidence.meta.get("screenshot_reason")
        if reason:
            typer.echo(f"スクリーンショット: {reason}。")


@app.command(
    "capture",
    help="証拠を保全します。--post（投稿 ソース:ID）・--url・--top N のどれか 1 つを指定します。",
)
def capture(
    incident: IncidentOption,
    post: Annotated[
        str | None, typer.Option("--post", help="保全する投稿（ソース:ID、例: x:1234567890）。")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="保全するページの URL。")] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", help="拡散の大きい投稿（閲覧・リポスト・フォロワー順）を N 件保全。"),
    ] = None,
    pages: Annotated[
        bool, typer.Option("--pages", help="--top のとき、各投稿の URL のページも保全します。")
    ] = False,
    no_screenshot: Annotated[
        bool, typer.Option("--no-screenshot", help="ページのスクリーンショットを撮りません。")
    ] = False,
    by: ByOption = None,
) -> None:
    chosen = [name for name, value in (("--post", post), ("--url", url), ("--top", top)) if value is not None]
    page_errors: list[str] = []

    def page_failed(page_url: str, error: HikeshiError) -> None:
        page_errors.append(page_url)
        typer.echo(f"警告: {error}", err=True)

    try:
        if len(chosen) != 1:
            raise InputError(
                "--post・--url・--top のどれか 1 つを指定してください"
                + (f"（{'・'.join(chosen)} が指定されました）。" if chosen else "。")
            )
        if pages and top is None:
            raise InputError("--pages は --top と一緒に使います。")
        settings = load_settings()
        with Store.open(settings) as store:
            if post is not None:
                captured = capture_post(store, incident, post, _actor(by))
            elif url is not None:
                captured = capture_url(
                    store, settings, incident, url, _actor(by), screenshot=not no_screenshot
                )
            else:
                assert top is not None
                captured = capture_top(
                    store,
                    incident,
                    top,
                    _actor(by),
                    settings=settings,
                    pages=pages,
                    screenshot=not no_screenshot,
                    on_page_error=page_failed,
                )
    except HikeshiError as error:
        raise fail(error) from None
    _report(incident, captured)
    if page_errors:
        typer.echo(
            f"エラー: 投稿は保全しましたが、ページ {len(page_errors)} 件は保全できませんでした（上の警告を参照）。",
            err=True,
        )
        raise typer.Exit(code=1)


@app.command(
    "export",
    help="インシデントの証拠を ZIP（manifest.json・保全記録・弁護士向け一覧 CSV 付き）に書き出します。",
)
def export(
    incident: IncidentOption,
    out: Annotated[Path, typer.Option("--out", "-o", help="書き出す ZIP ファイル。")],
    by: ByOption = None,
) -> None:
    try:
        with Store.open(load_settings()) as store:
            report = export_zip(store, incident, out, _actor(by))
    except HikeshiError as error:
        raise fail(error) from None
    except OSError as error:
        raise fail(f"{out} に書き出せません（{error.strerror or error}）。") from None
    typer.echo(f"書き出しました: {report.path}（証拠 {report.artefacts} 点、{report.size:,} バイト）")
    typer.echo(f"ZIP の SHA-256: {report.sha256}（保全記録に残しました）")


@app.command(
    "verify",
    help="書き出した ZIP の各証拠を SHA-256 で検証します。すべて一致なら終了コード 0、それ以外は 1。",
)
def verify(file: Annotated[Path, typer.Argument(help="検証する ZIP ファイル。")]) -> None:
    report = verify_zip(file)
    for line in report.lines:
        typer.echo(line.render())
    if report.ok:
        typer.echo(f"すべて一致しました（{report.checked} 件）。")
        return
    typer.echo(f"検証に失敗しました（問題 {len(report.failures)} 件）。", err=True)
    raise typer.Exit(code=1)


@app.command("list", help="インシデントの保全した証拠の一覧。")
def list_evidence(
    incident: IncidentOption,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または json。")] = "text",
) -> None:
    try:
        if output_format not in ("text", "json"):
            raise InputError(f"--format は text か json です（{output_format!r}）。")
        with Store.open(load_settings()) as store:
            found = EvidenceStore(store).list(incident)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        sys.stdout.write(
            json.dumps([evidence.model_dump(mode="json") for evidence in found], ensure_ascii=False) + "\n"
        )
        return
    if not found:
        typer.echo(f"インシデント {incident} にはまだ証拠がありません。")
        return
    for evidence in found:
        origin = evidence.post_key or evidence.source_url or ""
        repeat = f" 再取得(#{evidence.duplicate_of})" if evidence.duplicate_of else ""
        typer.echo(
            f"{evidence.id:>5}  {evidence.captured_at.astimezone(JST):%Y-%m-%d %H:%M:%S}  {evidence.kind_label}  "
            f"{origin}  {evidence.size:,} バイト  {evidence.sha256[:16]}…  {evidence.captured_by}{repeat}"
        )
