"""`hikeshi serve` as a real process on a free loopback port, set up with the real CLI on a fresh database:
the scenario the issue is judged by (watch add → ingest an XSS post → tokens create → serve → HTTP)."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

WATCH = "ナミキ住宅"
XSS_TEXT = "ナミキ住宅の営業ひどい <script>alert(1)</script> 拡散希望"
STARTUP_TIMEOUT_SECONDS = 60
pytestmark = pytest.mark.slow  # five real processes: about 10 s, most of it loading the analyzers
LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def run_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "hikeshi", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"hikeshi {' '.join(args)}: {done.stderr}"
    return done


def _pump(stream: object, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        lines.put(line)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, token) of a `hikeshi serve` process on a fresh SQLite database."""
    folder: Path = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "HIKESHI_DATABASE_URL": f"sqlite:///{folder / 'hikeshi.sqlite3'}"}
    env.pop("HIKESHI_COOKIE_SECURE", None)
    run_cli(env, "watch", "add", WATCH, "--terms", "ナミキ住宅,ナミキ")
    posts = folder / "posts.jsonl"
    posts.write_text(
        json.dumps(
            {"source": "x", "source_id": "1", "text": XSS_TEXT, "created_at": "2026-11-01T10:00:00+09:00"}
        )
        + "\n",
        encoding="utf-8",
    )
    run_cli(env, "ingest", "--watch", WATCH, str(posts))
    token = run_cli(env, "tokens", "create", "judge").stdout.strip()
    assert token.startswith("hks_")
    process = subprocess.Popen(
        [sys.executable, "-m", "hikeshi", "serve", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stderr, lines), daemon=True).start()
    seen: list[str] = []
    try:
        while True:
            try:
                line = lines.get(timeout=STARTUP_TIMEOUT_SECONDS)
            except queue.Empty:
                pytest.fail(f"hikeshi serve did not start: {''.join(seen)}")
            seen.append(line)
            found = LISTENING.search(line)
            if found:
                break
            assert process.poll() is None, f"hikeshi serve exited: {''.join(seen)}"
        yield f"http://127.0.0.1:{found.group(1)}", token
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_openapi_is_served(served: tuple[str, str]) -> None:
    base, _ = served
    answer = httpx.get(f"{base}/openapi.json")
    assert answer.status_code == 200 and "/api/check" in answer.json()["paths"]


def test_api_needs_the_token(served: tuple[str, str]) -> None:
    base, token = served
    refused = httpx.get(f"{base}/api/watches")
    assert refused.status_code == 401 and "認証が必要です" in refused.json()["detail"]
    answer = httpx.get(f"{base}/api/watches", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    [summary] = answer.json()
    assert summary["watch"]["name"] == WATCH and summary["posts"] == 1


def test_check_answers_a_level(served: tuple[str, str]) -> None:
    base, token = served
    answer = httpx.post(
        f"{base}/api/check",
        json={
            "text": "先にわかっていたら会社や私も無駄な時間は使わない",
            "channel": "line",
            "audience": "customer",
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,  # the first check loads the guard's lexicon and model in the server process
    )
    assert answer.status_code == 200 and answer.json()["level"] == "danger"


def test_posts_page_shows_the_text_escaped(served: tuple[str, str]) -> None:
    base, token = served
    answer = httpx.get(f"{base}/watches/{WATCH}/posts", headers={"Authorization": f"Bearer {token}"})
    if answer.status_code == 404:
        pytest.skip("the mentions page /watches/{name}/posts (hikeshi.web.pages) does not exist yet")
    assert answer.status_code == 200, answer.text
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    anonymous = httpx.get(f"{base}/watches/{WATCH}/posts")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
