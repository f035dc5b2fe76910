"""Evidence screenshots in Debian's headless Chromium: the captured bytes are what is drawn, and the browser
reaches nothing the SSRF guard would refuse.

Skipped where Chromium or Playwright is missing, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from hikeshi.respond.evidence import EvidenceKind, EvidenceStore, capture_url, export_zip, verify_zip
from hikeshi.respond.evidence.screenshot import browser_missing, render
from tests.respond.evidence.conftest import Flame, settings_for
from tests.sources.loopback import Reply, serving

pytestmark = pytest.mark.browser

PAGE = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ミナト住建の営業の LINE</title>'
    '<link rel="stylesheet" href="/static/site.css"></head><body><article><h1>ミナト住建の営業の LINE</h1>'
    "<p>先にわかっていたら会社や私も無駄な時間は使わない、と送られてきました。</p>"
    '<img src="{secret}"><script>fetch("{secret}?from=script")</script></article></body></html>'
)


@pytest.fixture(autouse=True)
def browser_or_skip(minato: Flame) -> None:
    missing = browser_missing(minato.settings)
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing)
        pytest.skip(missing)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_a_page_capture_includes_a_full_page_screenshot_that_verifies(minato: Flame, tmp_path: Path) -> None:
    with serving() as server:
        server.route("/static/site.css", Reply(200, "body { background: #fee; }", content_type="text/css"))
        url = server.route(
            "/blog/line",
            Reply(200, PAGE.format(secret="/img/a.png"), content_type="text/html; charset=utf-8"),
        )
        server.route("/img/a.png", Reply(404, b""))
        captured = capture_url(minato.store, minato.settings, minato.incident_id, url, "法務 鈴木")
        assert (
            len(server.seen("/blog/line")) == 1
        )  # the browser drew the captured bytes, it did not fetch again
    by_kind = {evidence.kind: evidence for evidence in captured}
    assert set(by_kind) == {
        EvidenceKind.HTML,
        EvidenceKind.TEXT,
        EvidenceKind.HEADERS,
        EvidenceKind.SCREENSHOT,
    }
    shot = by_kind[EvidenceKind.SCREENSHOT]
    png = EvidenceStore(minato.store).content(shot.id)
    width, height = _png_size(png)
    assert shot.media_type == "image/png" and width == 1280 and height >= 900
    fetched = {item["url"].removeprefix(server.base_url): item for item in shot.meta["subresources"]}
    assert fetched["/static/site.css"]["status"] == 200 and len(fetched["/static/site.css"]["sha256"]) == 64
    assert not any("from=script" in url for url in fetched)  # scripts are off
    assert by_kind[EvidenceKind.HTML].meta["screenshot"] == "taken"
    out = tmp_path / "with_screenshot.zip"
    export_zip(minato.store, minato.incident_id, out, "法務 鈴木")
    assert verify_zip(out).ok


def test_the_browser_never_reaches_a_private_address_when_it_is_not_allowed(minato: Flame) -> None:
    guarded = settings_for(minato.database, allow_private_urls=False)
    with serving() as server:
        secret = server.route("/latest/meta-data/iam", Reply(200, b"secret-token", content_type="image/png"))
        html = PAGE.format(secret=secret).encode()
        shot = render(guarded, server.base_url + "/blog/line", html, "text/html; charset=utf-8")
        assert server.requests == []
    assert shot.png is not None and _png_size(shot.png)[0] == 1280
    refused = {item["url"]: item["reason"] for item in shot.refused}
    assert "内部・ループバック・予約済みのアドレスのため取得しません" in refused[secret]
    assert server.base_url + "/static/site.css" in refused and shot.fetched == []
