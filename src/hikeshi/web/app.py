"""The FastAPI application behind `hikeshi serve`: REST API under /api, HTML pages, login, static files.

`create_app(settings, store)` builds it; tests pass a store on a temporary SQLite file. Route handlers only
translate between HTTP and the library (hikeshi.guard, hikeshi.store, hikeshi.ingest, ...).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from hikeshi import __version__
from hikeshi.errors import ConflictError, HikeshiError, NotFoundError
from hikeshi.ingest.pipeline import DuplicateTrackers
from hikeshi.settings import Settings, load_settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore
from hikeshi.web.auth import CsrfError, LoginRequired, PageForbidden, csrf_token, login_url
from hikeshi.web.middleware import BodySizeLimit, SecurityHeaders
from hikeshi.web.schemas import validation_error_body
from hikeshi.web.throttle import LoginThrottle

WEB_DIR = Path(__file__).parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
PAGES_MODULE = "hikeshi.web.pages"

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,  # every template, whatever its extension: post texts are attacker-controlled
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.globals["csrf_token"] = csrf_token
templates = Jinja2Templates(env=_environment)
"""Templates under src/hikeshi/web/templates, autoescaped; `{{ csrf_token(request) }}` is available in all."""

DESCRIPTION = """\
hikeshi（火消し）の REST API です。送信前チェック（`/api/check`）と、ウォッチ（監視対象の会社・ブランド）の
投稿・シグナル・時系列・検索候補を扱います。

**認証**: `hikeshi tokens create 名前` で作ったトークンを `Authorization: Bearer <トークン>` で送ります
（ブラウザでログイン済みならセッションでも呼べます。その場合、書き込みには `X-CSRF-Token` ヘッダーが要ります）。

インシデント（1 件の炎上への対応: 役割・プレイブックのタスク・タイムライン・証拠・報告書）は `/api/incidents` です。

**権限**: 閲覧者（viewer）は読み取り、分析担当（analyst）は投稿の取り込みとチェック、インシデントのメモ・タスクの完了・
証拠保全、管理者（admin）はウォッチとユーザーの管理、インシデントを開く・閉じる・役割の割り当てができます。

**エラー**: 本文は `{"detail": "日本語の説明"}`。入力の誤りは 422（`errors` に項目ごとの理由）または 400、大きすぎる
本文は 413、存在しないウォッチ・インシデントは 404、ほかの人が先に変更した場合（完了済みのタスクなど）は 409 です。
"""


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app; it opens (and later closes) its own store from `settings.database_url` unless one is given."""
    settings = settings or load_settings()
    owns_store = store is None
    opened = store if store is not None else Store.open(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_store:
            opened.close()

    app = FastAPIOffline(
        title="hikeshi API",
        description=DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
        static_url="/docs-static",
        swagger_ui_parameters={"persistAuthorization": True},
    )
    app.state.settings = settings
    app.state.store = opened
    app.state.accounts = AccountStore(opened)
    app.state.login_throttle = LoginThrottle()
    app.state.duplicate_trackers = DuplicateTrackers(opened)
    app.state.templates = templates

    app.add_middleware(SecurityHeaders, secure_cookies=settings.cookie_secure)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    _add_exception_handlers(app)

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")

    from hikeshi.web.api import router as api_router
    from hikeshi.web.login import router as login_router

    app.include_router(api_router)
    app.include_router(login_router)
    if importlib.util.find_spec(PAGES_MODULE) is not None:
        pages = importlib.import_module(PAGES_MODULE)
        app.include_router(pages.router)
    return app


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _add_exception_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login_required(_request: Request, error: LoginRequired) -> Response:
        return RedirectResponse(login_url(error.next_url), status_code=status.HTTP_303_SEE_OTHER)

    @app.exception_handler(PageForbidden)
    async def _page_forbidden(_request: Request, error: PageForbidden) -> Response:
        return HTMLResponse(
            _message_page("権限がありません", error.message), status_code=status.HTTP_403_FORBIDDEN
        )

    @app.exception_handler(CsrfError)
    async def _csrf_failed(request: Request, _error: CsrfError) -> Response:
        message = "フォームの有効期限が切れたか、不正な送信です。ページを読み込み直してから、もう一度送ってください。"
        if _wants_html(request):
            return HTMLResponse(_message_page("送信できませんでした", message), status_code=403)
        return JSONResponse({"detail": message}, status_code=403)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> Response:
        return JSONResponse(
            validation_error_body(error.errors()).model_dump(),
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    @app.exception_handler(HikeshiError)
    async def _hikeshi_error(_request: Request, error: HikeshiError) -> Response:
        code = (
            status.HTTP_404_NOT_FOUND
            if isinstance(error, NotFoundError)
            else status.HTTP_409_CONFLICT
            if isinstance(error, ConflictError)
            else status.HTTP_400_BAD_REQUEST
        )
        return JSONResponse({"detail": str(error)}, status_code=code)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) else str(error.detail)
        if error.status_code == 404 and detail == "Not Found":
            detail = "ページが見つかりません。"
        elif error.status_code == 405 and detail == "Method Not Allowed":
            detail = "この URL ではそのメソッドは使えません。"
        elif error.status_code == 400 and detail == "There was an error parsing the body":
            # FastAPI's answer when json.loads fails other than by a syntax error: a body nested so deep that
            # it raises RecursionError, or one that is not UTF-8.
            detail = "本文を JSON として読めません（UTF-8 でないか、入れ子が深すぎます）。"
        if _wants_html(request):
            return HTMLResponse(
                _message_page("エラー", detail), status_code=error.status_code, headers=error.headers
            )
        return JSONResponse({"detail": detail}, status_code=error.status_code, headers=error.headers)


def _message_page(title: str, message: str) -> str:
    """A minimal page for errors raised before any template could render (escaped like everything else)."""
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(title)} - hikeshi</title></head><body><h1>{escape(title)}</h1>"
        f'<p>{escape(message)}</p><p><a href="/">トップへ</a></p></body></html>'
    )
