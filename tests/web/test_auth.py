"""Sign-in, sessions, tokens, roles and CSRF, through real HTTP requests against the app."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import unquote

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from hikeshi.web.auth import CurrentUser, require_page_user, verify_csrf
from tests.web.conftest import ADMIN_NAME, ADMIN_PASSWORD, Account, form_csrf, log_in, make_token, make_user

NOT_SIGNED_IN = "認証が必要です"
BAD_TOKEN = "トークンが無効です"


def page_app(settings: Settings, store: Store) -> FastAPI:
    """The app plus two pages guarded like B's pages, so that these tests do not depend on them."""
    app = create_app(settings, store)
    router = APIRouter()

    @router.get("/test-page")
    def page(user: Annotated[CurrentUser, Depends(require_page_user(Role.VIEWER))]) -> dict[str, str]:
        return {"name": user.name, "via": user.via}

    @router.post("/test-admin-form", dependencies=[Depends(verify_csrf)])
    def admin_form(user: Annotated[CurrentUser, Depends(require_page_user(Role.ADMIN))]) -> dict[str, str]:
        return {"done": user.name}

    app.include_router(router)
    return app


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/watches", None),
        ("GET", "/api/watches/ナミキ住宅/posts", None),
        ("GET", "/api/watches/ナミキ住宅/timeseries", None),
        ("POST", "/api/check", {"text": "二度と来ないでください"}),
        ("POST", "/api/watches/ナミキ住宅/posts", []),
        ("GET", "/api/me", None),
    ],
)
def test_api_without_credentials_is_401_json(
    client: TestClient, method: str, path: str, body: object
) -> None:
    answer = client.request(method, path, json=body)
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["www-authenticate"] == "Bearer"
    assert NOT_SIGNED_IN in answer.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer hks_not-a-real-token-at-all-000000000000000",
        "Bearer ",
        "Basic c2F0bzpwYXNz",
        "hks_missing-scheme",
    ],
)
def test_wrong_authorization_header_is_401(client: TestClient, admin_user: Account, header: str) -> None:
    answer = client.get("/api/watches", headers={"Authorization": header})
    assert answer.status_code == 401
    assert BAD_TOKEN in answer.json()["detail"]


def test_revoked_token_is_refused(client: TestClient, accounts: AccountStore) -> None:
    secret = make_token(accounts, Role.VIEWER, "cms")
    assert client.get("/api/watches", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    accounts.revoke_token("cms")
    answer = client.get("/api/watches", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401 and BAD_TOKEN in answer.json()["detail"]


def test_token_is_stored_only_as_its_hash(accounts: AccountStore, store: Store) -> None:
    token, secret = security.create_token(accounts, "portal", Role.VIEWER)
    assert secret.startswith("hks_") and len(secret) > 40
    dump = "\n".join(store.engine.raw_connection().iterdump())  # type: ignore[attr-defined]
    assert secret not in dump
    assert security.hash_secret(secret) in dump
    assert token.name == "portal" and token.active


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "allowed"),
    [
        (Role.VIEWER, "GET", "/api/watches", None, True),
        (Role.VIEWER, "POST", "/api/check", {"text": "本日はありがとうございました"}, False),
        (Role.VIEWER, "POST", "/api/watches/ナミキ住宅/posts", [], False),
        (Role.ANALYST, "POST", "/api/check", {"text": "本日はありがとうございました"}, True),
        (Role.ANALYST, "POST", "/api/watches/ナミキ住宅/posts", [], True),
        (Role.ANALYST, "POST", "/api/watches", {"name": "ミドリ食品", "terms": ["ミドリ食品"]}, False),
        (Role.ANALYST, "GET", "/api/users", None, False),
        (Role.ADMIN, "POST", "/api/watches", {"name": "ミドリ食品", "terms": ["ミドリ食品"]}, True),
        (Role.ADMIN, "GET", "/api/users", None, True),
    ],
)
def test_roles(
    client: TestClient,
    accounts: AccountStore,
    role: Role,
    method: str,
    path: str,
    body: object,
    allowed: bool,
) -> None:
    secret = make_token(accounts, role)
    answer = client.request(method, path, json=body, headers={"Authorization": f"Bearer {secret}"})
    if allowed:
        assert answer.status_code in (200, 201), answer.text
    else:
        assert answer.status_code == 403
        assert "権限が必要です" in answer.json()["detail"]


