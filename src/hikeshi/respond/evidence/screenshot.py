"""A full-page PNG of a captured page, rendered by headless Chromium without letting the browser reach anything.

Two rules make the picture trustworthy and safe:

- the page is rendered from the bytes already captured (the HTML artefact), not fetched again, so the picture
  shows exactly what was hashed; scripts are off, because they would fetch a later state of the page;
- every request the browser makes (style sheets, images, frames) is answered by the SSRF-guarded client
  (`SafeHttpClient`), so a page cannot make the browser read http://169.254.169.254/ or an intranet host;
  requests it refuses are aborted and listed in the screenshot's metadata, with what was fetched and its hash.

Playwright (a dev dependency) and Chromium are optional at run time: without them the screenshot is skipped and
the reason is recorded, and the rest of the capture stands.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from hikeshi.errors import HikeshiError
from hikeshi.settings import Settings
from hikeshi.sources.http import SafeHttpClient

if TYPE_CHECKING:
    from playwright.sync_api import Route

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--dns-prefetch-disable",
]
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1280, 900
MAX_SUBRESOURCES = 80
MAX_SUBRESOURCE_BYTES = 5 * 1024 * 1024
LOAD_TIMEOUT_MS = 30_000


@dataclass
class Screenshot:
    """The PNG, or the reason there is none; and what the browser was given or refused while rendering."""

    png: bytes | None = None
    skipped_reason: str | None = None
    fetched: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def meta(self) -> dict[str, Any]:
        return {
            "rendered_from": "captured HTML (scripts off, every request through the SSRF guard)",
            "subresources": self.fetched,
            "refused": self.refused,
            "notes": self.notes,
        }


def browser_missing(settings: Settings) -> str | None:
    """Why a screenshot cannot be taken here, or None when Playwright and Chromium are both present."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright がインストールされていないため、スクリーンショットは取得していません"
    if not Path(settings.evidence_chromium_path).exists():
        return (
            f"Chromium（{settings.evidence_chromium_path}）がないため、スクリーンショットは取得していません"
        )
    return None


def render(
    settings: Settings, page_url: str, content: bytes, content_type: str, *, status: int = 200
) -> Screenshot:
    """Render `content` as if served from `page_url` and take a full-page PNG."""
    result = Screenshot()
    missing = browser_missing(settings)
    if missing is not None:
        result.skipped_reason = missing
        return result
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    client = SafeHttpClient(settings, max_bytes=MAX_SUBRESOURCE_BYTES)
    main_served = False

    def handle(route: Route) -> None:
        nonlocal main_served
        request = route.request
        if request.method != "GET":
            result.refused.append({"url": request.url, "reason": f"{request.method} は送りません"})
            route.abort()
            return
        if request.is_navigation_request() and request.frame.parent_frame is None:
            if main_served:  # a meta refresh would replace what was captured
                result.refused.append({"url": request.url, "reason": "ページの移動は行いません"})
                route.abort()
                return
            main_served = True
            route.fulfill(status=status, headers={"content-type": content_type}, body=content)
            return
        if len(result.fetched) >= MAX_SUBRESOURCES:
            result.refused.append({"url": request.url, "reason": f"読み込みは {MAX_SUBRESOURCES} 件までです"})
            route.abort()
            return
        try:
            response = client.get(request.url)
        except (HikeshiError, httpx.InvalidURL) as error:
            result.refused.append({"url": request.url, "reason": str(error)})
            route.abort()
            return
        result.fetched.append(
            {
                "url": request.url,
                "final_url": response.url,
                "status": response.status_code,
                "size": len(response.content),
                "sha256": hashlib.sha256(response.content).hexdigest(),
            }
        )
        headers = {"content-type": response.headers.get("content-type", "application/octet-stream")}
        route.fulfill(status=response.status_code, headers=headers, body=response.content)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=settings.evidence_chromium_path, args=CHROMIUM_ARGS
            )
            try:
                context = browser.new_context(
                    java_script_enabled=False,
                    service_workers="block",
                    viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT},
                    locale="ja-JP",
                )
                context.route("**/*", handle)
                page = context.new_page()
                try:
                    page.goto(page_url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
                except PlaywrightTimeout:
                    result.notes.append("読み込みが時間内に終わらなかったため、その時点の表示を撮りました")
                result.png = page.screenshot(full_page=True, type="png")
            finally:
                browser.close()
    except PlaywrightError as error:
        result.png = None
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        result.skipped_reason = (
            f"ブラウザでの描画に失敗したため、スクリーンショットは取得していません（{first_line}）"
        )
    finally:
        client.close()
    return result
