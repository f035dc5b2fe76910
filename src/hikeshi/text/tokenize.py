"""Morphological analysis with SudachiPy (mode C) and its core dictionary.

Chosen over fugashi + unidic-lite because it is about twice as fast on short texts (see ../shared/DEPENDENCIES.md
and `bench/tokenizer_speed.py`) and gives `normalized_form`, which folds SNS spelling variants
(「分かる」「わかる」) into one form, which is what term statistics and angle detection need.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    normalized: str
    pos: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from sudachipy import Dictionary, SplitMode

    return Dictionary().tokenizer(mode=SplitMode.C)


def tokenize(text: str) -> list[Token]:
    """Tokens with their normalised form and coarse part of speech.

    >>> [t.normalized for t in tokenize("わかってた")][:1]
    ['分かる']
    """
    if not text:
        return []
    return [
        Token(m.surface(), m.normalized_form(), m.part_of_speech()[0], m.begin(), m.end())
        for m in _tokenizer().tokenize(text)
    ]
