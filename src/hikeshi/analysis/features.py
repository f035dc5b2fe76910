"""Features of the affect model: lexicon hits, emoji and punctuation cues, and content words, from ONE tokenization.

The lexicon features carry most of the signal on SNS posts that no training sentence resembles; the content
words let the model learn what the lexicons miss. Aggregated polarity counts (`agg:pos`, `agg:neg`) pool every
lexicon so that a word known only to ML-Ask still moves the score. The same function is used in training and at
run time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from hikeshi.analysis.lexicon import SurfaceLexicon, TokenLexicon
from hikeshi.text.normalize import normalize
from hikeshi.text.tokenize import tokenize

# Lexicon labels (ours and ML-Ask's ten categories) that signal each polarity.
POSITIVE_LABELS = frozenset({"joy", "trust", "anticipation", "pos", "yorokobi", "suki", "yasu"})
NEGATIVE_LABELS = frozenset(
    {"sadness", "anger", "fear", "disgust", "neg", "weary", "ikari", "iya", "kowa", "aware", "haji"}
)
# Anger/disgust labels (ours and ML-Ask's ikari/iya) pooled apart from sadness/fear ones (aware/kowa), so that the
# hostility heads can tell a complaint about someone from a sad or anxious post that is just as negative.
HOSTILE_LABELS = frozenset({"anger", "disgust", "ikari", "iya"})
SORROW_LABELS = frozenset({"sadness", "fear", "weary", "aware", "kowa"})
# People a complaint is usually about (strangers, colleagues, family, companies): a grievance names someone.
PEOPLE = frozenset(
    [
        "人",
        "おじさん",
        "おばさん",
        "おっさん",
        "おばはん",
        "上司",
        "部長",
        "課長",
        "店長",
        "社長",
        "店員",
        "客",
        "先輩",
        "後輩",
        "同僚",
        "夫",
        "旦那",
        "妻",
        "嫁",
        "義母",
        "親",
        "親戚",
        "隣人",
        "あいつ",
        "奴",
        "やつ",
        "こいつ",
        "そいつ",
        "連中",
        "運転手",
        "業者",
        "会社",
        "政治家",
        "議員",
        "役所",
        "お前",
        "あんた",
        "てめえ",
        "貴様",
    ]
)
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "副詞", "形状詞", "感動詞", "助動詞", "接尾辞"})
_CUES = (
    ("cue:exclaim", re.compile(r"[!！]")),
    ("cue:question", re.compile(r"[?？]")),
    ("cue:ellipsis", re.compile(r"…|\.\.\.|・・・")),
    ("cue:laugh", re.compile(r"(?:w{2,}|笑|草$)")),
    ("cue:emoji", re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")),
    # 「なんで〜の？」: asking why someone did something is usually a reproach, not a question.
    ("cue:why", re.compile(r"なんで|何で|なぜ|何故|どうして")),
    # Rhetorical endings that demand agreement: 「〜でしょ」「〜じゃん」「〜かよ」「〜ってこと？」.
    ("cue:tag", re.compile(r"(?:でしょ|じゃん|かよ|っての|ってこと|だろ|なんなん|なの)(?=[?？!！。…]|$)")),
    # Requests and prohibitions: 「やめて」「〜してほしい」「〜しろ」「〜ないで」.
    (
        "cue:demand",
        re.compile(r"(?:ほしい|欲しい|やめて|しろ|ないで|てよ|くれない[かな]*)(?=[?？!！。…、]|$)"),
    ),
)
MAX_FEATURE_TEXT = 2000  # characters; longer posts are cut, the start carries the tone


@dataclass(frozen=True, slots=True)
class FeatureExtractor:
    """Turns a text into a sparse feature vector (name → value)."""

    words: TokenLexicon
    surfaces: SurfaceLexicon

    def extract(self, text: str) -> dict[str, float]:
        normalized = normalize(text[:MAX_FEATURE_TEXT]).text
        tokens = tokenize(normalized)
        counts: Counter[str] = Counter()
        for hit in self.words.match(tokens):
            counts[hit.feature] += 1
        for feature in self.surfaces.match(normalized):
            counts[feature] += 1
        for feature, count in list(counts.items()):
            negated = feature.startswith("neg:")
            label = feature.rsplit(":", 1)[1]
            if label in POSITIVE_LABELS:
                counts["agg:neg" if negated else "agg:pos"] += count
            elif label in NEGATIVE_LABELS:
                counts["agg:pos_weak" if negated else "agg:neg"] += count
            if not negated and label in HOSTILE_LABELS:
                counts["agg:hostile"] += count
            elif not negated and label in SORROW_LABELS:
                counts["agg:sorrow"] += count
        for name, pattern in _CUES:
            found = len(pattern.findall(normalized))
            if found:
                counts[name] += found
        for token in tokens:
            if token.normalized in PEOPLE and token.pos in ("名詞", "代名詞"):
                counts["cue:person"] += 1
            if token.pos in _CONTENT_POS:
                counts["w:" + token.normalized] += 1
        return {name: math.log1p(count) for name, count in counts.items()}
