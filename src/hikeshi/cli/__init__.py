"""`hikeshi` command line: a thin shell over the library; each command group lives in its own module."""

from __future__ import annotations

import typer

from hikeshi.cli import alert as alert_command
from hikeshi.cli import analyze as analyze_command
from hikeshi.cli import check as check_command
from hikeshi.cli import ingest as ingest_command
from hikeshi.cli import monitor as monitor_command
from hikeshi.cli import signals as signals_command
from hikeshi.cli import source as source_command
from hikeshi.cli import suggest as suggest_command
from hikeshi.cli import watch as watch_command

app = typer.Typer(
    name="hikeshi",
    help="火消し (hikeshi): 炎上を防ぎ、見つけ、消すための道具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command(name="check", help="送信前の文面をチェックし、危険な箇所・理由・穏当な言い換えを示します。")(
    check_command.check
)
app.command(name="analyze", help="投稿の感情（ネガ・ポジ、8 感情）と有害カテゴリを分析します。")(
    analyze_command.analyze
)
app.add_typer(watch_command.app, name="watch", help="ウォッチ（監視する会社・ブランド）を管理します。")
app.command(name="ingest", help="投稿ファイル（JSON lines・CSV・口コミ CSV）を分析して取り込みます。")(
    ingest_command.ingest
)
app.command(name="signals", help="ウォッチの投稿に検知をかけ、炎上の兆候（シグナル）を表示・保存します。")(
    signals_command.signals
)
app.add_typer(source_command.app, name="source", help="ウォッチの定期取得ソースを管理します。")
app.add_typer(suggest_command.app, name="suggest", help="検索候補（サジェスト）のリスク語を監視します。")
app.add_typer(
    monitor_command.app, name="monitor", help="ソースを定期取得し、分析・検知・通知する監視を実行します。"
)
app.add_typer(
    alert_command.app, name="alert", help="炎上の通知先（Slack・Webhook・メール）とまとめ方を管理します。"
)


@app.callback()
def _root() -> None:
    """火消し (hikeshi): 炎上を防ぎ、見つけ、消すための道具。"""


def main() -> None:
    try:
        app()
    except Exception as error:  # a bug must still end in one clear line, never a traceback
        typer.echo(
            f"エラー: 予期しない内部エラーです（{type(error).__name__}: {error}）。不具合として報告してください。",
            err=True,
        )
        raise SystemExit(3) from None
