"""`hikeshi users` and `hikeshi tokens`: accounts for the web app, created from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security

runner = CliRunner()


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    return url


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def accounts(url: str) -> AccountStore:
    return AccountStore(Store.open(Settings(database_url=url)))


def test_add_user_with_password_from_stdin(database: str) -> None:
    code, out, _ = invoke(
        "users", "add", "sato", "--role", "admin", "--password-stdin", stdin="火消し-パスワード1\n"
    )
    assert code == 0 and "ユーザー「sato」（管理者）を追加しました。" in out
    store = accounts(database)
    assert security.authenticate(store, "sato", "火消し-パスワード1") is not None
    assert security.authenticate(store, "sato", "火消し-パスワード1\n") is None
    code, out, _ = invoke("users", "list")
    assert code == 0 and out.startswith("sato\tadmin（管理者）")
    code, out, _ = invoke("users", "list", "--format", "json")
    [listed] = json.loads(out)
    assert listed["name"] == "sato" and listed["role"] == "admin" and "password_hash" not in listed


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("users", "add", "sato", "--password-stdin"), "short\n", "パスワードは 8 文字以上にしてください。"),
        (("users", "add", "sato", "--password-stdin"), "", "標準入力からパスワードを読めませんでした"),
        (("users", "add", "佐藤 太郎", "--password-stdin"), "long-enough-1\n", "空白を含まない"),
        (("users", "add", "sato"), "long-enough-1\n", "--password-stdin を付けて"),
        (("users", "remove", "tanaka"), None, "ユーザー「tanaka」はいません。"),
        (
            ("users", "password", "tanaka", "--password-stdin"),
            "long-enough-1\n",
            "ユーザー「tanaka」はいません。",
        ),
    ],
)
def test_user_errors_are_one_japanese_line(args: tuple[str, ...], stdin: str | None, message: str) -> None:
    code, out, err = invoke(*args, stdin=stdin)
    assert code == 2 and out == ""
    assert err.startswith("エラー: ") and message in err and err.count("\n") == 1


def test_duplicate_user_is_refused() -> None:
    assert invoke("users", "add", "sato", "--password-stdin", stdin="long-enough-1\n")[0] == 0
    code, _, err = invoke("users", "add", "sato", "--password-stdin", stdin="long-enough-2\n")
    assert code == 2 and "ユーザー「sato」は既にあります。" in err


def test_change_password_and_remove(database: str) -> None:
    invoke("users", "add", "sato", "--password-stdin", stdin="old-password-1\n")
    code, out, _ = invoke("users", "password", "sato", "--password-stdin", stdin="new-password-1\n")
    assert code == 0 and "パスワードを変更しました" in out
    store = accounts(database)
    assert security.authenticate(store, "sato", "old-password-1") is None
    assert security.authenticate(store, "sato", "new-password-1") is not None
    assert invoke("users", "remove", "sato")[0] == 0
    assert store.list_users() == []


def test_token_is_printed_once_and_works_until_revoked(database: str) -> None:
    code, out, err = invoke("tokens", "create", "cms")
    assert code == 0
    secret = out.strip()
    assert secret.startswith("hks_") and "\n" not in secret
    assert "二度と表示されません" in err
    store = accounts(database)
    token = security.resolve_token(store, secret)
    assert token is not None and token.role == Role.ANALYST
    code, out, _ = invoke("tokens", "list")
    assert code == 0 and out.startswith("cms\tanalyst（分析担当）\t有効") and secret not in out
    assert invoke("tokens", "revoke", "cms")[0] == 0
    assert security.resolve_token(store, secret) is None
    code, out, _ = invoke("tokens", "list", "--format", "json")
    [listed] = json.loads(out)
    assert listed["name"] == "cms" and listed["revoked_at"] is not None


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_token_roles(database: str, role: str) -> None:
    code, out, _ = invoke("tokens", "create", f"tool-{role}", "--role", role)
    assert code == 0
    token = security.resolve_token(accounts(database), out.strip())
    assert token is not None and token.role == Role(role)


def test_token_names_are_unique_until_revoked() -> None:
    assert invoke("tokens", "create", "cms")[0] == 0
    code, _, err = invoke("tokens", "create", "cms")
    assert code == 2 and "トークン「cms」は既にあります。" in err
    assert invoke("tokens", "revoke", "cms")[0] == 0
    code, _, err = invoke("tokens", "revoke", "cms")
    assert code == 2 and "有効なトークン「cms」はありません。" in err
    assert invoke("tokens", "create", "cms")[0] == 0


def test_bad_role_is_refused() -> None:
    code, _, err = invoke("tokens", "create", "cms", "--role", "owner")
    assert code == 2 and "owner" in err
