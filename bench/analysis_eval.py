"""Tone quality of `hikeshi.analysis` against lexicon baselines, on WRIME v1 dev (evaluation only).

Reads ../shared/data/wrime_v1/dev.tsv at run time (CC BY-NC-ND 4.0: never copied, never used for training) and
prints, for hikeshi and for each baseline that can run offline here (mlask-official, oseti, their sum):
- macro-F1 (and accuracy, AUC) of negative vs positive by the README's polarity proxy;
- AUC of the hostility proxy (max of readers' anger/disgust ≥ 1) for the tool's anger/disgust score.
Also the chABSA dev tone accuracy (negative vs positive) when ../shared/data/chabsa/dev.jsonl is present; note
that chABSA dev is part of hikeshi's training data, so that figure is a fit check, not a held-out score.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

from _data import SHARED, read_jsonl
from hikeshi.analysis import analyze

WRIME = SHARED / "wrime_v1" / "dev.tsv"
NEGATIVE_EMOTIONS = ("Anger", "Disgust", "Sadness", "Fear")


@dataclass(frozen=True)
class Scores:
    """Per text: polarity (higher = more positive, 0 counts as positive) and hostility (higher = more hostile)."""

    polarity: list[float]
    hostility: list[float]


def load_wrime() -> tuple[list[str], list[int | None], list[int]]:
    texts: list[str] = []
    polarity: list[int | None] = []
    hostility: list[int] = []
    with WRIME.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            avg = {name: float(row[f"Avg. Readers_{name}"]) for name in (*NEGATIVE_EMOTIONS, "Joy")}
            negative_peak = max(avg[name] for name in NEGATIVE_EMOTIONS)
            label: int | None = None
            if negative_peak >= 1 and avg["Joy"] < 1:
                label = 0
            elif avg["Joy"] >= 1 and negative_peak < 1:
                label = 1
            texts.append(row["Sentence"])
            polarity.append(label)
            hostility.append(int(max(avg["Anger"], avg["Disgust"]) >= 1))
    return texts, polarity, hostility


def hikeshi_scores(texts: Sequence[str]) -> Scores:
    results = analyze(texts)
    return Scores(
        [r.sentiment.positive - r.sentiment.negative for r in results],
        [max(r.emotions.anger, r.emotions.disgust) for r in results],
    )


def mlask_scorer() -> Callable[[Sequence[str]], Scores] | None:
    try:
        import ipadic
        from mlask_official import MLAskOfficial
    except ImportError:
        return None
    analyzer = MLAskOfficial(mecab_arg=ipadic.MECAB_ARGS, use_dependency_cvs=False, use_cache=False)
    positive, negative, hostile = (
        {"yorokobi", "suki", "yasu"},
        {"ikari", "iya", "kowa", "aware", "haji"},
        {
            "ikari",
            "iya",
        },
    )

    def score(texts: Sequence[str]) -> Scores:
        polarity, hostility = [], []
        for text in texts:
            emotion = analyzer.analyze(text).get("emotion") or {}
            polarity.append(
                float(sum(len(v) for k, v in emotion.items() if k in positive))
                - sum(len(v) for k, v in emotion.items() if k in negative)
            )
            hostility.append(float(sum(len(v) for k, v in emotion.items() if k in hostile)))
        return Scores(polarity, hostility)

    return score


def oseti_scorer() -> Callable[[Sequence[str]], Scores] | None:
    """oseti as shipped (bunkai sentences, mean polarity per sentence), with IPADIC from the `ipadic` package."""
    try:
        import ipadic
        import oseti

        analyzer = oseti.Analyzer(mecab_args=ipadic.MECAB_ARGS)
    except Exception as error:  # ImportError, or oseti's RuntimeError when MeCab cannot start
        print(f"oseti を使えません: {error}", file=sys.stderr)
        return None

    def score(texts: Sequence[str]) -> Scores:
        polarity = []
        for text in texts:
            values = analyzer.analyze(text)
            polarity.append(sum(values) / len(values) if values else 0.0)
        return Scores(polarity, [-value for value in polarity])

    return score


def report(
    name: str, scores: Scores, polarity: list[int | None], hostility: list[int], seconds: float
) -> None:
    kept = [(s, label) for s, label in zip(scores.polarity, polarity, strict=True) if label is not None]
    truth = [label for _, label in kept]
    predicted = [int(s >= 0) for s, _ in kept]
    print(
        f"{name:<24} macro-F1 {f1_score(truth, predicted, average='macro'):.3f}  "
        f"acc {accuracy_score(truth, predicted):.3f}  "
        f"AUC {roc_auc_score(truth, [s for s, _ in kept]):.3f}  "
        f"hostility AUC {roc_auc_score(hostility, scores.hostility):.3f}  "
        f"({len(scores.polarity) / max(seconds, 1e-9):,.0f} texts/s)"
    )


def cost_ratio(texts: Sequence[str]) -> None:
    """analyze() cost per text as a multiple of a plain SudachiPy tokenization of the same texts (same run)."""
    from hikeshi.analysis import default_pipeline
    from hikeshi.text.tokenize import tokenize

    pipeline = default_pipeline()
    tokenize("準備")
    best_tokenize, best_analyze = float("inf"), float("inf")
    for round_number in range(3):
        varied = [f"{text} {round_number}" for text in texts]  # defeat the feature cache
        started = time.perf_counter()
        for text in varied:
            tokenize(text)
        best_tokenize = min(best_tokenize, time.perf_counter() - started)
        started = time.perf_counter()
        pipeline.analyze(varied)
        best_analyze = min(best_analyze, time.perf_counter() - started)
    per_text = 1e6 / len(texts)
    print(
        f"cost: analyze {best_analyze * per_text:.0f} µs/text = {best_analyze / best_tokenize:.1f}× "
        f"a SudachiPy tokenization ({best_tokenize * per_text:.0f} µs/text), best of 3 on {len(texts)} texts"
    )


def chabsa_check() -> None:
    path = SHARED / "chabsa" / "dev.jsonl"
    if not path.exists():
        return
    rows = [r for r in read_jsonl(path) if r["label"] in ("positive", "negative")]
    results = analyze([str(r["text"]) for r in rows])
    predicted = ["positive" if r.sentiment.positive >= r.sentiment.negative else "negative" for r in results]
    accuracy = accuracy_score([r["label"] for r in rows], predicted)
    print(f"chABSA dev tone accuracy (in training data, fit check): {accuracy:.3f} on {len(rows)} sentences")


def main() -> int:
    if not WRIME.exists():
        print(f"{WRIME} がありません。評価をスキップします。")
        return 0
    texts, polarity, hostility = load_wrime()
    negatives = sum(1 for p in polarity if p == 0)
    positives = sum(1 for p in polarity if p == 1)
    print(
        f"WRIME v1 dev: {len(texts)} posts; polarity proxy {negatives} negative / {positives} positive; "
        f"hostility proxy {sum(hostility)} of {len(texts)}"
    )
    tools: dict[str, Callable[[Sequence[str]], Scores]] = {"hikeshi": hikeshi_scores}
    for name, factory in (("mlask-official", mlask_scorer), ("oseti", oseti_scorer)):
        scorer = factory()
        if scorer is None:
            print(f"{name}: インストールされていないため比較から外します。")
        else:
            tools[name] = scorer
    computed: dict[str, Scores] = {}
    for name, scorer in tools.items():
        started = time.perf_counter()
        computed[name] = scorer(texts)
        report(name, computed[name], polarity, hostility, time.perf_counter() - started)
    if "mlask-official" in computed and "oseti" in computed:
        a, b = computed["oseti"], computed["mlask-official"]
        ensemble = Scores(
            [x + y for x, y in zip(a.polarity, b.polarity, strict=True)],
            [x + y for x, y in zip(a.hostility, b.hostility, strict=True)],
        )
        report("oseti+mlask (sum)", ensemble, polarity, hostility, float("inf"))
    chabsa_check()
    cost_ratio(texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
