"""Users, API tokens and sessions stored on SQLite and PostgreSQL (migration 0002_auth)."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security


@pytest.fixture
def accounts(store: Store) -> AccountStore:
    return AccountStore(store)


def test_users_roundtrip(accounts: AccountStore) -> None:
    user = security.create_user(accounts, "佐藤", Role.ADMIN, "とても長いパスワード")
    assert accounts.find_user("佐藤") == user and user.role.label == "管理者"
    assert security.authenticate(accounts, "佐藤", "とても長いパスワード") == user
    assert security.authenticate(accounts, "佐藤", "違うパスワード") is None
    with pytest.raises(InputError, match="既にあります"):
        security.create_user(accounts, "佐藤", Role.VIEWER, "別のパスワード1")
    accounts.set_role("佐藤", Role.VIEWER)
    assert [(u.name, u.role) for u in accounts.list_users()] == [("佐藤", Role.VIEWER)]


def test_sessions_end_with_the_user(accounts: AccountStore) -> None:
    user = security.create_user(accounts, "sato", Role.ANALYST, "password-1234")
    session_id, session = security.start_session(accounts, user, dt.timedelta(hours=1))
    assert security.resolve_session(accounts, session_id) == session
    assert security.resolve_session(accounts, session_id + "x") is None
    accounts.remove_user("sato")
    assert security.resolve_session(accounts, session_id) is None


def test_tokens_revoke_and_reuse_names(accounts: AccountStore) -> None:
    _token, secret = security.create_token(accounts, "cms", Role.VIEWER)
    resolved = security.resolve_token(accounts, secret)
    assert resolved is not None and resolved.last_used_at is not None
    accounts.revoke_token("cms")
    assert security.resolve_token(accounts, secret) is None
    _again, new_secret = security.create_token(accounts, "cms", Role.ADMIN)
    assert security.resolve_token(accounts, new_secret) is not None
    assert [(t.name, t.role, t.active) for t in accounts.list_tokens()] == [("cms", Role.ADMIN, True)]


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        (Role.VIEWER, Role.VIEWER, True),
        (Role.VIEWER, Role.ANALYST, False),
        (Role.ANALYST, Role.VIEWER, True),
        (Role.ANALYST, Role.ADMIN, False),
        (Role.ADMIN, Role.ANALYST, True),
    ],
)
def test_role_order(role: Role, needed: Role, allowed: bool) -> None:
    assert role.allows(needed) is allowed
