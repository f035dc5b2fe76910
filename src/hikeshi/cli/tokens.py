"""`hikeshi tokens create|list|revoke`: API tokens for other systems (sent as `Authorization: Bearer`)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from hikeshi.cli.watch import check_format, fail, open_store
from hikeshi.errors import HikeshiError
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security

app = typer.Typer(
    no_args_is_help=True, help="API トークン（他のシステムから REST API を呼ぶための鍵）を管理します。"
)


@app.command(
    "create",
    help="トークンを作り、標準出力に 1 回だけ表示します（保存されるのはハッシュだけです）。例: hikeshi tokens create cms",
)
def create(
    name: Annotated[str, typer.Argument(help="トークンの名前（どのシステム用か）。")],
    role: Annotated[
        Role,
        typer.Option(
            "--role", help="権限: viewer（読み取り）、analyst（取り込み・チェック）、admin（管理）。"
        ),
    ] = Role.ANALYST,
) -> None:
    try:
        with open_store() as store:
            token, secret = security.create_token(AccountStore(store), name, role)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(secret)
    typer.echo(
        f"トークン「{token.name}」（{token.role.label}）を作りました。この値は二度と表示されません。"
        "`Authorization: Bearer <トークン>` で送ってください。",
        err=True,
    )


@app.command("list", help="トークンの一覧を表示します（値そのものは表示しません）。")
def list_(
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または json。")] = "text",
) -> None:
    try:
        check_format(output_format)
        with open_store() as store:
            tokens = AccountStore(store).list_tokens()
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps([token.model_dump(mode="json") for token in tokens], ensure_ascii=False))
        return
    if not tokens:
        typer.echo("トークンはまだありません。`hikeshi tokens create 名前` で作れます。")
        return
    for token in tokens:
        state = "有効" if token.active else f"失効 {token.revoked_at:%Y-%m-%d %H:%M} UTC"
        used = f"最終利用 {token.last_used_at:%Y-%m-%d %H:%M} UTC" if token.last_used_at else "未使用"
        typer.echo(f"{token.name}\t{token.role.value}（{token.role.label}）\t{state}\t{used}")


@app.command("revoke", help="トークンを失効させます（以後そのトークンの呼び出しは 401 になります）。")
def revoke(name: Annotated[str, typer.Argument(help="トークンの名前。")]) -> None:
    try:
        with open_store() as store:
            AccountStore(store).revoke_token(name)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"トークン「{name}」を失効させました。")
