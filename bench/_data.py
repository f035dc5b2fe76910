"""Shared loading of benchmark messages: the team's examples and, when present, ../shared evaluation data."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data" / "guard_examples"
SHARED = REPO.parent / "shared" / "data"


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def benchmark_texts() -> list[str]:
    """Every message available: own examples, the blind challenge set and japanese_toxic if present."""
    texts: list[str] = []
    for name in ("risky.jsonl", "fine.jsonl", "challenge.jsonl"):
        if (EXAMPLES / name).exists():
            texts += [str(row["text"]) for row in read_jsonl(EXAMPLES / name)]
    for split in ("train", "test"):
        path = SHARED / "japanese_toxic" / f"{split}.jsonl"
        if path.exists():
            texts += [str(row["text"]) for row in read_jsonl(path)]
    return texts
