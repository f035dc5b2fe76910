"""Ingest speed: posts per second through ingest → analyze → store (SQLite), against SudachiPy tokenization.

Both sides are measured in this run on the same texts, so the ratio is the figure to quote (issue bar: the
marginal cost per post of `hikeshi ingest` ≤ 10× a SudachiPy mode C tokenization of the same text).
1. in-process, per post: `ingest_file` into a fresh SQLite file (JSON parse, exclusion, key lookup, analysis,
   insert with FTS triggers, one transaction per batch, near-duplicate grouping and its UPDATE), the same
   without grouping, and each stage alone;
2. end-to-end: `hikeshi ingest` as a subprocess on N and 4N posts, marginal = (T4N - TN) / 3N, against a
   subprocess that reads the same JSON lines and tokenizes each text with SudachiPy.
Texts: the team's examples and japanese_toxic (bench/_data.py) plus WRIME v1 dev sentences when present.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sudachipy import Dictionary, SplitMode

from _data import SHARED, benchmark_texts
from hikeshi.analysis import NearDuplicateGrouper, analyze
from hikeshi.ingest import ingest_file
from hikeshi.ingest.readers import read_jsonl
from hikeshi.records import Watch
from hikeshi.store import Store

WATCH = "ベンチ株式会社"
SUDACHI_SCRIPT = """
import json, sys
from sudachipy import Dictionary, SplitMode
tokenizer = Dictionary().tokenizer(mode=SplitMode.C)
for line in sys.stdin.buffer:
    if line.strip():
        tokenizer.tokenize(json.loads(line)["text"])
