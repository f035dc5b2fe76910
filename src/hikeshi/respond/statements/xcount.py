"""Counting a post the way X does, so the X draft is never cut off or refused.

X's limit is 280 in *weighted* length (twitter-text, configuration v3): characters in the ranges below weigh 1,
every other character weighs 2, and each URL counts as 23 whatever its length. Japanese (kana, kanji, full-width
punctuation) is outside those ranges, so 「140 文字」 on X means 140 full-width characters: 280 weight.
Text is NFC-normalised first, as X does. Simplification: an emoji sequence joined with ZWJ counts here per code
point (X counts it once), so the count may only be higher than X's, never lower.
"""

from __future__ import annotations

import re
import unicodedata

X_LIMIT = 280
URL_WEIGHT = 23
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_URL = re.compile(r"https?://[^\s　、。「」（）]+")


def _weight(character: str) -> int:
    code = ord(character)
    return 1 if any(low <= code <= high for low, high in _LIGHT_RANGES) else 2


def x_length(text: str) -> int:
    """X's weighted length of `text`: 「お詫び」 → 6, ``https://example.jp/a/very/long/path`` → 23."""
    normalized = unicodedata.normalize("NFC", text)
    total = 0
    cursor = 0
    for match in _URL.finditer(normalized):
        total += sum(_weight(ch) for ch in normalized[cursor : match.start()]) + URL_WEIGHT
        cursor = match.end()
    return total + sum(_weight(ch) for ch in normalized[cursor:])


def fits_x(text: str) -> bool:
    return x_length(text) <= X_LIMIT
