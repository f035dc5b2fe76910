"""Who is calling: a browser session cookie or an `Authorization: Bearer` API token, and what they may do.

Every API route depends on `require_api_user(role)` (401/403 JSON) and every page on `require_page_user(role)`
(a browser without a session is sent to /login; tools may send the Bearer token to fetch pages too).
Forms post a CSRF token: render `csrf_token(request)` in a hidden field named `csrf_token` (or send it as the
`X-CSRF-Token` header from scripts) and add `Depends(verify_csrf)` to the POST route. A signed-in browser's
token is bound to its session (stored server-side); before login it is a double-submit cookie. Requests
authenticated with a Bearer token need no CSRF token, because browsers never attach that header on their own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict
from starlette.datastructures import UploadFile

from hikeshi.settings import Settings
from hikeshi.store.accounts import AccountStore, Role, WebSession
from hikeshi.web import security

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "CsrfError",
    "CurrentUser",
    "LoginRequired",
    "PageForbidden",
    "Role",
    "csrf_token",
    "current_user",
    "require_api_user",
    "require_page_user",
    "safe_next",
    "verify_csrf",
]

SESSION_COOKIE = "hikeshi_session"
CSRF_COOKIE = "hikeshi_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_IDENTITY = "hikeshi_identity"
_SESSION = "hikeshi_session"
NEW_CSRF_COOKIE = "hikeshi_new_csrf_cookie"
"""request.state key: a CSRF cookie value minted during this request, set on the response by the middleware."""

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="`hikeshi tokens create NAME` で作ったトークンを `Authorization: Bearer <トークン>` で送ります。",
)


class CurrentUser(BaseModel):
    """The caller: a user signed in through the browser, or the name of an API token."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: Role
    via: Literal["session", "token"]


class LoginRequired(Exception):
    """A page was requested without a session; the app answers 303 to /login?next=…"""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CsrfError(Exception):
    """A form or unsafe request came without the right CSRF token; answered with 403."""


class BadCredentials(Exception):
    pass


def accounts_of(request: Request) -> AccountStore:
    accounts: AccountStore = request.app.state.accounts
    return accounts


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def current_user(request: Request) -> CurrentUser | None:
    """The caller, or None when anonymous; raises BadCredentials for a wrong Authorization header.

    Resolved once per request (the result is kept on request.state).
    """
    state = request.state
    if hasattr(state, _IDENTITY):
        identity: CurrentUser | BadCredentials | None = getattr(state, _IDENTITY)
        if isinstance(identity, BadCredentials):
            raise identity
        return identity
    try:
        identity = _identify(request)
    except BadCredentials as error:
        setattr(state, _IDENTITY, error)
        raise
    setattr(state, _IDENTITY, identity)
    return identity


def _identify(request: Request) -> CurrentUser | None:
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        token = (
            security.resolve_token(accounts_of(request), secret.strip())
            if scheme.lower() == "bearer"
            else None
        )
        if token is None:
            raise BadCredentials
        return CurrentUser(name=token.name, role=token.role, via="token")
    session = web_session(request)
    if session is None:
        return None
    return CurrentUser(name=session.user.name, role=session.user.role, via="session")


def web_session(request: Request) -> WebSession | None:
    """The browser session of this request (None without a valid, unexpired session cookie)."""
    if hasattr(request.state, _SESSION):
        cached: WebSession | None = getattr(request.state, _SESSION)
        return cached
    cookie = request.cookies.get(SESSION_COOKIE)
    session = security.resolve_session(accounts_of(request), cookie) if cookie else None
    setattr(request.state, _SESSION, session)
    return session


def _forbidden_message(user: CurrentUser, needed: Role) -> str:
    return f"この操作には{needed.label}以上の権限が必要です（「{user.name}」は{user.role.label}です）。"


def require_api_user(min_role: Role = Role.VIEWER) -> Callable[..., Awaitable[CurrentUser]]:
    """Dependency for /api routes: 401 JSON without valid credentials, 403 JSON when the role is too low.

    A browser session calling an unsafe method must also send its CSRF token in `X-CSRF-Token`.
    """

    async def dependency(
        request: Request,
        _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    ) -> CurrentUser:
        try:
            user = current_user(request)
        except BadCredentials:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "トークンが無効です（失効したか、値が違います）。`hikeshi tokens create` で作り直してください。",
                headers={"WWW-Authenticate": "Bearer"},
            ) from None
        if user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "認証が必要です。`Authorization: Bearer <トークン>` を付けるか、ログインしてください。",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not user.role.allows(min_role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, _forbidden_message(user, min_role))
        if user.via == "session" and request.method not in SAFE_METHODS:
            session = web_session(request)
            if not security.same_secret(
                request.headers.get(CSRF_HEADER), session.csrf_token if session else None
            ):
                raise HTTPException(
                    status.HTTP_403_FORBIDDEN,
                    f"CSRF トークンがありません。ページを読み込み直してください（{CSRF_HEADER} ヘッダー）。",
                )
        return user

    return dependency


def require_page_user(min_role: Role = Role.VIEWER) -> Callable[[Request], CurrentUser]:
    """Dependency for HTML pages: a browser without a session is redirected (303) to /login?next=<this page>."""

    def dependency(request: Request) -> CurrentUser:
        try:
            user = current_user(request)
        except BadCredentials:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "トークンが無効です。", headers={"WWW-Authenticate": "Bearer"}
            ) from None
        if user is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        if not user.role.allows(min_role):
            raise PageForbidden(_forbidden_message(user, min_role))
        return user

    return dependency


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(safe_next(next_url), safe="/")


def safe_next(next_url: str | None) -> str:
    """Only same-site paths: 「//evil.example」 or 「https://…」 would make the login page an open redirect."""
    if not next_url or not next_url.startswith("/") or next_url.startswith(("//", "/\\")):
        return "/"
    if any(ord(character) < 32 for character in next_url):
        return "/"
    return next_url


def csrf_token(request: Request) -> str:
    """The token to put in this page's forms (hidden field `csrf_token`) or in `X-CSRF-Token` from scripts."""
    session = web_session(request)
    if session is not None:
        return session.csrf_token
    minted: str | None = getattr(request.state, NEW_CSRF_COOKIE, None)
    if minted:
        return minted
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie and 20 <= len(cookie) <= 100:
        return cookie
    minted = security.new_secret()
    setattr(request.state, NEW_CSRF_COOKIE, minted)
    return minted


async def verify_csrf(request: Request) -> None:
    """Dependency for POST forms: the submitted token must match the session's (or the CSRF cookie before login)."""
    if request.method in SAFE_METHODS:
        return
    try:
        user = current_user(request)
    except BadCredentials:
        user = None
    if user is not None and user.via == "token":
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = None if isinstance(value, UploadFile) else value
    session = web_session(request)
    expected = session.csrf_token if session is not None else request.cookies.get(CSRF_COOKIE)
    if not security.same_secret(sent, expected):
        raise CsrfError
