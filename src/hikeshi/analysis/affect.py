"""The affect model: sentiment (3 classes, softmax) and Plutchik's eight emotions (independent sigmoids).

Both heads are linear over the same sparse features (see `features.py`) and live in one JSON file with the
compiled lexicons. The negative emotions (anger, disgust, sadness, fear) may be factorised: the model file lists
them under `conditional`, their heads were trained on negative posts only, and the probability reported is
P(negative) × P(emotion | negative). The sentiment head has far more (and more varied) training text than the
emotion heads, so it decides *whether* a post is negative, and the emotion head only *which kind* — a complaint
about someone versus a sad or anxious post that is just as negative. The file is like the guard's classifier: safe to load, independent of scikit-learn's version, and scoring a
post is a tokenization plus dictionary look-ups. `python -m hikeshi.analysis.train` rebuilds it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hikeshi.analysis.features import FeatureExtractor
from hikeshi.analysis.lexicon import SurfaceLexicon, TokenLexicon
from hikeshi.errors import ModelError
from hikeshi.records import Emotions, Sentiment

MODEL_FILE = Path(__file__).parent / "data" / "model" / "affect_linear.json"
SENTIMENT_CLASSES = ("negative", "neutral", "positive")
EMOTION_LABELS = ("joy", "sadness", "anticipation", "surprise", "anger", "fear", "disgust", "trust")


@dataclass(frozen=True, slots=True)
class LinearHead:
    """Weights of one linear layer: feature → one weight per output."""

    outputs: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def decision(self, features: dict[str, float]) -> list[float]:
        totals = list(self.intercepts)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is None:
                continue
            for index, weight in enumerate(row):
                totals[index] += weight * value
        return totals


@dataclass(frozen=True, slots=True, eq=False)
class AffectModel:
    """Compared and hashed by identity, so that the feature cache can key on (model, text)."""

    version: str
    extractor: FeatureExtractor
    sentiment_head: LinearHead
    emotion_head: LinearHead
    conditional: frozenset[str] = frozenset()  # emotions scored as P(negative) × P(emotion | negative)

    def features(self, text: str) -> dict[str, float]:
        return _cached_features(self, text)

    def sentiment(self, text: str) -> Sentiment:
        return Sentiment(**self._sentiment_probabilities(text))

    def emotions(self, text: str) -> Emotions:
        scores = self.emotion_head.decision(self.features(text))
        negative = self._sentiment_probabilities(text)["negative"] if self.conditional else 1.0
        return Emotions(
            **{
                label: _sigmoid(score) * (negative if label in self.conditional else 1.0)
                for label, score in zip(self.emotion_head.outputs, scores, strict=True)
            }
        )

    def _sentiment_probabilities(self, text: str) -> dict[str, float]:
        scores = self.sentiment_head.decision(self.features(text))
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return dict(zip(self.sentiment_head.outputs, (value / total for value in exps), strict=True))


@lru_cache(maxsize=4096)
def _cached_features(model: AffectModel, text: str) -> dict[str, float]:
    """Sentiment and emotions read the same features; caching them keeps one tokenization per text."""
    return model.extractor.extract(text)


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def _head(data: dict[str, Any], outputs_key: str) -> LinearHead:
    outputs = tuple(str(name) for name in data[outputs_key])
    weights = {name: tuple(float(w) for w in row) for name, row in data["weights"].items()}
    if any(len(row) != len(outputs) for row in weights.values()):
        raise ValueError("weight rows do not match the outputs")
    return LinearHead(outputs, tuple(float(b) for b in data["intercepts"]), weights)


def model_from_json(data: dict[str, Any]) -> AffectModel:
    extractor = FeatureExtractor(
        TokenLexicon(data["lexicon"]["words"]), SurfaceLexicon(data["lexicon"]["surfaces"])
    )
    sentiment_head = _head(data["sentiment"], "classes")
    emotion_head = _head(data["emotions"], "labels")
    if sentiment_head.outputs != SENTIMENT_CLASSES or emotion_head.outputs != EMOTION_LABELS:
        raise ValueError("unexpected output names")
    conditional = frozenset(str(label) for label in data["emotions"].get("conditional", ()))
    if not conditional <= set(EMOTION_LABELS):
        raise ValueError("unknown conditional emotions")
    return AffectModel(str(data["version"]), extractor, sentiment_head, emotion_head, conditional)


@lru_cache(maxsize=1)
def shipped_model() -> AffectModel:
    try:
        return model_from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError(
            f"感情分析モデル {MODEL_FILE} を読み込めません ({error})。"
            "`python -m hikeshi.analysis.train` で再作成してください。"
        ) from None
