"""The negative list (聞かれても言えない): none of its words may appear in a text meant for the public.

Matching uses the guard's normalisation on both sides, so 「ﾐﾅﾄ」「ミナト」「みなと」 and a name written with a
space in the middle (山田 太郎 / 山田太郎) are the same word; findings point back at the writer's own characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from hikeshi.respond.statements.lint.facts import NegativeTerm
from hikeshi.text.normalize import normalize

CATEGORY = "negative_list"
LABEL = "ネガティブリスト（公表できない情報）"


@dataclass(frozen=True, slots=True)
class NegativeHit:
    start: int  # normalised coordinates
    end: int
    term: NegativeTerm


def _key(text: str) -> str:
    return normalize(text).folded.replace(" ", "").replace("\u3000", "")


def find_negative(folded: str, terms: list[NegativeTerm]) -> list[NegativeHit]:
    """Every occurrence of every term; spaces inside the text are skipped so 山田 太郎 matches 山田太郎."""
    if not terms:
        return []
    positions = [index for index, char in enumerate(folded) if char not in " \u3000"]
    squeezed = "".join(folded[index] for index in positions)
    hits = []
    for term in terms:
        key = _key(term.term)
        if not key:
            continue
        found = squeezed.find(key)
        while found >= 0:
            hits.append(NegativeHit(positions[found], positions[found + len(key) - 1] + 1, term))
            found = squeezed.find(key, found + 1)
    return hits


def negative_reason(term: NegativeTerm) -> str:
    what = f"「{term.topic}」" if term.topic else "この語"
    why = f"（{term.reason}）" if term.reason else ""
    return f"{what}はポジションペーパーのネガティブリスト（聞かれても言えない情報）に載っています{why}。公表する文面に書いてはいけません。"
