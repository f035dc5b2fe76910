"""GET/POST /login and POST /logout: password sign-in that starts a server-side session (cookie = random id).

The session cookie is HttpOnly and SameSite=Lax (Secure when `HIKESHI_COOKIE_SECURE=1`); the login form
itself carries a CSRF token (double-submit cookie), so another site cannot sign a browser into its account.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hikeshi.web import security
from hikeshi.web.auth import (
    SESSION_COOKIE,
    BadCredentials,
    accounts_of,
    current_user,
    safe_next,
    settings_of,
    verify_csrf,
)
from hikeshi.web.throttle import LoginThrottle

router = APIRouter(include_in_schema=False)
BAD_LOGIN = "ユーザー名またはパスワードが違います。"
TOO_MANY = "ログインの失敗が続いたため、しばらくログインできません。15 分ほど待ってからお試しください。"


def _login_page(request: Request, next_url: str, error: str | None = None, name: str = "") -> Response:
    from hikeshi.web.app import templates

    return templates.TemplateResponse(
        request,
        "login.html",
        {"next": safe_next(next_url), "error": error, "name": name},
        status_code=status.HTTP_401_UNAUTHORIZED if error else status.HTTP_200_OK,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next)


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    accounts = accounts_of(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    account_key = "user:" + name.strip().casefold()
    address_key = "addr:" + (request.client.host if request.client else "unknown")
    if throttle.blocked(account_key, address_key):
        page = _login_page(request, next, TOO_MANY, name)
        page.status_code = status.HTTP_429_TOO_MANY_REQUESTS
        return page
    user = security.authenticate(accounts, name.strip(), password) if name.strip() and password else None
    if user is None:
        throttle.failed(account_key, address_key)
        return _login_page(request, next, BAD_LOGIN, name)
    throttle.succeeded(account_key)
    settings = settings_of(request)
    lifetime = dt.timedelta(hours=settings.session_hours)
    session_id, _session = security.start_session(accounts, user, lifetime)
    response = RedirectResponse(safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return response


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        security.end_session(accounts_of(request), cookie)
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


@router.get("/logout", response_class=HTMLResponse)
def logout_form(request: Request) -> Response:
    """A page with the sign-out button, so that a plain link can lead to a (CSRF-protected) POST."""
    from hikeshi.web.app import templates

    try:
        user = current_user(request)
    except BadCredentials:
        user = None
    return templates.TemplateResponse(request, "logout.html", {"user": user})
