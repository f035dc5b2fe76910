"""Rebuild the affect model: `python -m hikeshi.analysis.train` (deterministic; needs the `dev` extra).

Training data, all redistributable (see data/model/README.md):
- data/sentiment/posts.jsonl and diary_posts.jsonl — SNS-style posts written by the team (Apache-2.0): sentiment
  and emotions;
- ../shared/data/chabsa/dev.jsonl — company-report sentences (CC BY 4.0): sentiment only, down-weighted because
  it is formal prose;
- ../shared/data/japanese_toxic/train.jsonl — online comments (Apache-2.0): toxic → negative, anger, disgust.
Lexicon features: the team's lexicon (data/lexicon.tsv, data/surface.tsv) and the ML-Ask dictionary
(data/mlask_emotions.tsv, copied from the mlask-official package, BSD-3-Clause), compiled into the model file.
WRIME is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from hikeshi.analysis.affect import EMOTION_LABELS, MODEL_FILE, SENTIMENT_CLASSES, model_from_json
from hikeshi.analysis.features import FeatureExtractor
from hikeshi.analysis.lexicon import (
    MLASK_LABELS,
    MLASK_LEXICON,
    SURFACE_LEXICON,
    WORD_LEXICON,
    SurfaceLexicon,
    TokenLexicon,
    compile_entries,
    compile_surface,
    load_tsv,
)
from hikeshi.errors import HikeshiError

REPO_ROOT = Path(__file__).resolve().parents[3]
OWN_POSTS = REPO_ROOT / "data" / "sentiment" / "posts.jsonl"
DIARY_POSTS = REPO_ROOT / "data" / "sentiment" / "diary_posts.jsonl"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
CHABSA_WEIGHT = 0.25
TOXIC_WEIGHT = 0.5
REGULARIZATION_C = 0.5
MODEL_VERSION = "affect-linear-3"
# Emotions scored as P(negative) × P(emotion | negative): their heads learn only from negative examples, i.e. to
# tell anger and disgust from sadness and fear, while the sentiment head decides whether a post is negative.
CONDITIONAL_EMOTIONS = ("sadness", "anger", "fear", "disgust")


@dataclass
class Example:
    text: str
    sentiment: str | None  # None: no sentiment label
    emotions: dict[str, int] = field(default_factory=dict)  # label → 0/1, only the labels that are known
    weight: float = 1.0
    source: str = "own"


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def own_examples(path: Path = OWN_POSTS) -> list[Example]:
    examples = []
    for row in _jsonl(path):
        emotions = {label: int(label in row["emotions"]) for label in EMOTION_LABELS}
        examples.append(Example(row["text"], row["sentiment"], emotions))
    return examples


def chabsa_examples(path: Path) -> list[Example]:
    return [
        Example(row["text"], row["label"], {}, CHABSA_WEIGHT, "chabsa")
        for row in _jsonl(path)
        if row.get("label") in SENTIMENT_CLASSES
    ]


def toxic_examples(path: Path) -> list[Example]:
    examples = []
    for row in _jsonl(path):
        toxic = row["label"] == "toxic"
        examples.append(
            Example(
                row["text"],
                "negative" if toxic else None,
                {"anger": int(toxic), "disgust": int(toxic)},
                TOXIC_WEIGHT,
                "japanese_toxic",
            )
        )
    return examples


@lru_cache(maxsize=1)
def build_extractor() -> tuple[FeatureExtractor, dict[str, dict[str, list[str]]]]:
    """Compile the lexicons (one SudachiPy pass over ~6,000 entries); cached, the result is never mutated."""
    words = compile_entries([*load_tsv(WORD_LEXICON, "lex"), *load_tsv(MLASK_LEXICON, "mlask", MLASK_LABELS)])
    surfaces = compile_surface(load_tsv(SURFACE_LEXICON, "surf"))
    lexicon = {"words": words, "surfaces": surfaces}
    return FeatureExtractor(TokenLexicon(words), SurfaceLexicon(surfaces)), lexicon


def fit_head(
    feature_rows: Sequence[dict[str, float]], targets: Sequence[int], weights: Sequence[float], n_classes: int
) -> tuple[list[float], dict[str, list[float]]]:
    """Fit a (multinomial or binary) logistic regression and return intercepts and per-feature weight rows."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(feature_rows)
    model = LogisticRegression(C=REGULARIZATION_C, max_iter=2000, class_weight="balanced")
    model.fit(matrix, list(targets), sample_weight=list(weights))
    names = vectorizer.get_feature_names_out()
    if n_classes == 2:
        coefficients = model.coef_[0]
        intercepts = [float(model.intercept_[0])]
        rows = {str(n): [round(float(c), 4)] for n, c in zip(names, coefficients, strict=True)}
    else:
        intercepts = [float(b) for b in model.intercept_]
        rows = {
            str(n): [round(float(model.coef_[k][i]), 4) for k in range(n_classes)]
            for i, n in enumerate(names)
        }
    return intercepts, {name: row for name, row in rows.items() if any(abs(w) >= 0.002 for w in row)}


