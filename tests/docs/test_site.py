"""The documentation site builds offline with --strict, and works opened from disk with nothing from a CDN.

`mkdocs build --strict` fails on a broken link, a missing page or a warning from the reference hook. The built
HTML and CSS are then read for any resource (script, stylesheet, font, image, frame) loaded over http(s), and
for the CDN hosts Material would use by default (Google Fonts, unpkg for its file:// search shim). Finally a
real headless Chromium opens `index.html` from disk, follows a link and runs a search, and every request it
makes must stay on file://.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs.examples import REPOSITORY
from tests.docs.reference import load_hook

pytestmark = pytest.mark.slow

MKDOCS = Path(sys.executable).parent / "mkdocs"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
_LOADED = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=[\"'](https?:)?//"
    r"|<link\b[^>]*\bhref=[\"'](https?:)?//"
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//"
    r"|url\(\s*[\"']?(?:https?:)?//",
    flags=re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from this checkout with --strict (no network is needed or used)."""
    target = tmp_path_factory.mktemp("site")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environment = {key: value for key, value in environment.items() if not key.startswith("HIKESHI_")}
    built = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(target)],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stdout}\n{built.stderr}"
    return target


def test_the_site_has_every_page_of_the_navigation(site: Path) -> None:
    for page in (
        "index.html",
        "install.html",
        "guard.html",
        "monitor/index.html",
        "monitor/signals.html",
        "monitor/alerts.html",
        "respond.html",
        "evidence.html",
        "prevent.html",
        "operations.html",
        "developers/architecture.html",
        "developers/contributing.html",
        "en.html",
    ):
        assert (site / page).is_file(), f"{page} was not built"
    for generated in load_hook().reference_pages():
        built = site / generated.replace(".md", ".html")
        assert built.is_file(), f"{generated} was not generated"
    cli = (site / "reference" / "cli.html").read_text("utf-8")
    assert "hikeshi watch add" in cli and "--terms" in cli


def _text_files(site: Path) -> Iterator[Path]:
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css") and path.is_file():
            yield path


def test_no_page_loads_anything_from_the_network(site: Path) -> None:
    """Fonts, scripts, styles and images all come from the site itself, so it reads offline and from disk."""
    offenders = []
    for path in _text_files(site):
        text = path.read_text("utf-8", errors="replace")
        for match in _LOADED.finditer(text):
            offenders.append(f"{path.relative_to(site)}: {text[match.start() : match.start() + 120]!r}")
        for host in load_hook().CDN_HOSTS:
            if host in text:
                offenders.append(f"{path.relative_to(site)}: mentions {host}")
    assert not offenders, "\n".join(offenders)


def test_links_work_from_disk(site: Path) -> None:
    """use_directory_urls is off: every internal link names an .html file that exists. (404.html is only used
    by a web server, which serves it at any depth, so its links are absolute.)"""
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for target in re.findall(r'href="([^"#:?]+\.html)(?:#[^"]*)?"', page.read_text("utf-8")):
            if not (page.parent / target).resolve().is_file():
                broken.append(f"{page.relative_to(site)} → {target}")
    assert not broken, "\n".join(broken[:20])


@pytest.mark.browser
def test_a_reader_opens_the_site_from_disk_and_searches(site: Path) -> None:
    in_ci = os.environ.get("CI", "").lower() == "true"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            pytest.fail("playwright がありません（pip install playwright）。")
        pytest.skip("playwright がありません")
    if not CHROMIUM.exists():
        if in_ci:
            pytest.fail("/usr/bin/chromium がありません（apt-get install chromium）。")
        pytest.skip("/usr/bin/chromium がありません")
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="ja-JP")
        page.set_default_timeout(15_000)
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((site / "index.html").as_uri())
        assert "hikeshi" in page.title()
        page.click("nav.md-nav >> text=導入")
        page.wait_for_url("**/install.html")
        assert page.locator("h1").first.inner_text().startswith("導入")
        page.fill("input.md-search__input", "プレイブック")
        page.wait_for_selector(".md-search-result__item")
        assert page.locator(".md-search-result__item").count() >= 1
        browser.close()
    outside = [url for url in requests if not url.startswith(("file://", "data:", "blob:", "about:"))]
    assert not outside, f"requests left the disk: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
