"""The learned part of the guard: a logistic regression over TF-IDF character n-grams.

Stored as plain JSON (n-gram → idf and weight) rather than a pickle, so that loading is safe, independent of the
scikit-learn version, and scoring one message is a few dictionary look-ups. `python -m hikeshi.guard.train`
rebuilds it; the file records its training data, licences and metrics.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hikeshi.errors import ModelError
from hikeshi.guard.features import char_ngrams, is_formal

MODEL_FILE = Path(__file__).parent / "data" / "model" / "guard_linear.json"


@dataclass(frozen=True, slots=True)
class LinearTextModel:
    version: str
    intercept: float
    features: dict[str, tuple[float, float]]  # n-gram → (idf, weight): one look-up per n-gram
    caution_threshold: float
    danger_threshold: float
    # Thresholds for drafts in the polite business register (`is_formal`); the same as above when not calibrated.
    formal_caution_threshold: float | None = None
    formal_danger_threshold: float | None = None

    def thresholds(self, folded: str) -> tuple[float, float]:
        """(caution, danger) for this draft: formal drafts have their own, calibrated on ordinary business text."""
        if self.formal_caution_threshold is not None and is_formal(folded):
            return self.formal_caution_threshold, self.formal_danger_threshold or self.danger_threshold
        return self.caution_threshold, self.danger_threshold

    def probability(self, folded: str) -> float:
        """P(risky) of one text, reproducing TfidfVectorizer(sublinear_tf, l2) + LogisticRegression."""
        norm_squared = 0.0
        dot = 0.0
        features = self.features
        for gram, count in Counter(char_ngrams(folded)).items():
            entry = features.get(gram)
            if entry is None:
                continue
            value = (1.0 + math.log(count)) * entry[0] if count > 1 else entry[0]
            norm_squared += value * value
            dot += value * entry[1]
        decision = self.intercept + (dot / math.sqrt(norm_squared) if norm_squared else 0.0)
        return 1.0 / (1.0 + math.exp(-decision))

    def strongest_span(self, folded: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
        """The span (typically a sentence) whose n-grams push hardest toward 'risky'."""
        best: tuple[float, tuple[int, int]] | None = None
        features = self.features
        for start, end in spans:
            push = 0.0
            for gram in char_ngrams(folded[start:end]):
                entry = features.get(gram)
                if entry is not None:
                    push += entry[0] * entry[1]
            push /= max(end - start, 1) ** 0.5
            if best is None or push > best[0]:
                best = (push, (start, end))
        return best[1] if best else None


def model_from_json(data: dict[str, Any]) -> LinearTextModel:
    thresholds = data["thresholds"]
    formal_caution = thresholds.get("formal_caution")
    formal_danger = thresholds.get("formal_danger")
    return LinearTextModel(
        version=str(data["version"]),
        intercept=float(data["intercept"]),
        features={gram: (float(values[0]), float(values[1])) for gram, values in data["features"].items()},
        caution_threshold=float(thresholds["caution"]),
        danger_threshold=float(thresholds["danger"]),
        formal_caution_threshold=None if formal_caution is None else float(formal_caution),
        formal_danger_threshold=None if formal_danger is None else float(formal_danger),
    )


@lru_cache(maxsize=1)
def shipped_model() -> LinearTextModel:
    try:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        return model_from_json(data)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError(
            f"ガードのモデル {MODEL_FILE} を読み込めません ({error})。`python -m hikeshi.guard.train` で再作成してください。"
        ) from None