def _frequent(feature_rows: Sequence[dict[str, float]], minimum: int = 2) -> set[str]:
    """Word features seen in fewer than `minimum` texts are dropped (they only memorise); lexicon ones stay."""
    seen: dict[str, int] = {}
    for row in feature_rows:
        for name in row:
            seen[name] = seen.get(name, 0) + 1
    return {name for name, count in seen.items() if count >= minimum or not name.startswith("w:")}


def train(examples: Sequence[Example]) -> dict[str, Any]:
    extractor, lexicon = build_extractor()
    all_rows = [extractor.extract(example.text) for example in examples]
    keep = _frequent(all_rows)
    rows = [{name: value for name, value in row.items() if name in keep} for row in all_rows]

    labelled = [(row, ex) for row, ex in zip(rows, examples, strict=True) if ex.sentiment is not None]
    intercepts, weights = fit_head(
        [row for row, _ in labelled],
        [SENTIMENT_CLASSES.index(ex.sentiment or "") for _, ex in labelled],
        [ex.weight for _, ex in labelled],
        3,
    )
    sentiment = {"classes": list(SENTIMENT_CLASSES), "intercepts": intercepts, "weights": weights}

    emotion_intercepts: list[float] = []
    emotion_weights: dict[str, list[float]] = {}
    for index, label in enumerate(EMOTION_LABELS):
        known = [
            (row, ex)
            for row, ex in zip(rows, examples, strict=True)
            if label in ex.emotions and (label not in CONDITIONAL_EMOTIONS or ex.sentiment == "negative")
        ]
        head_intercepts, head_weights = fit_head(
            [row for row, _ in known],
            [ex.emotions[label] for _, ex in known],
            [ex.weight for _, ex in known],
            2,
        )
        emotion_intercepts.append(head_intercepts[0])
        for name, (weight,) in head_weights.items():
            emotion_weights.setdefault(name, [0.0] * len(EMOTION_LABELS))[index] = weight
    emotions = {
        "labels": list(EMOTION_LABELS),
        "conditional": list(CONDITIONAL_EMOTIONS),
        "intercepts": emotion_intercepts,
        "weights": emotion_weights,
    }

    body = {"lexicon": lexicon, "sentiment": sentiment, "emotions": emotions}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:8]
    sources: dict[str, int] = {}
    for example in examples:
        sources[example.source] = sources.get(example.source, 0) + 1
    return {
        "version": f"{MODEL_VERSION}+{digest}",
        "training": {
            "examples": sources,
            "data": {
                "own": "data/sentiment/posts.jsonl, diary_posts.jsonl (written by the hikeshi team, Apache-2.0)",
                "chabsa": "chABSA-dataset, TIS Inc. (CC BY 4.0), sentiment only, weight 0.25",
                "japanese_toxic": "inspection-ai/japanese-toxic-dataset (Apache-2.0), toxic → anger/disgust",
                "lexicons": "hikeshi team lexicon (Apache-2.0) + ML-Ask dictionary from mlask-official "
                "(BSD-3-Clause, copyright 2007-2013 Michal Ptaszynski, Pawel Dybala, Rafal Rzepka, Kenji Araki)",
            },
            "regularization_c": REGULARIZATION_C,
        },
        **body,
    }


def collect_examples(shared: Path) -> list[Example]:
    examples = own_examples() + own_examples(DIARY_POSTS)
    chabsa = shared / "chabsa" / "dev.jsonl"
    toxic = shared / "japanese_toxic" / "train.jsonl"
    if chabsa.is_file():
        examples += chabsa_examples(chabsa)
    else:
        print(f"注意: {chabsa} がないため chABSA なしで学習します。", file=sys.stderr)
    if toxic.is_file():
        examples += toxic_examples(toxic)
    else:
        print(f"注意: {toxic} がないため japanese_toxic なしで学習します。", file=sys.stderr)
    return examples


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="hikeshi の感情分析モデルを再学習します。")
    parser.add_argument("--shared-data", type=Path, default=SHARED_DATA, help="共有データのディレクトリ")
    parser.add_argument("--output", type=Path, default=MODEL_FILE, help="出力する JSON ファイル")
    args = parser.parse_args(argv)
    try:
        data = train(collect_examples(args.shared_data))
        model_from_json(data)  # fail here, not at run time, if the file would not load
    except HikeshiError as error:
        print(f"エラー: {error}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{args.output} を書き出しました（{data['version']}, 学習データ {data['training']['examples']}）。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
