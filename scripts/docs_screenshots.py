"""Screenshots for the documentation, from one command: `.venv/bin/python scripts/docs_screenshots.py`.

Why a script: pictures in a guide drift as fast as the pages they show, so they are never taken by hand. This
builds the real state a reader would have (the bundled replay of the ミナト住建 flame ingested, its signals
detected, its incident opened), serves the real app with uvicorn on a loopback port, drives Debian's headless
Chromium through Playwright (no browser download), and writes the PNGs into docs/images/. Each picture is a
viewport-sized shot (not a full page) so it stays small; the script fails if one is over `MAX_BYTES`.
Pages that a version of the app does not have yet (the incident room) are left out.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from hikeshi.ingest import ingest_file
from hikeshi.ingest.incidents import detect_and_respond
from hikeshi.records import Signal, Watch
from hikeshi.respond.playbooks import default_playbook
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app

REPOSITORY = Path(__file__).resolve().parents[1]
REPLAY = REPOSITORY / "data" / "replay" / "minato_flame.jsonl"
OUTPUT = REPOSITORY / "docs" / "images"
WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建", "ミナトホーム"])
USER, PASSWORD = "koho", "docs-screenshot-pass"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: Any = {"width": 1200, "height": 820}  # playwright's ViewportSize
MAX_BYTES = 300_000
TIMEOUT_MS = 20_000
DRAFT = (
    "ご検討いただきありがとうございました。先にわかっていたら会社や私も無駄な時間は使わない。"
    "またの機会がありましたらよろしくお願いします。"
)


@dataclass(frozen=True)
class Shot:
    file: str
    take: Callable[[Any, str, list[Signal]], None]
    needs_path: str | None = None  # a page the app must serve, for pages not every version has


def _dashboard(page: Any, server: str, _signals: list[Signal]) -> None:
    page.set_viewport_size({"width": VIEWPORT["width"], "height": 1040})  # down to the whole chart
    page.goto(f"{server}/watches/{WATCH.name}")
    page.wait_for_selector("#chart[data-rendered=true]")


def _signal(page: Any, server: str, signals: list[Signal]) -> None:
    page.set_viewport_size(VIEWPORT)
    worst = max(signals, key=lambda signal: (signal.severity, -signal.detected_at.timestamp()))
    page.goto(
        f"{server}/watches/{WATCH.name}/signals/{worst.kind.value}/{int(worst.window_start.timestamp())}"
    )
    page.wait_for_selector("#why-title")


def _guard(page: Any, server: str, _signals: list[Signal]) -> None:
    page.goto(f"{server}/guard")
    page.fill("#text", DRAFT)
    page.select_option("#channel", "line")
    page.select_option("#audience", "customer")
    page.click("button:has-text('チェックする')")
    page.wait_for_selector("#verdict")


def _incident(page: Any, server: str, _signals: list[Signal]) -> None:
    page.set_viewport_size({"width": VIEWPORT["width"], "height": 1000})
    page.goto(f"{server}/incidents/1")
    page.wait_for_load_state("networkidle")


SHOTS = (
    Shot("dashboard.png", _dashboard),
    Shot("signal.png", _signal),
    Shot("guard.png", _guard),
    Shot("incident.png", _incident, needs_path="/incidents/1"),
)


def prepare(folder: Path) -> tuple[Settings, Store, list[Signal]]:
    """The state of a reader who followed 「シグナルの意味」: the replay ingested, detected, an incident open."""
    settings = Settings(database_url=f"sqlite:///{folder / 'hikeshi.sqlite3'}", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(settings)
    store.add_watch(WATCH)
    ingest_file(store, WATCH.name, str(REPLAY))
    outcome = detect_and_respond(store, WATCH.name, default_playbook())
    security.create_user(AccountStore(store), USER, Role.ADMIN, PASSWORD)
    return settings, store, outcome.signals


@contextmanager
def serving(settings: Settings, store: Store) -> Iterator[str]:
    """The real app on uvicorn, on a free loopback port, in a thread; yields its URL."""
    app = create_app(settings, store)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.02)
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def take_screenshots(output: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit("/usr/bin/chromium がありません（apt-get install chromium fonts-noto-cjk）。")
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        settings, store, signals = prepare(Path(folder))
        with serving(settings, store) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=VIEWPORT, locale="ja-JP", timezone_id="Asia/Tokyo")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto(f"{server}/login")
            page.fill("#name", USER)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{server}/")
            for shot in SHOTS:
                if shot.needs_path and not page.request.get(server + shot.needs_path).ok:
                    print(f"{shot.file}: この版の Web 画面にはないページなので省きます。")
                    continue
                shot.take(page, server, signals)
                target = output / shot.file
                page.screenshot(path=str(target))
                written.append(target)
            browser.close()
        store.close()
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUTPUT, help="出力先のフォルダー（既定 docs/images）")
    arguments = parser.parse_args(argv)
    arguments.out.mkdir(parents=True, exist_ok=True)
    too_large = []
    for path in take_screenshots(arguments.out):
        size = path.stat().st_size
        print(f"{path}  {size / 1000:.0f} KB")
        if size > MAX_BYTES:
            too_large.append(path)
    if too_large:
        print(f"{MAX_BYTES // 1000} KB を超えました: {', '.join(map(str, too_large))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
