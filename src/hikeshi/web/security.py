"""Secrets of the web app: password hashing, API tokens and session ids (no web framework in here).

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations). API tokens and
session ids are 256-bit random strings, stored as SHA-256: guessing one is hopeless, so a slow hash would add
cost to every request and no safety. The CLI (`hikeshi users`, `hikeshi tokens`) and the app both call these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hikeshi.errors import InputError
from hikeshi.store.accounts import AccountStore, ApiToken, Role, User, WebSession

TOKEN_PREFIX = "hks_"
"""Marks hikeshi tokens so that secret scanners and people recognise a leaked one."""
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 100

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("hikeshi-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    """A 256-bit random string, URL-safe (for tokens, session ids and CSRF tokens)."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; a missing value never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def check_name(name: str, what: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InputError(f"{what}の名前を指定してください。")
    if len(cleaned) > MAX_NAME_LENGTH or any(
        character.isspace() or not character.isprintable() for character in cleaned
    ):
        raise InputError(
            f"{what}の名前は空白を含まない {MAX_NAME_LENGTH} 文字以内にしてください（{name!r}）。"
        )
    return cleaned


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"パスワードは {MIN_PASSWORD_LENGTH} 文字以上にしてください。")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"パスワードは {MAX_PASSWORD_LENGTH} 文字以内にしてください。")
    return password


# --- accounts ---------------------------------------------------------------------------------------------------


def create_user(accounts: AccountStore, name: str, role: Role, password: str) -> User:
    return accounts.add_user(check_name(name, "ユーザー"), role, hash_password(check_password(password)))


def change_password(accounts: AccountStore, name: str, password: str) -> None:
    accounts.set_password_hash(name, hash_password(check_password(password)))


def authenticate(accounts: AccountStore, name: str, password: str) -> User | None:
    """The user when the password matches, else None; unknown names cost as much as wrong passwords."""
    stored = accounts.password_hash(name)
    if stored is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(stored, password):
        return None
    return accounts.find_user(name)


def create_token(accounts: AccountStore, name: str, role: Role) -> tuple[ApiToken, str]:
    """A new API token and its secret, which is shown once and never stored."""
    secret = TOKEN_PREFIX + new_secret()
    token = accounts.add_token(check_name(name, "トークン"), role, hash_secret(secret))
    return token, secret


def resolve_token(accounts: AccountStore, secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return accounts.token_by_hash(hash_secret(secret))


def start_session(accounts: AccountStore, user: User, lifetime: dt.timedelta) -> tuple[str, WebSession]:
    """A new browser session: the cookie value (clear, sent once) and the session as stored."""
    session_id = new_secret()
    csrf = new_secret()
    expires_at = dt.datetime.now(dt.UTC) + lifetime
    accounts.add_session(user, hash_secret(session_id), csrf, expires_at)
    return session_id, WebSession(user=user, csrf_token=csrf, expires_at=expires_at)


def resolve_session(accounts: AccountStore, session_id: str) -> WebSession | None:
    if not session_id or len(session_id) > 200:
        return None
    return accounts.session_by_hash(hash_secret(session_id))


def end_session(accounts: AccountStore, session_id: str) -> None:
    if session_id and len(session_id) <= 200:
        accounts.remove_session(hash_secret(session_id))
