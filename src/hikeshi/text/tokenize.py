"""Morphological analysis with SudachiPy (mode C) and its core dictionary.

Chosen over fugashi + unidic-lite because it is about twice as fast on short texts (see ../shared/DEPENDENCIES.md
and `bench/guard_speed.py`) and gives `normalized_form`, which folds SNS spelling variants
(「分かる」「わかる」) into one form, which is what term statistics and angle detection need.
"""

from __future__ import annotations

import re
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


# SudachiPy refuses inputs over 49,149 bytes; longer texts (a news article, a pasted thread) go in pieces.
MAX_CHUNK_CHARS = 12_000  # at most 3 bytes a character in UTF-8 for Japanese: well under the limit
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""SudachiPy (Rust) cannot take a lone surrogate; U+FFFD in its place keeps every offset where it was."""


def tokenize(text: str) -> list[Token]:
    """Tokens with their normalised form and coarse part of speech, offsets into `text`.

    The input/CLI edges refuse lone surrogates (`hikeshi.untrusted_json`); a library caller that passes one
    anyway gets U+FFFD in that token's surface instead of an exception that would lose a whole batch.

    >>> [t.normalized for t in tokenize("わかってた")][:1]
    ['分かる']
    """
    tokens: list[Token] = []
    for offset, chunk in _chunks(text):
        tokens.extend(
            Token(
                m.surface(), m.normalized_form(), m.part_of_speech()[0], offset + m.begin(), offset + m.end()
            )
            for m in _tokenizer().tokenize(_LONE_SURROGATE.sub("\ufffd", chunk))
        )
    return tokens


def _chunks(text: str) -> list[tuple[int, str]]:
    """Pieces of at most MAX_CHUNK_CHARS characters, cut after a sentence end or line break where possible."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + MAX_CHUNK_CHARS, len(text))
        if end < len(text):
            cut = max(text.rfind(mark, start, end) for mark in ("。", "\n", "！", "？", "!", "?"))
            if cut > start:
                end = cut + 1
        pieces.append((start, text[start:end]))
        start = end
    return pieces
