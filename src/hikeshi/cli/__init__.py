"""`hikeshi` command line: a thin shell over the library; each command group lives in its own module."""

from __future__ import annotations

import typer

from hikeshi.cli import check as check_command

app = typer.Typer(
    name="hikeshi",
    help="火消し (hikeshi): 炎上を防ぎ、見つけ、消すための道具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command(name="check", help="送信前の文面をチェックし、危険な箇所・理由・穏当な言い換えを示します。")(check_command.check)


@app.callback()
def _root() -> None:
    """火消し (hikeshi): 炎上を防ぎ、見つけ、消すための道具。"""


def main() -> None:
    app()
