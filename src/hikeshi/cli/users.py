"""`hikeshi users add|list|remove|password`: accounts that sign in to the web app."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from hikeshi.cli.watch import check_format, fail, open_store
from hikeshi.errors import HikeshiError, InputError
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security

app = typer.Typer(no_args_is_help=True, help="Web 画面にログインするユーザーを管理します。")

RoleOption = Annotated[
    Role, typer.Option("--role", help="権限: viewer（閲覧）、analyst（取り込み・チェック）、admin（管理）。")
]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="パスワードを標準入力の 1 行目から読みます（スクリプト向け）。"),
]


def read_password(from_stdin: bool) -> str:
    """From stdin's first line (without its line break), or asked twice without echo on a terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise InputError("標準入力からパスワードを読めませんでした（空です）。")
        return password
    if not sys.stdin.isatty():
        raise InputError("パスワードは --password-stdin を付けて標準入力から渡してください。")
    entered: str = typer.prompt("パスワード", hide_input=True, confirmation_prompt=True)
    return entered


@app.command(
    "add",
    help="ユーザーを追加します。例: echo 'パスワード' | hikeshi users add sato --role admin --password-stdin",
)
def add(
    name: Annotated[str, typer.Argument(help="ユーザー名（ログインに使います）。")],
    role: RoleOption = Role.VIEWER,
    password_stdin: PasswordStdin = False,
) -> None:
    try:
        password = read_password(password_stdin)
        with open_store() as store:
            user = security.create_user(AccountStore(store), name, role, password)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"ユーザー「{user.name}」（{user.role.label}）を追加しました。")


@app.command("list", help="ユーザーの一覧を表示します。")
def list_(
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または json。")] = "text",
) -> None:
    try:
        check_format(output_format)
        with open_store() as store:
            users = AccountStore(store).list_users()
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(
            json.dumps([user.model_dump(mode="json", exclude={"id"}) for user in users], ensure_ascii=False)
        )
        return
    if not users:
        typer.echo(
            "ユーザーはまだいません。`hikeshi users add 名前 --role admin --password-stdin` で追加できます。"
        )
        return
    for user in users:
        typer.echo(
            f"{user.name}\t{user.role.value}（{user.role.label}）\t作成 {user.created_at:%Y-%m-%d %H:%M} UTC"
        )


@app.command("remove", help="ユーザーを削除します（ログイン中のセッションも終わります）。")
def remove(name: Annotated[str, typer.Argument(help="ユーザー名。")]) -> None:
    try:
        with open_store() as store:
            AccountStore(store).remove_user(name)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"ユーザー「{name}」を削除しました。")


@app.command("password", help="パスワードを変更します（そのユーザーのログイン中のセッションは終わります）。")
def password(
    name: Annotated[str, typer.Argument(help="ユーザー名。")],
    password_stdin: PasswordStdin = False,
) -> None:
    try:
        new_password = read_password(password_stdin)
        with open_store() as store:
            security.change_password(AccountStore(store), name, new_password)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"ユーザー「{name}」のパスワードを変更しました。")
