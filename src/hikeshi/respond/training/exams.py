"""The fixed pre- and post-tests of each role: a seeded, stratified draw from the role's bank, disjoint.

Both tests have the same make-up (four send-or-not drafts, two of each key; two find-span; two rewrites; one
scenario; three rules), so a rise from the pre-test to the post-test measures learning rather than a change of
question types. The draw is seeded by the role's name: every trainee of a role meets the same items in the
same order, and a department's averages compare like with like. Stored attempts name their items, so a later
change of the bank does not rewrite anyone's past score.
"""

from __future__ import annotations

import random
from functools import lru_cache

from hikeshi.errors import InputError
from hikeshi.respond.training.bank import items_for
from hikeshi.respond.training.records import BankItem, ExamKind, ItemType, TrainingRole

COMPOSITION: tuple[tuple[ItemType, str | None, int], ...] = (
    (ItemType.SEND_OR_NOT, "risky", 2),
    (ItemType.SEND_OR_NOT, "fine", 2),
    (ItemType.FIND_SPAN, None, 2),
    (ItemType.REWRITE, None, 2),
    (ItemType.SCENARIO, None, 1),
    (ItemType.RULE, None, 3),
)
EXAM_SIZE = sum(count for _type, _verdict, count in COMPOSITION)
PASS_MARK = 80.0
"""A post-test score (0..100) at or above this completes the course."""


@lru_cache(maxsize=16)
def _draws(role: TrainingRole) -> dict[ExamKind, tuple[BankItem, ...]]:
    rng = random.Random(f"hikeshi-training:{role.value}")
    pre: list[BankItem] = []
    post: list[BankItem] = []
    for item_type, verdict, count in COMPOSITION:
        pool = sorted(
            (
                item
                for item in items_for(role)
                if item.type is item_type and (verdict is None or item.verdict == verdict)
            ),
            key=lambda item: item.id,
        )
        if len(pool) < 2 * count:
            raise InputError(
                f"役割 {role.value} の問題集に {item_type.label} の問題が足りません（{2 * count} 問必要）。"
            )
        rng.shuffle(pool)
        pre.extend(pool[:count])
        post.extend(pool[count : 2 * count])
    rng.shuffle(pre)
    rng.shuffle(post)
    return {ExamKind.PRE: tuple(pre), ExamKind.POST: tuple(post)}


def exam_items(role: TrainingRole, exam: ExamKind) -> tuple[BankItem, ...]:
    """The items of one test, in the order they are asked."""
    return _draws(role)[exam]
