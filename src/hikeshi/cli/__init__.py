"""`hikeshi` command line: a thin shell over the library; each command group lives in its own module.

Command modules are imported only when needed: `hikeshi check` must start fast, and the monitoring and web
commands pull in SQLAlchemy, SciPy and FastAPI. `main()` loads just the command named on the command line;
`app` (for tests and `--help`) loads them all.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Any

import typer


@dataclass(frozen=True)
class CommandSpec:
    name: str
    module: str
    attribute: str  # a function (single command) or a Typer app (command group)
    help: str
    group: bool = False


COMMANDS = (
    CommandSpec(
        "check", "check", "check", "送信前の文面をチェックし、危険な箇所・理由・穏当な言い換えを示します。"
    ),
    CommandSpec(
        "demo",
        "demo",
        "demo",
        "同梱のデータで、送信前チェックと炎上の検知（取り込み・分析・検知）を実演します。",
    ),
    CommandSpec(
        "analyze", "analyze", "analyze", "投稿の感情（ネガ・ポジ、8 感情）と有害カテゴリを分析します。"
    ),
    CommandSpec("watch", "watch", "app", "ウォッチ（監視する会社・ブランド）を管理します。", group=True),
    CommandSpec(
        "ingest", "ingest", "ingest", "投稿ファイル（JSON lines・CSV・口コミ CSV）を分析して取り込みます。"
    ),
    CommandSpec(
        "signals",
        "signals",
        "signals",
        "ウォッチの投稿に検知をかけ、炎上の兆候（シグナル）を表示・保存します。",
    ),
    CommandSpec("source", "source", "app", "ウォッチの定期取得ソースを管理します。", group=True),
    CommandSpec("suggest", "suggest", "app", "検索候補（サジェスト）のリスク語を監視します。", group=True),
    CommandSpec(
        "monitor", "monitor", "app", "ソースを定期取得し、分析・検知・通知する監視を実行します。", group=True
    ),
    CommandSpec(
        "alert", "alert", "app", "炎上の通知先（Slack・Webhook・メール）とまとめ方を管理します。", group=True
    ),
    CommandSpec(
        "incident",
        "incident",
        "app",
        "インシデント（1 件の炎上への対応）を開き、役割・タスク・タイムラインで進めます。",
        group=True,
    ),
    CommandSpec(
        "evidence",
        "evidence",
        "app",
        "証拠保全: 投稿・ページを SHA-256 付きで保全し、ZIP に書き出し、検証します。",
        group=True,
    ),
    CommandSpec(
        "report",
        "report",
        "app",
        "インシデントの報告書と週次報告を HTML・PDF で作成します。",
        group=True,
    ),
    CommandSpec(
        "statement",
        "statement",
        "app",
        "声明: ポジションペーパーから第一報・お詫び・リリース・想定問答を作り、承認・公表し、文面を点検します。",
        group=True,
    ),
    CommandSpec(
        "docs",
        "docs",
        "app",
        "SNS の基本 5 文書（ポリシー・利用規約・従業員規程・ガイドライン・炎上対応マニュアル）を作り、点検します。",
        group=True,
    ),
    CommandSpec(
        "drill",
        "drill",
        "app",
        "炎上訓練: シナリオを本物の監視に流し、検知・開始・第一報までの時間と対応を採点します。",
        group=True,
    ),
    CommandSpec(
        "training",
        "training",
        "app",
        "役割別の研修: 問題集、事前・事後テスト、受講者の進み具合と修了一覧（CSV）。",
        group=True,
    ),
    CommandSpec(
        "serve", "serve", "serve", "Web 画面と REST API を起動します（既定 http://127.0.0.1:8000）。"
    ),
    CommandSpec("users", "users", "app", "Web 画面にログインするユーザーを管理します。", group=True),
    CommandSpec("tokens", "tokens", "app", "REST API のトークンを作成・一覧・失効します。", group=True),
)


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with just the one called `only`."""
    application = typer.Typer(
        name="hikeshi",
        help="火消し (hikeshi): 炎上を防ぎ、見つけ、消すための道具。",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for spec in COMMANDS:
        if only is not None and spec.name != only:
            continue
        target = getattr(importlib.import_module(f"hikeshi.cli.{spec.module}"), spec.attribute)
        if spec.group:
            application.add_typer(target, name=spec.name, help=spec.help)
        else:
            application.command(name=spec.name, help=spec.help)(target)

    @application.callback()
    def _root() -> None:
        """火消し (hikeshi): 炎上を防ぎ、見つけ、消すための道具。"""

    return application


def __getattr__(name: str) -> Any:
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    requested = sys.argv[1] if len(sys.argv) > 1 else None
    known = {spec.name for spec in COMMANDS}
    try:
        build_app(requested if requested in known else None)()
    except Exception as error:  # a bug must still end in one clear line, never a traceback
        typer.echo(
            f"エラー: 予期しない内部エラーです（{type(error).__name__}: {error}）。不具合として報告してください。",
            err=True,
        )
        raise SystemExit(3) from None
