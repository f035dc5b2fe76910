"""Quoted wording that the draft reports rather than says: 「黙れ」と怒鳴る客, 『黙れ』のMV, 「外国人お断り」の貼り紙.

Policies, news-style reports, training material and apologies quote the very words the lexicon looks for. A quote
(or a run of quotes, 「死ね」「役立たず」) followed by a marker of reported speech (と, って, など, という, の貼り紙, に批判殺到 …)
or ending a line, as in a headline, is the writer talking *about* the words, so lexicon hits inside it are not
the writer's own. The learned model still reads the whole draft.
"""

from __future__ import annotations

import re

from hikeshi.text.normalize import fold_kana

_QUOTE_MARKS = frozenset("「『“")
_QUOTE = r"(?:「[^「」\n]{1,80}」|『[^『』\n]{1,80}』|“[^“”\n]{1,80}”)"
_RUN = rf"{_QUOTE}(?:[、,]?{_QUOTE})*"
# と is reported speech unless the writer says the words themselves (「…」と言いたい, と申し上げます).
_MARKER = (
    r"(?:と(?!言いた|言ってや|言わせ|申し上げ|お伝え|言います|言っておき|言っとく)|って(?!言いた|言ってや)"
    r"|など|なんて|という|といった|とか|は通用|みたいな|のような"
    r"|の(?:mv|歌|曲|歌詞|新曲|動画|貼り紙|張り紙|文言|表示|看板|書き込み|投稿|発言|言葉|ポスター|見出し)"
    r"|に(?:批判|非難|抗議|反発|苦情|疑問|怒り|賛否|波紋)|が(?:炎上|物議|波紋|問題に)"
    r"|\s?[^「」。\n]{0,10}(?:発言|供述|暴言|書き込み|貼り紙))"
)
# Drafts are matched in folded form (katakana → hiragana), so the markers are folded too (ポスター → ぽすたー).
_REPORTED = re.compile(fold_kana(rf"{_RUN}(?={_MARKER})"))
# A quote closing a line that has other words before it, as in a headline: 「…」 reported, not said.
_HEADLINE = re.compile(rf"(?<=[^\n])(?:{_RUN})(?=\s*(?:\n|$))")
_TITLE = re.compile(r"『[^『』\n]{1,80}』(?=の)")


def reported_quote_spans(folded: str) -> list[tuple[int, int]]:
    """Spans (start, end) of quotes the draft reports, in the folded text's coordinates."""
    if not _QUOTE_MARKS.intersection(folded):
        return []  # most drafts quote nothing; skip the three scans on every keystroke
    return [match.span() for pattern in (_REPORTED, _HEADLINE, _TITLE) for match in pattern.finditer(folded)]


def inside_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(span_start <= start and end <= span_end for span_start, span_end in spans)
