"""A calmer rewrite: drop the sentences that carry blame or threats, replace the words that have a milder form.

Deliberately conservative: it only removes or swaps what a finding points at, so the writer's facts stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hikeshi.text.sentences import Sentence, split_sentences

_PUNCTUATION = re.compile(r"[\s。、．，,.!?！？「」『』()（）]")


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    replacement: str | None  # None: drop the whole sentence around [start, end)


def calmer_rewrite(text: str, edits: list[Edit], fallback: str | None = None) -> str | None:
    """Apply edits to the original text; when nothing would be left, the fallback message (or None)."""
    if not edits:
        return None
    sentences = split_sentences(text)
    drops: list[tuple[int, int, str]] = []
    for edit in edits:
        sentence = next((s for s in sentences if s.start <= edit.start < s.end), None)
        if sentence is None:
            continue
        if edit.replacement is None or (edit.replacement == "" and _nothing_left(text, sentence, edit)):
            drops.append((sentence.start, sentence.end, ""))
    removals = list(drops)
    for edit in edits:
        if edit.replacement is not None and not any(s <= edit.start < e for s, e, _ in drops):
            removals.append((edit.start, edit.end, edit.replacement))
    result = text
    last_start = len(text) + 1
    for start, end, replacement in sorted(set(removals), key=lambda r: (r[0], r[1]), reverse=True):
        if end > last_start:  # overlaps an edit already applied
            continue
        result = result[:start] + replacement + result[end:]
        last_start = start
    result = re.sub(r"\n{3,}", "\n\n", result).strip()
    # A removed phrase can leave its comma at the start of a sentence (「常識的に考えて、この金額は…」).
    result = re.sub(r"(^|[。！？!?\n])[ \t　]*[、，,][ \t　]*", r"\1", result)
    if not result:
        return fallback
    if result == text.strip():
        return None
    return result


def _nothing_left(text: str, sentence: Sentence, edit: Edit) -> bool:
    """Whether removing the phrase leaves a stub (「それは常識でしょう。」 → 「それは。」): then drop the sentence."""
    remainder = text[sentence.start : edit.start] + text[edit.end : sentence.end]
    return len(_PUNCTUATION.sub("", remainder)) < 4
