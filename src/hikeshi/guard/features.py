"""Features of the learned classifier: character n-grams of the normalised, kana-folded text.

Character n-grams need no tokenizer, survive spelling games (「ｼﾈ」「しね」) and cost little, which keeps the
guard fast enough for every keystroke. The same function is used in training and at run time.
"""

from __future__ import annotations

NGRAM_SIZES = (1, 2, 3)


def char_ngrams(folded: str) -> list[str]:
    """Overlapping character n-grams, with line breaks and spaces squeezed to one space.

    >>> char_ngrams("死ね")
    ['死', 'ね', '死ね']
    """
    text = " ".join(folded.split())
    grams: list[str] = []
    length = len(text)
    for size in NGRAM_SIZES:
        grams.extend(text[i : i + size] for i in range(length - size + 1))
    return grams
