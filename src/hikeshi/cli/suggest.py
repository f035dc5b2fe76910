"""`hikeshi suggest check --watch NAME`: snapshot search suggestions, store them, print changes and risky terms."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from hikeshi.cli.watch import check_format, fail, split_list
from hikeshi.errors import HikeshiError, InputError
from hikeshi.settings import load_settings
from hikeshi.sources.http import SafeHttpClient
from hikeshi.store import Store
from hikeshi.suggest import ENGINES, SuggestCheck, build_engine, check_suggest, default_risk_dictionary
from hikeshi.suggest.history import ENGINE_LABELS

app = typer.Typer(no_args_is_help=True, help="検索エンジンのサジェスト（検索候補）を監視します。")
JAPAN = ZoneInfo("Asia/Tokyo")


@app.command(
    "check", help="ウォッチの社名で検索候補を取得・保存し、変化とリスク語（ブラック・詐欺など）を表示します。"
)
def check(
    watch: Annotated[str, typer.Option("--watch", "-w", help="ウォッチ名。")],
    engines: Annotated[
        str | None, typer.Option("--engines", help="google,bing,yahoo のうち使うもの（既定: すべて）。")
    ] = None,
    google_url: Annotated[str | None, typer.Option("--google-url", help="Google サジェストの URL。")] = None,
    bing_url: Annotated[str | None, typer.Option("--bing-url", help="Bing サジェストの URL。")] = None,
    yahoo_url: Annotated[str | None, typer.Option("--yahoo-url", help="Yahoo! サジェストの URL。")] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="出力形式: text または json。")
    ] = "text",
) -> None:
    urls = {"google": google_url, "bing": bing_url, "yahoo": yahoo_url}
    try:
        check_format(output_format)
        names = split_list(engines) or list(ENGINES)
        settings = load_settings()
        with Store.open(settings) as store, SafeHttpClient(settings) as client:
            target = store.get_watch(watch)
            chosen = [build_engine(name, client, urls.get(name)) for name in names]
            history = store.list_suggest_snapshots(watch)
            result = check_suggest(
                target,
                chosen,
                history,
                default_risk_dictionary(),
                dt.datetime.now(dt.UTC).replace(microsecond=0),
            )
            if not result.snapshots:
                reasons = "; ".join(
                    f"{ENGINE_LABELS.get(f.engine, f.engine)}: {f.message}" for f in result.failures
                )
                raise InputError(f"どの検索エンジンからも検索候補を取得できませんでした（{reasons}）。")
            for snapshot in result.snapshots:
                store.save_suggest_snapshot(snapshot)
            if result.signal is not None:
                store.save_signals([result.signal])
    except HikeshiError as error:
        raise fail(error) from None
    for failure in result.failures:
        label = ENGINE_LABELS.get(failure.engine, failure.engine)
        typer.echo(f"警告: {label} の検索候補を取得できませんでした: {failure.message}", err=True)
    if output_format == "json":
        typer.echo(result.model_dump_json())
    else:
        _print_check(result)


def _print_check(result: SuggestCheck) -> None:
    taken = result.taken_at.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M")
    typer.echo(f"ウォッチ「{result.watch}」の検索候補（{taken} JST）")
    risky = {(risk.engine, risk.query, risk.hit.suggestion): risk.hit for risk in result.risks}
    counts = {(s.engine, s.query): len(s.suggestions) for s in result.snapshots}
    for diff in result.diffs:
        label = f"{ENGINE_LABELS.get(diff.engine, diff.engine)}「{diff.query}」"
        total = counts[(diff.engine, diff.query)]
        if diff.before_at is None:
            typer.echo(f"{label}: 初回の記録 {total} 件")
        elif not diff.changed:
            typer.echo(f"{label}: 変化なし（{total} 件）")
            continue
        else:
            typer.echo(f"{label}: {total} 件（追加 {len(diff.added)}・削除 {len(diff.removed)}）")
        for term in diff.added:
            hit = risky.get((diff.engine, diff.query, term))
            note = f"  ← リスク語「{hit.term}」（重大度 {hit.severity}・{hit.category}）" if hit else ""
            typer.echo(f"  + {term}{note}")
        for term in diff.removed:
            typer.echo(f"  - {term}")
    if result.signal is None:
        typer.echo("新たなリスク語はありません。")
    else:
        typer.echo(
            f"新たなリスク語 {len(result.signal.evidence.terms)} 件: "
            f"risky_suggest シグナル（重大度 {result.signal.severity}）を記録しました。"
        )
        typer.echo(result.signal.summary)
