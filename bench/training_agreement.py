"""Training bank vs guard: how often `hikeshi check` agrees with the bank's send-or-not answer key.

Data: the shipped bank (src/hikeshi/respond/training/data, written by the team, Apache-2.0), its send-or-not
items only (risky and fine drafts per role). Flagged = level caution or danger. The key was written blind to
the guard; each disagreement is listed so that a reviewer can judge the item (realistic? keyed right?) and the
guard (a missed pattern? a false alarm?). Printed twice: in each draft's own context (channel, audience, date,
as `hikeshi check --jsonl` takes them) and on the prompt alone. Baseline: flag nothing (all risky missed).
"""

from __future__ import annotations

import time

from hikeshi.guard import default_guard
from hikeshi.respond.training.agreement import agreement_table, measure_agreement
from hikeshi.respond.training.bank import load_bank
from hikeshi.respond.training.records import ItemType


def main() -> None:
    bank = load_bank()
    drafts = [item for item in bank if item.type is ItemType.SEND_OR_NOT]
    guard = default_guard()
    guard.check("準備")  # load the lexicon and the model before timing
    print(f"data: training bank send_or_not items, n={len(drafts)} ({len(bank)} items in the bank)")
    for with_context in (True, False):
        start = time.perf_counter()
        agreement = measure_agreement(bank, guard, with_context=with_context)
        elapsed = time.perf_counter() - start
        print(
            f"\n== {'in context (channel, audience, date)' if with_context else 'prompt only (no context)'} =="
        )
        print("\n".join(agreement_table(agreement)))
        overall = agreement.overall
        print(
            f"bench: training_agreement context={with_context} n={len(drafts)} "
            f"risky_flagged={overall.flagged_rate:.3f} fine_passed={overall.passed_rate:.3f} "
            f"disagreement={overall.disagreement_rate:.3f} ms_per_draft={1000 * elapsed / len(drafts):.1f}"
        )
        print("baseline (flag nothing): risky_flagged=0.000 fine_passed=1.000")
        for entry in agreement.disagreements:
            print(f"  {entry.item_id:<18} key={entry.key:<5} guard={entry.level:<7} {entry.prompt[:60]}")


if __name__ == "__main__":
    main()
