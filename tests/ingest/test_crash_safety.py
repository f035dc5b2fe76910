"""kill -9 in the middle of `hikeshi ingest`, twice, then the same command again: every post exactly once.

The ingest really runs as a separate process (`python -m hikeshi ingest`), and SIGKILL gives it no chance to
clean up, so this is the crash a real machine sees. The test waits for the first committed batches by
polling the database (the only observable progress) and kills the process while it is still working.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hikeshi.records import Watch
from hikeshi.store import Store

WATCH = "ナミキ住宅"
TOTAL = 2000
BATCH = 50
OPENINGS = [
    "ナミキ住宅の",
    "ナミキの",
    "ナミキ住宅で家を建てたけど、",
    "ナミキ住宅って",
    "【拡散希望】ナミキ住宅の",
]
SUBJECTS = [
    "営業",
    "社長",
    "現場監督",
    "アフター対応",
    "見積もり",
    "モデルハウス",
    "会社の体質",
    "担当者のLINE",
]
ENDINGS = [
    "が最悪。二度と買わない",
    "、丁寧で良かった",
    "について記事が出てる",
    "が炎上してるらしい",
    "、普通だった",
    "が素敵でした",
]


def generate(path: Path) -> None:
    rng = random.Random(20260501)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(TOTAL):
            record: dict[str, object] = {
                "text": f"{rng.choice(OPENINGS)}{rng.choice(SUBJECTS)}{rng.choice(ENDINGS)}（{index}）",
                "created_at": f"2026-05-{1 + index % 14:02d}T{index % 24:02d}:{index % 60:02d}:00",
                "author": f"user{rng.randrange(800)}",
                "author_followers": rng.randrange(20000),
            }
            if index % 2:  # half with an id from the source, half keyed by content hash
                record |= {"source": "x", "source_id": str(1790000000000000000 + index)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def count(database: Path, table: str = "posts") -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def hikeshi(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hikeshi", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_leaves_every_post_once(tmp_path: Path) -> None:
    database = tmp_path / "hikeshi.sqlite3"
    env = {**os.environ, "HIKESHI_DATABASE_URL": f"sqlite:///{database}"}
    source = tmp_path / "posts.jsonl"
    generate(source)
    with Store(env["HIKESHI_DATABASE_URL"]) as store:
        store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅", "ナミキ"]))
    command = ("ingest", "--watch", WATCH, str(source), "--batch-size", str(BATCH))

    kill_points = [BATCH, count(database) + TOTAL // 3]
    for kill_after in kill_points:
        before = count(database)
        process = hikeshi(*command, env=env)
        deadline = time.monotonic() + 120
        while count(database) < max(kill_after, before + BATCH) and process.poll() is None:
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.02)
        assert process.poll() is None, "the ingest finished before it could be killed; make TOTAL larger"
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
        assert before < count(database) < TOTAL

    finished = hikeshi(*command, env=env)
    stdout, stderr = finished.communicate(timeout=300)
    assert finished.returncode == 0, stderr.decode()
    assert f"読み込み {TOTAL:,} 件" in stdout.decode() and "不正 0 件" in stdout.decode()
    with sqlite3.connect(database) as connection:
        posts, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT source || ':' || source_id) FROM posts"
        ).fetchone()
        assert posts == distinct == TOTAL
        assert connection.execute("SELECT count(*) FROM analyses").fetchone()[0] == TOTAL
        connection.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)")
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