def test_login_page_is_japanese_with_csrf_field(client: TestClient) -> None:
    page = client.get("/login?next=/watches/ナミキ住宅")
    assert page.status_code == 200
    assert "ログイン" in page.text and "パスワード" in page.text
    assert form_csrf(page.text)
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("hikeshi_csrf=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_sets_a_safe_session_cookie_and_redirects(client: TestClient, admin_user: Account) -> None:
    csrf = form_csrf(client.get("/login").text)
    answer = client.post(
        "/login",
        data={
            "name": ADMIN_NAME,
            "password": ADMIN_PASSWORD,
            "next": "/watches/ナミキ住宅",
            "csrf_token": csrf,
        },
    )
    assert answer.status_code == 303
    assert unquote(answer.headers["location"]) == "/watches/ナミキ住宅"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("hikeshi_session=")
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Path=/" in cookie
    assert "Secure" not in cookie
    me = client.get("/api/me")
    assert me.json() == {"name": ADMIN_NAME, "role": "admin", "via": "session"}


def test_secure_cookies_when_configured(settings: Settings, store: Store, admin_user: Account) -> None:
    app = create_app(settings.model_copy(update={"cookie_secure": True}), store)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        page = client.get("/login")
        assert "Secure" in page.headers["set-cookie"]
        answer = client.post(
            "/login",
            data={"name": ADMIN_NAME, "password": ADMIN_PASSWORD, "csrf_token": form_csrf(page.text)},
        )
        assert "Secure" in answer.headers["set-cookie"]


@pytest.mark.parametrize(
    ("name", "password"),
    [(ADMIN_NAME, "wrong-password"), ("tanaka", ADMIN_PASSWORD), (ADMIN_NAME, ""), ("", ADMIN_PASSWORD)],
)
def test_bad_password_is_refused_without_saying_which(
    client: TestClient, admin_user: Account, name: str, password: str
) -> None:
    csrf = form_csrf(client.get("/login").text)
    answer = client.post("/login", data={"name": name, "password": password, "csrf_token": csrf})
    assert answer.status_code == 401
    assert "ユーザー名またはパスワードが違います。" in answer.text
    assert "hikeshi_session" not in answer.headers.get("set-cookie", "")
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/watches/ナミキ住宅?page=2", "/watches/ナミキ住宅?page=2"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_never_redirects_off_site(
    client: TestClient, admin_user: Account, next_url: str, expected: str
) -> None:
    csrf = form_csrf(client.get("/login").text)
    answer = client.post(
        "/login", data={"name": ADMIN_NAME, "password": ADMIN_PASSWORD, "next": next_url, "csrf_token": csrf}
    )
    assert answer.status_code == 303 and unquote(answer.headers["location"]) == expected


@pytest.mark.parametrize("csrf", [None, "", "forged-token-value-forged-token-value-123"])
def test_login_without_the_right_csrf_token_is_refused(
    client: TestClient, admin_user: Account, csrf: str | None
) -> None:
    client.get("/login")  # the browser has a CSRF cookie, but the forged form does not carry its value
    data = {"name": ADMIN_NAME, "password": ADMIN_PASSWORD}
    if csrf is not None:
        data["csrf_token"] = csrf
    answer = client.post("/login", data=data, headers={"Accept": "text/html"})
    assert answer.status_code == 403
    assert "不正な送信です" in answer.text
    assert client.get("/api/me").status_code == 401


