"""Statement linter quality: how many criticised apologies it flags, and how many adequate ones, vs the plain guard.

Data (each printed with its size):
- data/statement_examples/blind.jsonl: the team's paraphrases (names replaced) of real Japanese apology
  statements and posts 2011–2025, 43 criticised by the public and 41 received as adequate, plus 60 sincere
  apologies written to look like dodges (look-alikes: ご不快な思いをおかけし, 誤解を招く表示, 一部の地域 …).
  Written before any linter rule and measured blind once (see data/statement_examples/README.md).
- tests/respond/statements/lint/data/examples.jsonl: the team's rule-writing examples (not blind).
"Flagged" means level caution or danger. The issue's bar: flag >= 65 % of criticised texts with <= 15 % of
adequate ones flagged. Baseline: `hikeshi.guard.check` on the same texts with no context, as today.
`--speed` also prints the linter's time per statement (after start-up) and for a statement of the maximum length (MAX_STATEMENT_CHARS).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _data import REPO, read_jsonl
from hikeshi.guard import check
from hikeshi.records import Level
from hikeshi.respond.statements.lint import MAX_STATEMENT_CHARS, lint_statement

BLIND = REPO / "data" / "statement_examples" / "blind.jsonl"
TEAM = REPO / "tests" / "respond" / "statements" / "lint" / "data" / "examples.jsonl"


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    criticised: bool
    group: str


def load(path: Path) -> list[Example]:
    examples = []
    for row in read_jsonl(path):
        criticised = row.get("label") == "criticised" or row.get("expect") == "flagged"
        group = str(row.get("group") or ("criticised" if criticised else "adequate"))
        examples.append(Example(str(row["id"]), str(row["text"]), criticised, group))
    return examples


def linter_flags(text: str) -> bool:
    return lint_statement(text).level != Level.OK


def guard_flags(text: str) -> bool:
    return check(text).level != Level.OK


def rate(flags: list[bool]) -> str:
    return f"{sum(flags) / len(flags):.0%} ({sum(flags)}/{len(flags)})" if flags else "-"


def report(
    name: str, examples: list[Example], flagger: Callable[[str], bool], label: str, show: bool
) -> None:
    flagged = {e.id: flagger(e.text) for e in examples}
    criticised = [flagged[e.id] for e in examples if e.criticised]
    adequate = [flagged[e.id] for e in examples if e.group == "adequate"]
    lookalike = [flagged[e.id] for e in examples if e.group == "lookalike"]
    fine = adequate + lookalike
    true_positive = sum(criticised)
    false_positive = sum(fine)
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    balanced = true_positive / (true_positive + sum(adequate)) if true_positive + sum(adequate) else 0.0
    print(
        f"  {label:<8} recall (criticised flagged) {rate(criticised):<14} "
        f"false alarms: adequate {rate(adequate):<13} look-alikes {rate(lookalike):<13} "
        f"precision {precision:.2f} (real cases only {balanced:.2f})"
    )
    if show:
        for e in examples:
            if flagged[e.id] != e.criticised:
                print(f"    {'missed' if e.criticised else 'false alarm'} {e.id}: {e.text[:60]}")


def speed(examples: list[Example]) -> None:
    lint_statement("起動")
    started = time.perf_counter()
    for e in examples:
        lint_statement(e.text)
    per_text = (time.perf_counter() - started) / len(examples)
    long_text = (
        "当社の営業担当者がお客様に不適切なメッセージを送信しました。深くお詫び申し上げます。" * 1000
    )[:MAX_STATEMENT_CHARS]
    started = time.perf_counter()
    lint_statement(long_text, kind="statement")
    print(
        f"speed: {per_text * 1000:.1f} ms per statement (mean of {len(examples)}), "
        f"{time.perf_counter() - started:.2f} s for {len(long_text):,} characters"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="list the misses and false alarms")
    parser.add_argument("--speed", action="store_true", help="also time the linter")
    parser.add_argument("--data", help="another JSON-lines file with label criticised/adequate (and group)")
    args = parser.parse_args()
    sets = [
        ("blind set (data/statement_examples/blind.jsonl)", BLIND),
        ("team examples (not blind)", TEAM),
    ]
    if args.data:
        sets = [(args.data, Path(args.data))]
    for name, path in sets:
        examples = load(path)
        counts = {
            g: sum(1 for e in examples if e.group == g) for g in ("criticised", "adequate", "lookalike")
        }
        print(
            f"{name}: {len(examples)} texts ({counts['criticised']} criticised, {counts['adequate']} adequate, "
            f"{counts['lookalike']} look-alikes)"
        )
        report(name, examples, linter_flags, "linter", args.show)
        report(name, examples, guard_flags, "guard", False)
    if args.speed:
        speed(load(BLIND))


if __name__ == "__main__":
    main()
