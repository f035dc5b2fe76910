"""Features of the learned classifier: character n-grams of the normalised, kana-folded text.

Character n-grams need no tokenizer, survive spelling games (「ｼﾈ」「しね」) and cost little, which keeps the
guard fast enough for every keystroke. The same function is used in training and at run time.
"""

from __future__ import annotations

import re

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


# Polite endings of a sentence (です・ます, ございます, いたします …) and the honorific vocabulary of business
# writing; both on the kana-folded text, so katakana spellings are covered.
_POLITE_END = re.compile(
    r"(ます|ません|ました|ましょう|ませ|でした|です|でしょうか|ございます|ございました|ください|下さい"
    r"|いたします|致します|申し上げます|存じます|おります|幸いです)[\s\"')\]」』）】〕♪☆★~〜ー]*$"
)
_HONORIFIC = re.compile(
    r"ございま|いたしま|致しま|申し上げ|存じ|賜り|おりま|くださいませ|いただ|頂|させてい|させて頂"
)
_SENTENCE_END = re.compile(r"[。!?\n]+")


def is_formal(folded: str) -> bool:
    """Whether a draft is written in the polite business register (most sentences end politely, with honorifics).

    The model's false alarms on real text were almost all formal: review replies, notices, apologies and polite
    e-mails that the team's examples do not resemble, while the real flamed texts were casual. The thresholds of
    formal drafts are therefore calibrated apart (see `hikeshi.guard.train.choose_thresholds`).

    >>> is_formal("ご来店ありがとうございます。またのお越しをお待ちしております。")
    True
    >>> is_formal("今日の客、まじでうざかった笑")
    False
    """
    if not _HONORIFIC.search(folded):
        return False
    sentences = [part.strip() for part in _SENTENCE_END.split(folded) if part.strip()]
    if not sentences:
        return False
    polite = sum(1 for sentence in sentences if _POLITE_END.search(sentence))
    return polite * 2 >= len(sentences)
