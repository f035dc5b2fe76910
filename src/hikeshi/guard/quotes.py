"""Quoted wording that the draft reports rather than says: 「黙れ」と怒鳴る客, 『黙れ』のMV, 「二度と来るな」と言われた.

Policies, news-style reports, training material and apologies quote the very words the lexicon looks for. A quote
followed by a marker of reported speech (と, って, など, という …) is the writer talking *about* the words, so lexicon
hits inside it are not the writer's own. The learned model still reads the whole draft.
"""

from __future__ import annotations

import re

_REPORTED = re.compile(
    r"(?:「[^「」\n]{1,80}」|『[^『』\n]{1,80}』|“[^“”\n]{1,80}”)"
    r"(?=(?:と|って|など|なんて|という|といった|とか|は通用|みたいな|のような|の(?:mv|歌|曲|歌詞|新曲|動画)))"
)
_TITLE = re.compile(r"『[^『』\n]{1,80}』(?=の)")


def reported_quote_spans(folded: str) -> list[tuple[int, int]]:
    """Spans (start, end) of quotes the draft reports, in the folded text's coordinates."""
    return [match.span() for pattern in (_REPORTED, _TITLE) for match in pattern.finditer(folded)]


def inside_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(span_start <= start and end <= span_end for span_start, span_end in spans)
