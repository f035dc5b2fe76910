"""`hikeshi watch add|list|show|remove`: the companies and brands being monitored."""

from __future__ import annotations

import json
import math
import re
from typing import Annotated

import typer
from pydantic import ValidationError

from hikeshi.detect.config import DetectorConfig
from hikeshi.errors import HikeshiError, InputError
from hikeshi.records import Watch
from hikeshi.settings import load_settings
from hikeshi.store import Store, WatchSummary
from hikeshi.timezones import JST

app = typer.Typer(
    no_args_is_help=True, help="ウォッチ（監視する会社・ブランド）を追加・一覧・表示・削除します。"
)

_LIST_SEPARATORS = re.compile(r"[,，、]")
FormatOption = Annotated[str, typer.Option("--format", "-f", help="出力形式: text または json。")]


def split_list(value: str | None) -> list[str]:
    """「ナミキ住宅,ナミキ、namiki」 → three terms; the Japanese comma and 、 separate too."""
    if not value:
        return []
    return list(dict.fromkeys(part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()))


def fail(error: HikeshiError | str) -> typer.Exit:
    typer.echo(f"エラー: {error}", err=True)
    return typer.Exit(code=2)


def open_store() -> Store:
    return Store.open(load_settings())


def check_format(output_format: str) -> None:
    if output_format not in ("text", "json"):
        raise InputError(f"--format は text か json です（{output_format!r} が指定されました）。")


@app.command("add", help="ウォッチを追加します。例: hikeshi watch add ナミキ住宅 --terms ナミキ住宅,ナミキ")
def add(
    name: Annotated[str, typer.Argument(help="ウォッチの名前（会社名・ブランド名）。")],
    terms: Annotated[str, typer.Option("--terms", help="社名・別名・略称（カンマ区切り）。")],
    exclude: Annotated[
        str | None, typer.Option("--exclude", help="この語を含む投稿は除外（カンマ区切り）。")
    ] = None,
    risk_terms: Annotated[
        str | None, typer.Option("--risk-terms", help="特に注意する語（カンマ区切り）。例: 不買,詐欺")
    ] = None,
    thresholds: Annotated[
        list[str] | None, typer.Option("--threshold", help="検知のしきい値 KEY=数値（繰り返し指定可）。")
    ] = None,
    output_format: FormatOption = "text",
) -> None:
    try:
        check_format(output_format)
        watch = _build_watch(name, terms, exclude, risk_terms, thresholds or [])
        with open_store() as store:
            store.add_watch(watch)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(watch.model_dump_json())
    else:
        typer.echo(f"ウォッチ「{watch.name}」を追加しました。")
        _print_watch(watch)


@app.command("list", help="ウォッチの一覧を表示します。")
def list_(output_format: FormatOption = "text") -> None:
    try:
        check_format(output_format)
        with open_store() as store:
            watches = store.list_watches()
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps([watch.model_dump(mode="json") for watch in watches], ensure_ascii=False))
        return
    if not watches:
        typer.echo("ウォッチはまだありません。`hikeshi watch add 名前 --terms 社名,別名` で追加できます。")
        return
    for watch in watches:
        typer.echo(f"{watch.name}\t語句: {'、'.join(watch.terms)}")


@app.command("show", help="ウォッチの設定と収集状況を表示します。")
def show(
    name: Annotated[str, typer.Argument(help="ウォッチの名前。")],
    output_format: FormatOption = "text",
) -> None:
    try:
        check_format(output_format)
        with open_store() as store:
            summary = store.watch_summary(name)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(summary.model_dump_json())
    else:
        _print_summary(summary)


@app.command("remove", help="ウォッチと、その投稿・分析・シグナル・ソースをすべて削除します。")
def remove(
    name: Annotated[str, typer.Argument(help="ウォッチの名前。")],
    output_format: FormatOption = "text",
) -> None:
    try:
        check_format(output_format)
        with open_store() as store:
            store.remove_watch(name)
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps({"removed": name}, ensure_ascii=False))
    else:
        typer.echo(f"ウォッチ「{name}」を削除しました。")


def _build_watch(
    name: str, terms: str, exclude: str | None, risk_terms: str | None, thresholds: list[str]
) -> Watch:
    parsed_thresholds: dict[str, float] = {}
    for item in thresholds:
        key, separator, value = item.partition("=")
        try:
            if not separator or not key.strip():
                raise ValueError
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
            parsed_thresholds[key.strip()] = number
        except ValueError:
            raise InputError(f"--threshold は KEY=数値 の形で指定してください（{item!r}）。") from None
    try:
        watch = Watch(
            name=name.strip(),
            terms=split_list(terms),
            exclude=split_list(exclude),
            risk_terms=split_list(risk_terms),
            thresholds=parsed_thresholds,
        )
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        if field == "terms":
            raise InputError("--terms に社名・別名を 1 つ以上指定してください。") from None
        if first["type"] == "string_pattern_mismatch":
            raise InputError("ウォッチの名前や語句に改行や制御文字は使えません。") from None
        raise InputError("ウォッチの名前を指定してください。") from None
    try:  # the detectors read their thresholds from the watch: refuse values they cannot run with, now
        DetectorConfig.for_watch(watch)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise InputError(f"--threshold {key} の値が検知の設定として使えません（{first['msg']}）。") from None
    except (OverflowError, ValueError) as error:
        raise InputError(f"--threshold の値が検知の設定として使えません（{error}）。") from None
    return watch


def _print_watch(watch: Watch) -> None:
    typer.echo(f"  語句: {'、'.join(watch.terms)}")
    typer.echo(f"  除外語: {'、'.join(watch.exclude) or '（なし）'}")
    typer.echo(f"  リスク語: {'、'.join(watch.risk_terms) or '（なし）'}")
    if watch.thresholds:
        typer.echo("  しきい値: " + "、".join(f"{key}={value:g}" for key, value in watch.thresholds.items()))


def _print_summary(summary: WatchSummary) -> None:
    typer.echo(f"ウォッチ: {summary.watch.name}")
    _print_watch(summary.watch)
    typer.echo(f"  投稿: {summary.posts:,} 件（分析済み {summary.analyzed:,} 件）")
    if summary.posts_by_source:
        typer.echo(
            "  ソース別: "
            + "、".join(f"{source} {count:,} 件" for source, count in summary.posts_by_source.items())
        )
    if summary.first_post_at and summary.last_post_at:
        first = summary.first_post_at.astimezone(JST).strftime("%Y-%m-%d %H:%M")
        last = summary.last_post_at.astimezone(JST).strftime("%Y-%m-%d %H:%M")
        typer.echo(f"  期間: {first} 〜 {last}（日本時間）")
    typer.echo(f"  定期取得ソース: {summary.sources} 件、シグナル: {summary.signals} 件")
