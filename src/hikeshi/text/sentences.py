"""Sentence splitting for drafts and posts: 。！？!? and line breaks end a sentence; closing brackets stay."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。!?！？\n]+(?:[。!?！？]+[」』）)\]]*)?|[。!?！？]+")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences with offsets into `text`; whitespace-only pieces are dropped.

    >>> [s.text for s in split_sentences("ご連絡ありがとうございます。確認します！")]
    ['ご連絡ありがとうございます。', '確認します！']
    """
    sentences = []
    for match in _SENTENCE.finditer(text):
        piece = match.group()
        if piece.strip():
            sentences.append(Sentence(match.start(), match.end(), piece))
    return sentences
