"""Pre-send guard: `check(text, context) -> Verdict` with risky spans, reasons in Japanese and a calmer rewrite.

>>> check("先にわかっていたら会社や私も無駄な時間は使わない").level
<Level.DANGER: 'danger'>
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from hikeshi.guard.context import CheckContext, CheckRequest
from hikeshi.guard.engine import Guard
from hikeshi.guard.policy import PolicyPack, load_policy
from hikeshi.records import Verdict

__all__ = [
    "CheckContext",
    "CheckRequest",
    "Guard",
    "PolicyPack",
    "check",
    "check_many",
    "default_guard",
    "load_policy",
]


@lru_cache(maxsize=1)
def default_guard() -> Guard:
    """The guard with the shipped lexicon and model and no company policy, built once per process."""
    return Guard()


def check(text: str, context: CheckContext | None = None, *, policy: PolicyPack | None = None) -> Verdict:
    guard = default_guard() if policy is None else Guard(policy)
    return guard.check(text, context)


def check_many(requests: Sequence[str | CheckRequest], *, policy: PolicyPack | None = None) -> list[Verdict]:
    guard = default_guard() if policy is None else Guard(policy)
    return guard.check_many(requests)
