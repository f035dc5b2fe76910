"""Answers built from the bank's own key, so tests can take a whole test right (or wrong) on purpose."""

from __future__ import annotations

from typing import Any

from hikeshi.respond.training import BankItem, ItemType


def key_answer(item: BankItem) -> Any:
    """The raw answer (as `--answers` and `parse_answer` take it) that earns full marks."""
    if item.type is ItemType.SEND_OR_NOT:
        return item.verdict
    if item.type is ItemType.FIND_SPAN:
        return [span.text for span in item.spans]
    if item.type is ItemType.REWRITE:
        return item.model_answer
    if item.type is ItemType.SCENARIO:
        return [step.correct_id for step in item.steps]
    return item.correct_choice


def wrong_answer(item: BankItem) -> Any:
    """A raw answer that earns nothing."""
    if item.type is ItemType.SEND_OR_NOT:
        return "fine" if item.verdict == "risky" else "risky"
    if item.type is ItemType.FIND_SPAN:
        return []
    if item.type is ItemType.REWRITE:
        return item.prompt
    if item.type is ItemType.SCENARIO:
        return [next(c.id for c in step.choices if not c.correct) for step in item.steps]
    return next(choice.id for choice in item.choices if choice.id != item.correct_choice)
