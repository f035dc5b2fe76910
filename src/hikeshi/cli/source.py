"""`hikeshi source add|list|remove`: the polled sources of a watch (RSS, news pages, X search, suggest).

Only the configuration is stored here; `hikeshi.sources` and the monitor daemon do the polling.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from hikeshi.cli.watch import check_format, fail, open_store, split_list
from hikeshi.errors import HikeshiError, InputError
from hikeshi.store import Source, SourceKind

app = typer.Typer(
    no_args_is_help=True, help="ウォッチの定期取得ソース（RSS・ニュース・X・サジェスト）を管理します。"
)

SUGGEST_ENGINES = ("google", "bing", "yahoo")


@app.command(
    "add",
    help="ソースを追加します。例: hikeshi source add --watch ナミキ住宅 --kind rss --url https://…/feed",
)
def add(
    watch: Annotated[str, typer.Option("--watch", "-w", help="ウォッチ名。")],
    kind: Annotated[SourceKind, typer.Option("--kind", help="rss, news, x, suggest")],
    url: Annotated[
        str | None, typer.Option("--url", help="rss と news: フィードまたはページの URL。")
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", help="x: 検索クエリ。suggest: 調べる語（省略時はウォッチの語句）。"),
    ] = None,
    engines: Annotated[
        str | None,
        typer.Option("--engines", help="suggest: google,bing,yahoo のうち使うもの（既定: すべて）。"),
    ] = None,
    interval: Annotated[int, typer.Option("--interval", min=1, help="取得間隔（秒）。")] = 600,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="出力形式: text または json。")
    ] = "text",
) -> None:
    try:
        check_format(output_format)
        config = _config(kind, url, query, engines)
        with open_store() as store:
            source = store.add_source(watch, kind.value, config, interval)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(source.model_dump_json())
    else:
        typer.echo(f"ソース {source.id} を追加しました: {_describe(source)}")


@app.command("list", help="ソースの一覧を表示します。")
def list_(
    watch: Annotated[
        str | None, typer.Option("--watch", "-w", help="このウォッチのソースだけを表示。")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="出力形式: text または json。")
    ] = "text",
) -> None:
    try:
        check_format(output_format)
        with open_store() as store:
            sources = store.list_sources(watch)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps([source.model_dump(mode="json") for source in sources], ensure_ascii=False))
        return
    if not sources:
        typer.echo(
            "ソースはまだありません。`hikeshi source add --watch 名前 --kind rss --url …` で追加できます。"
        )
        return
    for source in sources:
        polled = source.last_polled_at.strftime("%Y-%m-%d %H:%M UTC") if source.last_polled_at else "未取得"
        typer.echo(f"{source.id}\t{source.watch}\t{_describe(source)}\t最終取得: {polled}")


@app.command("remove", help="ソースを削除します（番号は source list で確認）。")
def remove(source_id: Annotated[int, typer.Argument(help="ソースの番号。")]) -> None:
    try:
        with open_store() as store:
            store.remove_source(source_id)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"ソース {source_id} を削除しました。")


def _config(kind: SourceKind, url: str | None, query: str | None, engines: str | None) -> dict[str, Any]:
    if kind in (SourceKind.RSS, SourceKind.NEWS):
        if not url:
            raise InputError(f"--kind {kind.value} には --url が必要です。")
        if not url.startswith(("http://", "https://")):
            raise InputError(f"--url は http:// か https:// で始めてください（{url!r}）。")
        if query or engines:
            raise InputError(f"--kind {kind.value} では --query と --engines は使えません。")
        return {"url": url}
    if url:
        raise InputError(f"--kind {kind.value} では --url は使えません。")
    if kind == SourceKind.X:
        if not query or not query.strip():
            raise InputError("--kind x には --query（検索クエリ）が必要です。")
        if engines:
            raise InputError("--engines は --kind suggest 専用です。")
        return {"query": query.strip()}
    chosen = split_list(engines) or list(SUGGEST_ENGINES)
    unknown = [engine for engine in chosen if engine not in SUGGEST_ENGINES]
    if unknown:
        raise InputError(
            f"不明なサジェストエンジン: {'、'.join(unknown)}（{', '.join(SUGGEST_ENGINES)} から選べます）"
        )
    config: dict[str, Any] = {"engines": chosen}
    if query and query.strip():
        config["query"] = query.strip()
    return config


def _describe(source: Source) -> str:
    target = source.config.get("url") or source.config.get("query") or "（ウォッチの語句）"
    extra = f" [{','.join(source.config['engines'])}]" if "engines" in source.config else ""
    return f"{source.kind} {target}{extra}（{source.interval_seconds} 秒ごと）"
