"""Users, API tokens and browser sessions of the web app, stored beside the monitoring data.

The store keeps only hashes; hashing and checking secrets is `hikeshi.web.security`'s job, so this module
never sees a password or a token in clear.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hikeshi.errors import InputError
from hikeshi.store.auth_models import ApiTokenRow, SessionRow, UserRow
from hikeshi.store.base import StoreBase
from hikeshi.timezones import utc_now


class Role(StrEnum):
    """What an account may do: viewers read, analysts also write posts and run checks, admins manage."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return ROLE_ORDER.index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_ORDER = (Role.VIEWER, Role.ANALYST, Role.ADMIN)
ROLE_LABELS = {Role.VIEWER: "閲覧者", Role.ANALYST: "分析担当", Role.ADMIN: "管理者"}


class User(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    role: Role
    created_at: AwareDatetime


class ApiToken(BaseModel):
    """An API token as listed: never the secret itself."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: Role
    created_at: AwareDatetime
    last_used_at: AwareDatetime | None = None
    revoked_at: AwareDatetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class WebSession(BaseModel):
    """A signed-in browser: who, until when, and the CSRF token its forms must echo."""

    model_config = ConfigDict(frozen=True)

    user: User
    csrf_token: str
    expires_at: AwareDatetime


TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)
"""`last_used_at` is written at most this often, so that a busy API client does not write on every call."""


class AccountStore:
    """Accounts on the same database as a `Store` (whose migrations create the tables)."""

    def __init__(self, store: StoreBase) -> None:
        self.engine = store.engine
        self.writer = store.writer

    # --- users ------------------------------------------------------------------------------------------------

    def add_user(self, name: str, role: Role, password_hash: str) -> User:
        row = UserRow(name=name, role=role.value, password_hash=password_hash, created_at=utc_now())
        try:
            with Session(self.writer) as session, session.begin():
                session.add(row)
                session.flush()
                return _user(row)
        except IntegrityError:
            raise InputError(f"ユーザー「{name}」は既にあります。") from None

    def find_user(self, name: str) -> User | None:
        with Session(self.engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            return _user(row) if row is not None else None

    def password_hash(self, name: str) -> str | None:
        with Session(self.engine) as session:
            return session.scalar(select(UserRow.password_hash).where(UserRow.name == name))

    def list_users(self) -> list[User]:
        with Session(self.engine) as session:
            return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]

    def set_password_hash(self, name: str, password_hash: str) -> None:
        """Change a password; the user's browser sessions end, so a stolen session dies with the old password."""
        with self.writer.begin() as connection:
            user_id = connection.scalar(select(UserRow.id).where(UserRow.name == name))
            if user_id is None:
                raise InputError(no_user_message(name))
            connection.execute(
                update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
            )
            connection.execute(delete(SessionRow).where(SessionRow.user_id == user_id))

    def set_role(self, name: str, role: Role) -> None:
        with self.writer.begin() as connection:
            if (
                connection.execute(
                    update(UserRow).where(UserRow.name == name).values(role=role.value)
                ).rowcount
                == 0
            ):
                raise InputError(no_user_message(name))

    def remove_user(self, name: str) -> None:
        with self.writer.begin() as connection:
            user_id = connection.scalar(select(UserRow.id).where(UserRow.name == name))
            if user_id is None:
                raise InputError(no_user_message(name))
            # Explicit as well as ON DELETE CASCADE: SQLite files opened without foreign keys keep sessions.
            connection.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
            connection.execute(delete(UserRow).where(UserRow.id == user_id))

    # --- API tokens -------------------------------------------------------------------------------------------

    def add_token(self, name: str, role: Role, token_hash: str) -> ApiToken:
        """Store a new token; a revoked token's name may be reused, an active one's may not."""
        with Session(self.writer) as session, session.begin():
            existing = session.scalar(select(ApiTokenRow).where(ApiTokenRow.name == name))
            if existing is not None:
                if existing.revoked_at is None:
                    raise InputError(
                        f"トークン「{name}」は既にあります。別の名前にするか、"
                        f"`hikeshi tokens revoke {name}` で失効させてから作り直してください。"
                    )
                session.delete(existing)
                session.flush()
            row = ApiTokenRow(
                name=name,
                role=role.value,
                token_hash=token_hash,
                created_at=utc_now(),
                last_used_at=None,
                revoked_at=None,
            )
            session.add(row)
            session.flush()
            return _token(row)

    def list_tokens(self) -> list[ApiToken]:
        with Session(self.engine) as session:
            return [_token(row) for row in session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.name))]

    def revoke_token(self, name: str) -> None:
        with self.writer.begin() as connection:
            result = connection.execute(
                update(ApiTokenRow)
                .where(ApiTokenRow.name == name, ApiTokenRow.revoked_at.is_(None))
                .values(revoked_at=utc_now())
            )
            if result.rowcount == 0:
                raise InputError(
                    f"有効なトークン「{name}」はありません。`hikeshi tokens list` で確認してください。"
                )

    def token_by_hash(self, token_hash: str, now: dt.datetime | None = None) -> ApiToken | None:
        """The active token with this hash (None when unknown or revoked); records when it was last used."""
        now = now or utc_now()
        with Session(self.engine) as session:
            row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
            if row is None or row.revoked_at is not None:
                return None
            token = _token(row)
        if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
            with self.writer.begin() as connection:
                connection.execute(
                    update(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash).values(last_used_at=now)
                )
            token = token.model_copy(update={"last_used_at": now})
        return token

    # --- browser sessions -------------------------------------------------------------------------------------

    def add_session(self, user: User, session_hash: str, csrf_token: str, expires_at: dt.datetime) -> None:
        """Start a session (and drop expired ones, so the table never grows without bound)."""
        now = utc_now()
        with self.writer.begin() as connection:
            connection.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
            connection.execute(
                insert(SessionRow),
                {
                    "session_hash": session_hash,
                    "user_id": user.id,
                    "csrf_token": csrf_token,
                    "created_at": now,
                    "expires_at": expires_at,
                },
            )

    def session_by_hash(self, session_hash: str, now: dt.datetime | None = None) -> WebSession | None:
        now = now or utc_now()
        with Session(self.engine) as session:
            found = session.execute(
                select(SessionRow, UserRow)
                .join(UserRow, UserRow.id == SessionRow.user_id)
                .where(SessionRow.session_hash == session_hash, SessionRow.expires_at > now)
            ).first()
            if found is None:
                return None
            session_row, user_row = found
            return WebSession(
                user=_user(user_row), csrf_token=session_row.csrf_token, expires_at=session_row.expires_at
            )

    def remove_session(self, session_hash: str) -> None:
        with self.writer.begin() as connection:
            connection.execute(delete(SessionRow).where(SessionRow.session_hash == session_hash))


def no_user_message(name: str) -> str:
    return f"ユーザー「{name}」はいません。`hikeshi users list` で確認してください。"


def _user(row: UserRow) -> User:
    return User(id=row.id, name=row.name, role=Role(row.role), created_at=row.created_at)


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        name=row.name,
        role=Role(row.role),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
