"""The fixed pre- and post-tests: same make-up, no shared items, the same draw every time."""

from __future__ import annotations

from collections import Counter

import pytest

from hikeshi.respond.training import EXAM_SIZE, ExamKind, ItemType, TrainingRole, exam_items
from hikeshi.respond.training.exams import COMPOSITION


@pytest.mark.parametrize("role", list(TrainingRole))
def test_pre_and_post_tests_are_disjoint_and_alike(role: TrainingRole) -> None:
    pre, post = exam_items(role, ExamKind.PRE), exam_items(role, ExamKind.POST)
    assert len(pre) == len(post) == EXAM_SIZE == 12
    assert not {item.id for item in pre} & {item.id for item in post}
    assert all(item.role is role for item in (*pre, *post))
    expected = Counter({(kind, verdict): count for kind, verdict, count in COMPOSITION})
    for test in (pre, post):
        made_of = Counter(
            (item.type, item.verdict if item.type is ItemType.SEND_OR_NOT else None) for item in test
        )
        assert made_of == expected


def test_the_draw_is_seeded_by_the_role() -> None:
    """The order is fixed (the same for every trainee of a role) and differs between roles."""
    from hikeshi.respond.training import exams

    first = [item.id for item in exam_items(TrainingRole.SALES, ExamKind.PRE)]
    exams._draws.cache_clear()
    assert [item.id for item in exam_items(TrainingRole.SALES, ExamKind.PRE)] == first
    assert first == [
        "sales-span-07",
        "sales-rw-02",
        "sales-son-12",
        "sales-rule-10",
        "sales-son-26",
        "sales-span-05",
        "sales-rule-07",
        "sales-rule-02",
        "sales-rw-03",
        "sales-sc-06",
        "sales-son-24",
        "sales-son-08",
    ]
