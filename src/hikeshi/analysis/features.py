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
    {"sadness", "anger", "fear", "disgust", "neg", "ikari", "iya", "kowa", "aware", "haji"}
)
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "副詞", "形状詞", "感動詞", "助動詞", "接尾辞"})
_CUES = (
    ("cue:exclaim", re.compile(r"[!！]")),
    ("cue:question", re.compile(r"[?？]")),
    ("cue:ellipsis", re.compile(r"…|\.\.\.|・・・")),
    ("cue:laugh", re.compile(r"(?:w{2,}|笑|草$)")),
    ("cue:emoji", re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")),
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
        for name, pattern in _CUES:
            found = len(pattern.findall(normalized))
            if found:
                counts[name] += found
        for token in tokens:
            if token.pos in _CONTENT_POS:
                counts["w:" + token.normalized] += 1
        return {name: math.log1p(count) for name, count in counts.items()}
