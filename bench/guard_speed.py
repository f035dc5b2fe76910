"""Guard speed: marginal cost per message of `hikeshi check --jsonl` against SudachiPy tokenization.

Both are measured in this run on the same messages, so the ratio is what to quote; absolute times are noise.
1. in-process: `run_jsonl` (JSON parse, check, JSON dump) vs `tokenizer.tokenize` of each text;
2. end-to-end: `hikeshi check --jsonl` as a subprocess on N and 4N lines, marginal = (T4N - TN) / 3N,
   against the same for a subprocess that tokenizes each line with SudachiPy;
3. single-message latency p50 / p99 of `guard.check`.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sudachipy import Dictionary, SplitMode

from _data import benchmark_texts
from hikeshi.cli.check import run_jsonl
from hikeshi.guard import default_guard

SUDACHI_SCRIPT = """
import json, sys
from sudachipy import Dictionary, SplitMode
tokenizer = Dictionary().tokenizer(mode=SplitMode.C)
for line in sys.stdin.buffer:
    if line.strip():
        tokenizer.tokenize(json.loads(line)["text"])
"""


def best_of(runs: int, function: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def write_jsonl(texts: list[str], path: Path) -> None:
    path.write_text(
        "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )


def run_subprocess(command: list[str], path: Path) -> float:
    with path.open("rb") as handle:
        start = time.perf_counter()
        subprocess.run(command, stdin=handle, stdout=subprocess.DEVNULL, check=False)
        return time.perf_counter() - start


def main() -> None:
    texts = benchmark_texts()
    chars = sum(map(len, texts))
    print(f"messages: {len(texts)} (mean {chars / len(texts):.0f} characters)")
    tokenizer = Dictionary().tokenizer(mode=SplitMode.C)
    guard = default_guard()
    guard.check("ウォームアップ")

    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "n.jsonl", Path(tmp) / "4n.jsonl"
        write_jsonl(texts, small)
        write_jsonl(texts * 4, large)

        sudachi = best_of(5, lambda: [tokenizer.tokenize(t) for t in texts]) / len(texts)
        in_process = best_of(5, lambda: run_jsonl(guard, str(small), io.StringIO())) / len(texts)
        print("\n[in-process, per message]")
        print(f"  SudachiPy tokenize (mode C)        {sudachi * 1e6:8.1f} µs   1.00×")
        print(
            f"  guard --jsonl path (parse+check+dump) {in_process * 1e6:5.1f} µs   {in_process / sudachi:.2f}×"
        )

        guard_cmd = [sys.executable, "-m", "hikeshi", "check", "--jsonl", "-"]
        sudachi_cmd = [sys.executable, "-c", SUDACHI_SCRIPT]
        marginal = {}
        for name, command in (("sudachi", sudachi_cmd), ("guard", guard_cmd)):
            t_small = min(run_subprocess(command, small) for _ in range(3))
            t_large = min(run_subprocess(command, large) for _ in range(3))
            marginal[name] = (t_large - t_small) / (3 * len(texts))
        print("\n[end-to-end subprocess, marginal per message]")
        print(f"  python + SudachiPy per line        {marginal['sudachi'] * 1e6:8.1f} µs   1.00×")
        ratio = marginal["guard"] / marginal["sudachi"]
        print(f"  hikeshi check --jsonl              {marginal['guard'] * 1e6:8.1f} µs   {ratio:.2f}×")

    latencies = []
    for text in texts:
        start = time.perf_counter()
        guard.check(text)
        latencies.append(time.perf_counter() - start)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print("\n[single message latency of guard.check]")
    print(
        f"  p50 {statistics.median(latencies) * 1e6:.0f} µs   p99 {p99 * 1e6:.0f} µs   max {latencies[-1] * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
