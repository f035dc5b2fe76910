"""Settings pages for admins: watches (add, remove), alert channels (list, add, remove) and users (list, add).

Forms post a CSRF token; the form fields become records in `hikeshi.report.forms`, and the changes go through
the same library calls as the CLI (`Store.add_watch`, `AlertBook.add_channel`, `security.create_user`).
Alert channels are kept in the database the monitor reads, so a channel added here is the one it sends to.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hikeshi.alerts import AlertBook, open_book
from hikeshi.alerts.http import check_url
from hikeshi.errors import HikeshiError
from hikeshi.report.forms import ChannelForm, channel_from_form, describe_channel, watch_from_form
from hikeshi.store.accounts import ROLE_LABELS, Role
from hikeshi.web import security
from hikeshi.web.auth import CurrentUser, accounts_of, settings_of, verify_csrf
from hikeshi.web.pages_support import Admin, render, store_of

router = APIRouter(include_in_schema=False)


def _watches_page(
    request: Request,
    user: CurrentUser,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    store = store_of(request)
    summaries = [store.watch_summary(watch.name) for watch in store.list_watches()]
    return render(
        request,
        "settings_watches.html",
        user,
        {"summaries": summaries, "message": message, "error": error},
        status_code=status_code,
    )


@router.get("/settings/watches", response_class=HTMLResponse)
def watches_settings(request: Request, user: Admin, added: str = "", removed: str = "") -> Response:
    message = (
        f"ウォッチ「{added}」を追加しました。"
        if added
        else f"ウォッチ「{removed}」を削除しました。"
        if removed
        else None
    )
    return _watches_page(request, user, message)


@router.post("/settings/watches", dependencies=[Depends(verify_csrf)])
def add_watch(
    request: Request,
    user: Admin,
    name: Annotated[str, Form()] = "",
    terms: Annotated[str, Form()] = "",
    exclude: Annotated[str, Form()] = "",
    risk_terms: Annotated[str, Form()] = "",
) -> Response:
    try:
        watch = store_of(request).add_watch(watch_from_form(name, terms, exclude, risk_terms))
    except HikeshiError as problem:
        return _watches_page(request, user, error=str(problem), status_code=422)
    return RedirectResponse(
        f"/settings/watches?added={quote(watch.name)}", status_code=status.HTTP_303_SEE_OTHER
    )


@router.post("/settings/watches/{name:path}/delete", dependencies=[Depends(verify_csrf)])
def remove_watch(request: Request, name: str, user: Admin) -> Response:
    try:
        store_of(request).remove_watch(name)
    except HikeshiError as problem:
        return _watches_page(request, user, error=str(problem), status_code=422)
    return RedirectResponse(f"/settings/watches?removed={quote(name)}", status_code=status.HTTP_303_SEE_OTHER)


def _book(request: Request) -> AlertBook:
    return open_book(store_of(request), settings_of(request))


def _alerts_page(
    request: Request,
    user: CurrentUser,
    message: str | None = None,
    error: str | None = None,
    secret: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        channels = _book(request).channels()
    except HikeshiError as problem:
        channels, error = [], str(problem)
    return render(
        request,
        "settings_alerts.html",
        user,
        {
            "channels": [(entry, describe_channel(entry)) for entry in channels],
            "watches": [watch.name for watch in store_of(request).list_watches()],
            "message": message,
            "error": error,
            "secret": secret,
        },
        status_code=status_code,
    )


@router.get("/settings/alerts", response_class=HTMLResponse)
def alerts_settings(request: Request, user: Admin) -> Response:
    return _alerts_page(request, user)


@router.post("/settings/alerts", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def add_alert_channel(
    request: Request,
    user: Admin,
    watch: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    secret: Annotated[str, Form()] = "",
    smtp_host: Annotated[str, Form()] = "",
    smtp_port: Annotated[str, Form()] = "",
    smtp_security: Annotated[str, Form()] = "starttls",
    sender: Annotated[str, Form()] = "",
    recipients: Annotated[str, Form()] = "",
    smtp_user: Annotated[str, Form()] = "",
    smtp_password: Annotated[str, Form()] = "",
) -> Response:
    settings = settings_of(request)
    form = ChannelForm(
        kind=kind,
        url=url,
        secret=secret,
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        smtp_security=smtp_security,
        sender=sender,
        recipients=recipients,
        smtp_user=smtp_user,
        smtp_password=smtp_password,
    )
    try:
        store_of(request).get_watch(watch)
        config, generated = channel_from_form(form)
        if config.kind in ("slack", "teams", "webhook"):
            check_url(url.strip(), settings)
        entry = _book(request).add_channel(watch, config, dt.datetime.now(dt.UTC))
    except HikeshiError as problem:
        return _alerts_page(request, user, error=str(problem), status_code=422)
    return _alerts_page(
        request,
        user,
        message=f"通知先 {entry.id} を追加しました: {describe_channel(entry)}",
        secret=generated,
    )


@router.post(
    "/settings/alerts/{channel_id}/delete", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)]
)
def remove_alert_channel(request: Request, channel_id: int, user: Admin) -> Response:
    try:
        entry = _book(request).remove_channel(channel_id)
    except HikeshiError as problem:
        return _alerts_page(request, user, error=str(problem), status_code=422)
    return _alerts_page(request, user, message=f"通知先 {entry.id} を削除しました: {describe_channel(entry)}")


def _users_page(
    request: Request,
    user: CurrentUser,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "settings_users.html",
        user,
        {
            "users": accounts_of(request).list_users(),
            "roles": ROLE_LABELS,
            "message": message,
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/settings/users", response_class=HTMLResponse)
def users_settings(request: Request, user: Admin) -> Response:
    return _users_page(request, user)


@router.post("/settings/users", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def add_user(
    request: Request,
    user: Admin,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "viewer",
    password: Annotated[str, Form()] = "",
) -> Response:
    try:
        chosen = Role(role)
    except ValueError:
        return _users_page(request, user, error=f"権限の指定が正しくありません（{role}）。", status_code=422)
    try:
        created = security.create_user(accounts_of(request), name, chosen, password)
    except HikeshiError as problem:
        return _users_page(request, user, error=str(problem), status_code=422)
    return _users_page(
        request, user, message=f"ユーザー「{created.name}」（{created.role.label}）を追加しました。"
    )
