"""A calmer rewrite: drop the sentences that carry blame or threats, replace the words that have a milder form.

Deliberately conservative: it only removes or swaps what a finding points at, so the writer's facts stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hikeshi.text.sentences import split_sentences


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    replacement: str | None  # None: drop the whole sentence around [start, end)


def calmer_rewrite(text: str, edits: list[Edit]) -> str | None:
    """Apply edits to the original text; None when nothing changes or nothing would be left."""
    if not edits:
        return None
    sentences = split_sentences(text)
    removals: list[tuple[int, int, str]] = []
    for edit in edits:
        if edit.replacement is None:
            for sentence in sentences:
                if sentence.start <= edit.start < sentence.end:
                    removals.append((sentence.start, sentence.end, ""))
                    break
    for edit in edits:
        if edit.replacement is not None and not any(s <= edit.start < e for s, e, _ in removals):
            removals.append((edit.start, edit.end, edit.replacement))
    result = text
    last_start = len(text) + 1
    for start, end, replacement in sorted(set(removals), key=lambda r: (r[0], r[1]), reverse=True):
        if end > last_start:  # overlaps an edit already applied
            continue
        result = result[:start] + replacement + result[end:]
        last_start = start
    result = re.sub(r"\n{3,}", "\n\n", result).strip()
    result = re.sub(r"^[、，,]\s*", "", result)
    if not result or result == text.strip():
        return None
    return result
