"""Normalisation that keeps a map back to the original character offsets.

Drafts and posts hide words from filters with widths (ｼﾈ), stretched characters (うぜええええ), spacing
tricks (し ね, 死.ね) and 伏字 (○ね). Matching happens on the normalised text, but findings must point at
the user's own characters, so every normalised character remembers the original span it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# 伏字 (masking) characters all become one wildcard so that a lexicon variant such as 「〇ね」 covers them.
MASK = "〇"
_MASK_CHARS = frozenset("○●◯〇◎□■*＊✕×")
_VOICED_MARKS = frozenset("\u3099\u309a")
# Long-vowel marks and wave dashes carry no meaning when repeated: 「すごーーーい」 is 「すごーい」.
_COLLAPSE_TO_ONE = frozenset("ー〜~-")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
_JAPANESE = r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3005\u4e00-\u9fff〇]"
# A separator of one or two characters between two Japanese characters is a spacing trick: 「し ね」「死.ね」.
_SEPARATOR_BETWEEN_JAPANESE = re.compile(rf"(?<={_JAPANESE})[ .・_/,、]{{1,2}}(?={_JAPANESE})")
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


@lru_cache(maxsize=8192)
def _normalize_char(char: str) -> str:
    if char in _MASK_CHARS:
        return MASK
    if char in _ZERO_WIDTH or (unicodedata.category(char) == "Cc" and char not in "\n\t"):
        return ""
    if "\ufe00" <= char <= "\ufe0f":  # variation selectors (emoji presentation)
        return ""
    if char == "\t":
        return " "
    normalized = unicodedata.normalize("NFKC", char)
    if normalized in _MASK_CHARS:
        return MASK
    return normalized.lower() if normalized.isascii() else normalized


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the original span [starts[i], ends[i])."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @property
    def folded(self) -> str:
        """Katakana folded to hiragana (same length), so 「キモい」 and 「きもい」 match one lexicon entry."""
        return fold_kana(self.text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to a span of the original text."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return self.starts[start], self.ends[end - 1]


def fold_kana(text: str) -> str:
    """Katakana → hiragana, one character for one character."""
    return text.translate(_KATA_TO_HIRA)


def normalize(text: str) -> NormalizedText:
    """NFKC, lower-case ASCII, drop control and zero-width characters, collapse stretched characters,
    unify 伏字 to 〇 and remove spacing tricks between Japanese characters.

    >>> normalize("ｼ ﾈーーー").text
    'シネー'
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        piece = _normalize_char(char)
        if not piece:
            if ends:
                ends[-1] = index + 1
            continue
        if piece in _VOICED_MARKS and chars:
            # Half-width ｶﾞ is two characters; NFC composes the pair into one (ガ). Where no composed form
            # exists (ｱﾞ, …゙) the mark is dropped, so that one normalised character keeps one offset.
            composed = unicodedata.normalize("NFC", chars[-1] + piece)
            if len(composed) == 1:
                chars[-1] = composed
            ends[-1] = index + 1
            continue
        for out in piece:
            if chars and out == chars[-1] and _is_redundant_repeat(out, chars):
                ends[-1] = index + 1
                continue
            chars.append(out)
            starts.append(index)
            ends.append(index + 1)
    normalized = "".join(chars)
    removed = [m.span() for m in _SEPARATOR_BETWEEN_JAPANESE.finditer(normalized)]
    if removed:
        keep = [True] * len(chars)
        for begin, finish in removed:
            for position in range(begin, finish):
                keep[position] = False
        normalized = "".join(c for c, k in zip(chars, keep, strict=True) if k)
        starts = [s for s, k in zip(starts, keep, strict=True) if k]
        ends = [e for e, k in zip(ends, keep, strict=True) if k]
    return NormalizedText(text, normalized, tuple(starts), tuple(ends))


def _is_redundant_repeat(char: str, previous: list[str]) -> bool:
    """Keep at most two of a repeated character (one for long-vowel marks); digits are never collapsed."""
    if char.isdigit() or char in " \n":
        return False
    if char in _COLLAPSE_TO_ONE:
        return True
    return len(previous) >= 2 and previous[-2] == char
