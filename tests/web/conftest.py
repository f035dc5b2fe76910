"""Shared fixtures of the web tests: a store on a temporary SQLite file, the app, accounts and clients.

`client` is anonymous; `viewer_client`, `analyst_client` and `admin_client` send an API token of that role;
`browser` is signed in through the real login form (session cookie + CSRF token), as a person would be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hikeshi.records import Watch
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role, User
from hikeshi.web import security
from hikeshi.web.app import create_app

WATCH = "ナミキ住宅"
ADMIN_NAME = "sato"
ADMIN_PASSWORD = "hikeshi-admin-pass"
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Account:
    user: User
    password: str


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store.open(settings) as opened:
        opened.add_watch(
            Watch(name=WATCH, terms=["ナミキ住宅", "ナミキ"], exclude=["ナミキ川"], risk_terms=["不買"])
        )
        yield opened


@pytest.fixture
def accounts(store: Store) -> AccountStore:
    return AccountStore(store)


@pytest.fixture
def app(settings: Settings, store: Store) -> FastAPI:
    return create_app(settings, store)


@pytest.fixture
def admin_user(accounts: AccountStore) -> Account:
    return Account(security.create_user(accounts, ADMIN_NAME, Role.ADMIN, ADMIN_PASSWORD), ADMIN_PASSWORD)


def make_user(accounts: AccountStore, name: str, role: Role, password: str = "hikeshi-user-pass") -> Account:
    return Account(security.create_user(accounts, name, role, password), password)


def make_token(accounts: AccountStore, role: Role, name: str | None = None) -> str:
    _token, secret = security.create_token(accounts, name or f"test-{role.value}", role)
    return secret


@pytest.fixture
def token(accounts: AccountStore) -> str:
    """An analyst token (the default role of `hikeshi tokens create`)."""
    return make_token(accounts, Role.ANALYST)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as anonymous:
        yield anonymous


def _token_client(app: FastAPI, secret: str) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, headers={"Authorization": f"Bearer {secret}"}) as authed:
        yield authed


@pytest.fixture
def viewer_client(app: FastAPI, accounts: AccountStore) -> Iterator[TestClient]:
    yield from _token_client(app, make_token(accounts, Role.VIEWER))


@pytest.fixture
def analyst_client(app: FastAPI, token: str) -> Iterator[TestClient]:
    yield from _token_client(app, token)


@pytest.fixture
def admin_client(app: FastAPI, accounts: AccountStore) -> Iterator[TestClient]:
    yield from _token_client(app, make_token(accounts, Role.ADMIN))


def form_csrf(html: str) -> str:
    """The CSRF token rendered into a page's form."""
    found = _CSRF_FIELD.search(html)
    assert found is not None, "no csrf_token field in the page"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str, next_url: str = "/") -> str:
    """Sign in through the login form; returns the session's CSRF token (for forms and X-CSRF-Token)."""
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"name": name, "password": password, "next": next_url, "csrf_token": form_csrf(page.text)},
    )
    assert answer.status_code == 303, answer.text
    return form_csrf(client.get("/logout").text)


@pytest.fixture
def browser(app: FastAPI, admin_user: Account) -> Iterator[TestClient]:
    """A browser signed in as the admin through the real login form."""
    with TestClient(app, follow_redirects=False) as signed_in:
        signed_in.headers["X-CSRF-Token"] = log_in(signed_in, admin_user.user.name, admin_user.password)
        yield signed_in