def test_page_redirects_to_login_and_accepts_bearer(
    settings: Settings, store: Store, accounts: AccountStore
) -> None:
    with TestClient(page_app(settings, store), follow_redirects=False) as client:
        answer = client.get("/test-page?q=不買")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=/test-page")
        secret = make_token(accounts, Role.VIEWER, "crawler")
        fetched = client.get("/test-page", headers={"Authorization": f"Bearer {secret}"})
        assert fetched.status_code == 200 and fetched.json() == {"name": "crawler", "via": "token"}
        assert client.get("/test-page", headers={"Authorization": "Bearer hks_wrong"}).status_code == 401


def test_page_form_needs_csrf_and_role(settings: Settings, store: Store, accounts: AccountStore) -> None:
    viewer = make_user(accounts, "suzuki", Role.VIEWER)
    admin = make_user(accounts, "sato", Role.ADMIN)
    app = page_app(settings, store)
    with TestClient(app, follow_redirects=False) as browser:
        csrf = log_in(browser, admin.user.name, admin.password)
        assert browser.post("/test-admin-form", data={"csrf_token": csrf}).json() == {"done": "sato"}
        refused = browser.post(
            "/test-admin-form", data={"csrf_token": "x" * 43}, headers={"Accept": "text/html"}
        )
        assert refused.status_code == 403 and "text/html" in refused.headers["content-type"]
        assert browser.post("/test-admin-form", data={}).status_code == 403
    with TestClient(app, follow_redirects=False) as browser:
        csrf = log_in(browser, viewer.user.name, viewer.password)
        answer = browser.post("/test-admin-form", data={"csrf_token": csrf})
        assert answer.status_code == 403 and "管理者以上の権限が必要です" in answer.text


def test_session_api_writes_need_the_csrf_header(browser: TestClient) -> None:
    csrf = browser.headers.pop("X-CSRF-Token")
    refused = browser.post("/api/check", json={"text": "本日はありがとうございました"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = browser.post(
        "/api/check", json={"text": "本日はありがとうございました"}, headers={"X-CSRF-Token": csrf}
    )
    assert accepted.status_code == 200
    assert browser.get("/api/watches").status_code == 200  # reads need no token


def test_logout_ends_the_session(browser: TestClient) -> None:
    session_cookie = browser.cookies.get("hikeshi_session")
    assert session_cookie
    answer = browser.post("/logout", data={"csrf_token": browser.headers["X-CSRF-Token"]})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert browser.get("/api/me").status_code == 401
    # the old cookie value, replayed, is dead on the server too
    browser.cookies.set("hikeshi_session", session_cookie)
    assert browser.get("/api/me").status_code == 401


def test_expired_session_is_refused(client: TestClient, accounts: AccountStore, admin_user: Account) -> None:
    live_id, _ = security.start_session(accounts, admin_user.user, dt.timedelta(hours=1))
    expired_id, _ = security.start_session(accounts, admin_user.user, dt.timedelta(seconds=-1))
    client.cookies.set("hikeshi_session", live_id)
    assert client.get("/api/me").status_code == 200
    client.cookies.set("hikeshi_session", expired_id)
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize("change", ["remove", "password"])
def test_removing_a_user_or_changing_the_password_ends_sessions(
    browser: TestClient, accounts: AccountStore, change: str
) -> None:
    assert browser.get("/api/me").status_code == 200
    if change == "remove":
        accounts.remove_user(ADMIN_NAME)
    else:
        security.change_password(accounts, ADMIN_NAME, "a-brand-new-password")
    assert browser.get("/api/me").status_code == 401


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/login", "/api/watches", "/openapi.json"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_repeated_failures_lock_the_login_for_a_while(client: TestClient, admin_user: Account) -> None:
    csrf = form_csrf(client.get("/login").text)
    for _ in range(5):
        bad = client.post(
            "/login", data={"name": admin_user.user.name, "password": "wrong", "csrf_token": csrf}
        )
        assert bad.status_code == 401
    # Even the right password waits now: a guessing attack cannot tell when it has succeeded.
    locked = client.post(
        "/login", data={"name": admin_user.user.name, "password": admin_user.password, "csrf_token": csrf}
    )
    assert locked.status_code == 429
    assert "しばらくログインできません" in locked.text
    assert "hikeshi_session" not in locked.headers.get("set-cookie", "")
