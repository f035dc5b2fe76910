"""Guard quality: precision / recall / F1 of 'flagged' (caution or danger) on named data, with a baseline.

Data sets (each printed with its size):
- japanese_toxic test split (../shared/data/japanese_toxic/test.jsonl, Apache-2.0), label toxic;
- the team's held-out examples (data/guard_examples, the hashed quarter never used for training);
- the team's SNS comments labelled with the japanese_toxic schema (data/guard_examples/sns_comments.jsonl, never
  used for training);
- the team's net comments with the same schema: net_comments.jsonl (read to write lexicon rules, three quarters in
  training; its held-out quarter is shown) and net_comments_blind.jsonl (written apart, never used for training or
  rule writing);
- the team's blind challenge set (data/guard_examples/challenge.jsonl, never used for training or rule writing);
- paraphrases of real 炎上 cases and of ordinary firm texts, closest to the issue's hidden judgement:
  real_cases.jsonl (read to find lexicon gaps, three quarters in training; its held-out quarter is shown),
  real_cases_blind.jsonl (set 3) and real_cases_set4/5/6/7/8.jsonl, each written apart and never used for
  training, measured blind once and then read for lexicon gaps (see data/guard_examples/README.md).
- ordinary business Japanese that is not the team's: the chABSA company-report sentences
  (../shared/data/chabsa/dev.jsonl, CC BY 4.0, chakki-works/TIS; never used for training), all ordinary;
- real quoted texts (data/guard_examples/real_quoted/, the dev part), when the local copy of the texts exists.
Columns: P / R / F1 / FPR of flagged (caution or danger) and DR, the share of ordinary texts that get danger (for
"model only": the model's own danger vote, before the engine caps a lone model vote at caution).
Baseline: a plain toxicity classifier (TF-IDF char 1-3-grams + logistic regression, balanced) trained on the
japanese_toxic train split only, thresholded at 0.5, as a team without hikeshi would build it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from _data import EXAMPLES, SHARED, read_jsonl
from hikeshi.guard import Guard
from hikeshi.guard.classifier import LinearTextModel, model_from_json
from hikeshi.guard.train import is_heldout
from hikeshi.records import Level
from hikeshi.text.normalize import normalize


@dataclass(frozen=True)
class Labelled:
    text: str
    risky: bool
    kind: str


def load_sets() -> dict[str, list[Labelled]]:
    sets: dict[str, list[Labelled]] = {}
    toxic = SHARED / "japanese_toxic" / "test.jsonl"
    if toxic.exists():
        sets["japanese_toxic test"] = [
            Labelled(str(r["text"]), r["label"] == "toxic", "toxic") for r in read_jsonl(toxic)
        ]
    else:
        print(f"(skipped japanese_toxic: {toxic} not found)")
    heldout = []
    for name in ("risky.jsonl", "fine.jsonl"):
        if (EXAMPLES / name).exists():
            heldout += [
                Labelled(str(r["text"]), r["label"] == "risky", str(r.get("category", "")))
                for r in read_jsonl(EXAMPLES / name)
                if is_heldout(str(r["id"]))
            ]
    if heldout:
        sets["own held-out"] = heldout
    if (EXAMPLES / "sns_comments.jsonl").exists():
        sets["own SNS comments (toxicity schema)"] = [
            Labelled(str(r["text"]), r["label"] == "toxic", str(r.get("category", "")))
            for r in read_jsonl(EXAMPLES / "sns_comments.jsonl")
        ]
    for name, title, keep in (
        ("challenge.jsonl", "own blind challenge", lambda _: True),
        ("real_cases.jsonl", "real-case paraphrases, held-out quarter", is_heldout),
        ("real_cases_blind.jsonl", "real-case paraphrases, set 3", lambda _: True),
        ("real_cases_set4.jsonl", "real-case paraphrases, set 4", lambda _: True),
        ("real_cases_set5.jsonl", "real-case paraphrases, set 5", lambda _: True),
        ("real_cases_set6.jsonl", "real-case paraphrases, set 6", lambda _: True),
        ("real_cases_set7.jsonl", "real-case paraphrases, set 7", lambda _: True),
        ("real_cases_set8.jsonl", "real-case paraphrases, set 8", lambda _: True),
        ("net_comments.jsonl", "own net comments, held-out quarter", is_heldout),
        ("net_comments_blind.jsonl", "own net comments, blind", lambda _: True),
    ):
        if (EXAMPLES / name).exists():
            sets[title] = [
                Labelled(str(r["text"]), r["label"] in ("risky", "toxic"), str(r.get("kind", "")))
                for r in read_jsonl(EXAMPLES / name)
                if keep(str(r["id"]))
            ]
    chabsa = SHARED / "chabsa" / "dev.jsonl"
    if chabsa.exists():
        sets["chABSA company reports"] = [
            Labelled(str(r["text"]), False, "chabsa") for r in read_jsonl(chabsa)
        ]
    sets.update(real_quoted_sets())
    return sets


def real_quoted_sets() -> dict[str, list[Labelled]]:
    """The dev part of the real quoted texts; the texts live only in a local, git-ignored copy (see its README)."""
    local = EXAMPLES / "real_quoted" / "texts.local.jsonl"
    if not local.exists():
        return {}
    rows = [r for r in read_jsonl(local) if r.get("part") == "dev"]
    return {
        "real quoted texts, dev": [
            Labelled(str(r["text"]), r["label"] == "risky", str(r.get("kind", ""))) for r in rows
        ]
    }


def baseline_classifier() -> Callable[[str], Level] | None:
    train = SHARED / "japanese_toxic" / "train.jsonl"
    if not train.exists():
        return None
    rows = read_jsonl(train)
    pipeline = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )
    pipeline.fit([str(r["text"]) for r in rows], [r["label"] == "toxic" for r in rows])
    return lambda text: Level.CAUTION if pipeline.predict_proba([text])[0, 1] >= 0.5 else Level.OK


def scores(items: list[Labelled], judge: Callable[[str], Level]) -> dict[str, float]:
    levels = [judge(item.text) for item in items]
    predicted = [level != Level.OK for level in levels]
    dangers = sum(level == Level.DANGER and not i.risky for level, i in zip(levels, items, strict=True))
    tp = sum(p and i.risky for p, i in zip(predicted, items, strict=True))
    fp = sum(p and not i.risky for p, i in zip(predicted, items, strict=True))
    fn = sum((not p) and i.risky for p, i in zip(predicted, items, strict=True))
    negatives = sum(not i.risky for i in items)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "P": precision,
        "R": recall,
        "F1": f1,
        "FPR": fp / negatives if negatives else 0.0,
        "DR": dangers / negatives if negatives else 0.0,
    }


def model_level(model: LinearTextModel, text: str) -> Level:
    folded = normalize(text).folded
    probability = model.probability(folded)
    caution, danger = model.thresholds(folded)
    if probability >= danger:
        return Level.DANGER
    return Level.CAUTION if probability >= caution else Level.OK


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="list missed and false-alarm texts")
    parser.add_argument(
        "--compare", type=Path, help="another model file (e.g. the previous one) scored in the same run"
    )
    args = parser.parse_args()
    sets = load_sets()
    guard = Guard()
    silent = LinearTextModel("silent", -20.0, {}, 0.5, 0.9)
    rules_only = Guard(model=silent)
    systems: dict[str, Callable[[str], Level]] = {
        "hikeshi guard": lambda t: guard.check(t).level,
        "  lexicon+detectors only": lambda t: rules_only.check(t).level,
        "  shipped model only": lambda t: model_level(guard.model, t),
    }
    if args.compare is not None:
        other = Guard(model=model_from_json(json.loads(args.compare.read_text(encoding="utf-8"))))
        systems["guard with --compare model"] = lambda t: other.check(t).level
        systems["  --compare model only"] = lambda t: model_level(other.model, t)
    baseline = baseline_classifier()
    if baseline is not None:
        systems["baseline: toxicity classifier"] = baseline
    for name, items in sets.items():
        positives = sum(i.risky for i in items)
        print(f"\n== {name}: {len(items)} texts ({positives} risky, {len(items) - positives} not)")
        print(f"  {'system':34} {'P':>6} {'R':>6} {'F1':>6} {'FPR':>6} {'DR':>6}")
        for system, judge in systems.items():
            s = scores(items, judge)
            print(f"  {system:34} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {s['FPR']:6.3f} {s['DR']:6.3f}")
        if args.errors:
            for item in items:
                verdict = guard.check(item.text)
                flagged = verdict.level != Level.OK
                if flagged != item.risky:
                    tag = "MISS" if item.risky else "FALSE"
                    why = ",".join(f.rule for f in verdict.findings)
                    print(f"    {tag} [{item.kind}] {item.text[:90]!r} {why}")


if __name__ == "__main__":
    main()
