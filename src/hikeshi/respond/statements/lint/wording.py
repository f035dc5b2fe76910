"""Wording findings of a statement: the rules in data/wording/ plus two checks that read the whole text.

- template: an apology that names nothing (no number, date, quote, act or measure), only set phrases such as
  「このたびは世間をお騒がせし、誠に申し訳ございません」;
- empty_promise: 「再発防止に努めてまいります」 with no concrete measure anywhere and no date or owner beside it.
"""

from __future__ import annotations

import re

from hikeshi.respond.statements.lint.cues import cues
from hikeshi.respond.statements.lint.records import StatementKind
from hikeshi.respond.statements.lint.rules import WordingHit, wording_rules
from hikeshi.text.sentences import split_sentences

TEMPLATE_LABEL = "具体性のない定型文"
MIN_CONTENT_KANJI = 3
"""Kanji left once the set phrases are removed (「当社の投稿で」 leaves 当社投稿); fewer means the text names nothing.
Kanji only: the folded text has no katakana left to count, and kana are mostly grammar."""
_CONTENT_CHAR = re.compile(r"[一-龥々]")
EMPTY_PROMISE_LABEL = "担当も期日もない約束"
_FULL_KINDS = frozenset({StatementKind.STATEMENT, StatementKind.PRESS_RELEASE})


def category_labels() -> dict[str, str]:
    labels = dict(wording_rules().labels)
    labels["template"] = TEMPLATE_LABEL
    labels["empty_promise"] = EMPTY_PROMISE_LABEL
    return labels


def has_apology(folded: str) -> bool:
    return cues("cues")["apology"].search(folded) is not None


def wording_hits(folded: str, kind: StatementKind | None) -> list[WordingHit]:
    hits = wording_rules().find(folded)
    template = _template_hit(folded)
    if template is not None:
        hits.append(template)
    promise = _empty_promise_hit(folded, kind)
    if promise is not None:
        hits.append(promise)
    return hits


def _sentence_around(folded: str, start: int, end: int) -> tuple[int, int]:
    for sentence in split_sentences(folded):
        if sentence.start <= start < sentence.end:
            return sentence.start, max(sentence.end, end)
    return start, end


def _template_hit(folded: str) -> WordingHit | None:
    cue = cues("cues")
    apology = cue["apology"].search(folded)
    if apology is None or cue["specific"].search(folded) or cue["measure"].search(folded):
        return None  # a concrete measure (研修を見直し、設備を配備) is as specific as a date
    content = cue["set_phrase"].sub("", folded)
    if len(_CONTENT_CHAR.findall(content)) >= MIN_CONTENT_KANJI:
        return None
    start, end = _sentence_around(folded, apology.start(), apology.end())
    return WordingHit(
        start,
        end,
        "template",
        "template.no_specifics",
        2,
        "誰が・いつ・何をしたのかが一つも書かれておらず、定型句だけの謝罪です。何について謝っているのか分からず、"
        "「誠意がない」「コピペの謝罪」と受け取られます。",
        "起きたこと（いつ・誰が・何を）、迷惑をかけた相手、原因または調査の見通し、具体的な対応を書き加えてください。",
    )


def _empty_promise_hit(folded: str, kind: StatementKind | None) -> WordingHit | None:
    cue = cues("cues")
    promise = cue["promise"].search(folded)
    if promise is None or cue["measure"].search(folded):
        return None
    start, end = _sentence_around(folded, promise.start(), promise.end())
    if cue["measure_when"].search(folded, start, end):
        return None
    return WordingHit(
        promise.start(),
        promise.end(),
        "empty_promise",
        "empty_promise.no_measure",
        2 if kind in _FULL_KINDS else 1,
        "「再発防止に努めます」だけで、何を・誰が・いつまでにするのかが書かれていません。"
        "具体策のない約束は、その場しのぎと受け取られます。",
        "具体的な再発防止策を、担当（部署・役職）と期日とともに書いてください。例:「4月末までに、全営業担当者に研修を"
        "実施します（営業本部）。」",
    )
