"""Guard quality on real quoted texts: flamed posts quoted in news articles and ordinary firm texts from guides.

The texts are third-party material and are not in the repository: `data/guard_examples/real_quoted/sources.jsonl`
lists each one's source address, label, kind, part and SHA-256, and the texts themselves live in a local, git-ignored
`texts.local.jsonl` next to it (see that folder's README). This script fetches nothing: it checks the local copy
against the manifest, then scores one part.

    .venv/bin/python bench/guard_real_quoted.py              # the dev part
    .venv/bin/python bench/guard_real_quoted.py --part blind # the blind part: measure it once, then record the result
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter

from _data import EXAMPLES, read_jsonl
from guard_eval import Labelled, model_level, scores
from hikeshi.guard import Guard
from hikeshi.guard.classifier import LinearTextModel
from hikeshi.records import Level

FOLDER = EXAMPLES / "real_quoted"


def load(part: str) -> list[tuple[Labelled, str]]:
    """The texts of one part with their ids, after checking every local text against the manifest's hash."""
    manifest = {str(row["id"]): row for row in read_jsonl(FOLDER / "sources.jsonl")}
    local = FOLDER / "texts.local.jsonl"
    if not local.exists():
        sys.exit(
            f"{local} がありません。README の手順でテキストを手元に用意してください（配布はしていません）。"
        )
    items = []
    for row in read_jsonl(local):
        entry = manifest.get(str(row["id"]))
        text = str(row["text"])
        if entry is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["sha256"]:
            sys.exit(f"{row['id']}: the local text does not match sources.jsonl (hash or id).")
        if entry["part"] == part:
            items.append((Labelled(text, entry["label"] == "risky", str(entry["kind"])), str(row["id"])))
    return items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("dev", "blind"), default="dev")
    parser.add_argument(
        "--errors", action="store_true", help="list missed and false-alarm ids with their rules"
    )
    args = parser.parse_args()
    items = load(args.part)
    guard = Guard()
    rules_only = Guard(model=LinearTextModel("silent", -20.0, {}, 0.5, 0.9))
    labelled = [item for item, _ in items]
    positives = sum(item.risky for item in labelled)
    print(
        f"== real quoted texts, {args.part}: {len(labelled)} ({positives} risky, {len(labelled) - positives} not)"
    )
    print(f"  {'system':28} {'P':>6} {'R':>6} {'F1':>6} {'FPR':>6} {'DR':>6}")
    for name, judge in (
        ("hikeshi guard", lambda t: guard.check(t).level),
        ("  lexicon+detectors only", lambda t: rules_only.check(t).level),
        ("  shipped model only", lambda t: model_level(guard.model, t)),
    ):
        s = scores(labelled, judge)
        print(f"  {name:28} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {s['FPR']:6.3f} {s['DR']:6.3f}")
    missed: Counter[str] = Counter()
    for item, item_id in items:
        verdict = guard.check(item.text)
        if (verdict.level != Level.OK) != item.risky:
            if item.risky:
                missed[item.kind] += 1
            if args.errors:
                tag = "MISS" if item.risky else f"FALSE {verdict.level.value}"
                print(f"    {tag} {item_id} [{item.kind}] {','.join(f.rule for f in verdict.findings)}")
    print("  missed by kind:", dict(missed.most_common()))


if __name__ == "__main__":
    main()