"""


def texts() -> list[str]:
    result = benchmark_texts()
    wrime = SHARED / "wrime_v1" / "dev.tsv"
    if wrime.exists():
        with wrime.open(encoding="utf-8") as handle:
            result += [row["Sentence"] for row in csv.DictReader(handle, delimiter="\t")]
    return [text for text in result if text.strip()]


def write_posts(items: list[str], path: Path, copies: int = 1) -> None:
    start = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            for index, text in enumerate(items):
                number = copy * len(items) + index
                record = {
                    "source": "x",
                    "source_id": str(number),
                    "author": f"user{number % 997}",
                    "text": text,
                    "created_at": (start + dt.timedelta(seconds=30 * number)).isoformat(),
                    "metrics": {"likes": number % 50},
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def fresh_store(directory: Path, name: str) -> str:
    url = f"sqlite:///{directory / name}"
    with Store(url) as store:
        store.add_watch(Watch(name=WATCH, terms=["ベンチ"]))
    return url


def best_of(runs: int, function: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    items = texts()
    print(f"posts: {len(items)} (mean {sum(map(len, items)) / len(items):.0f} characters)")
    tokenizer = Dictionary().tokenizer(mode=SplitMode.C)
    analyze(["ウォームアップ"])
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        small, large = directory / "n.jsonl", directory / "4n.jsonl"
        write_posts(items, small)
        write_posts(items, large, copies=4)

        sudachi = best_of(3, lambda: [tokenizer.tokenize(t) for t in items]) / len(items)
        run = iter(range(1000))

        def ingest_once() -> None:
            with Store(fresh_store(directory, f"in-process-{next(run)}.sqlite3")) as store:
                ingest_file(store, WATCH, str(small))

        ingest = best_of(3, ingest_once) / len(items)

        def ingest_ungrouped() -> None:
            with Store(fresh_store(directory, f"in-process-{next(run)}.sqlite3")) as store:
                ingest_file(store, WATCH, str(small), group_duplicates=False)

        ungrouped = best_of(3, ingest_ungrouped) / len(items)
        fetched = dt.datetime.now(dt.UTC)
        with small.open("rb") as handle:
            posts = [record.post for record in read_jsonl(handle, fetched) if record.post is not None]
        parse = best_of(3, lambda: list(read_jsonl(small.open("rb"), fetched))) / len(items)
        analyses = analyze(items)
        analysis = best_of(3, lambda: [analyze(items[i : i + 500]) for i in range(0, len(items), 500)]) / len(
            items
        )

        def store_once() -> None:
            with Store(fresh_store(directory, f"store-{next(run)}.sqlite3")) as store:
                for i in range(0, len(posts), 500):
                    store.add_posts(WATCH, posts[i : i + 500], analyses[i : i + 500])

        storing = best_of(3, store_once) / len(items)

        def group_once() -> None:
            grouper = NearDuplicateGrouper()
            for i in range(0, len(posts), 500):
                grouper.add_many((post.key, post.text) for post in posts[i : i + 500])

        grouping = best_of(3, group_once) / len(items)
        grouper = NearDuplicateGrouper()
        keys = [(post.source, post.source_id) for post in posts]
        groups = dict(zip(keys, grouper.add_many((post.key, post.text) for post in posts), strict=True))
        print(f"near-duplicate groups: {len(set(groups.values()))} for {len(groups)} posts")
        with Store(fresh_store(directory, f"groups-{next(run)}.sqlite3")) as store:
            store.add_posts(WATCH, posts, analyses)
            recording = best_of(3, lambda: store.set_dup_groups(WATCH, groups)) / len(items)
        print("\n[in-process, per post]")
        print(f"  SudachiPy tokenize (mode C)          {sudachi * 1e6:8.1f} µs   1.00×")
        print(f"  ingest_file (parse+analyze+store)    {ingest * 1e6:8.1f} µs   {ingest / sudachi:5.2f}×"
              f"   {1 / ingest:,.0f} posts/s")  # fmt: skip
        print(
            f"  ingest_file without grouping         {ungrouped * 1e6:8.1f} µs   {ungrouped / sudachi:5.2f}×"
        )
        print(f"    parse JSON lines → Post            {parse * 1e6:8.1f} µs   {parse / sudachi:5.2f}×")
        print(f"    analyze (batches of 500)           {analysis * 1e6:8.1f} µs   {analysis / sudachi:5.2f}×")
        print(f"    store (SQLite, FTS5 trigram)       {storing * 1e6:8.1f} µs   {storing / sudachi:5.2f}×")
        print(f"    near-duplicate grouping (MinHash)  {grouping * 1e6:8.1f} µs   {grouping / sudachi:5.2f}×")
        print(
            f"    store dup groups (UPDATE)          {recording * 1e6:8.1f} µs   {recording / sudachi:5.2f}×"
        )

        marginal: dict[str, float] = {}
        for name in ("sudachi", "ingest"):
            timings = {}
            for label, path in (("n", small), ("4n", large)):
                samples = []
                for attempt in range(3):
                    if name == "sudachi":
                        command = [sys.executable, "-c", SUDACHI_SCRIPT]
                        env = None
                    else:
                        url = fresh_store(directory, f"cli-{label}-{attempt}.sqlite3")
                        command = [sys.executable, "-m", "hikeshi", "ingest", "--watch", WATCH, "-"]
                        env = {"HIKESHI_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
                    with path.open("rb") as handle:
                        start = time.perf_counter()
                        subprocess.run(command, stdin=handle, stdout=subprocess.DEVNULL, env=env, check=True)
                        samples.append(time.perf_counter() - start)
                timings[label] = min(samples)
            marginal[name] = (timings["4n"] - timings["n"]) / (3 * len(items))
        ratio = marginal["ingest"] / marginal["sudachi"]
        print("\n[end-to-end subprocess, marginal per post]")
        print(f"  python + SudachiPy per line          {marginal['sudachi'] * 1e6:8.1f} µs   1.00×")
        print(f"  hikeshi ingest (SQLite)              {marginal['ingest'] * 1e6:8.1f} µs   {ratio:5.2f}×"
              f"   {1 / marginal['ingest']:,.0f} posts/s")  # fmt: skip


if __name__ == "__main__":
    main()
