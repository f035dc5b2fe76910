"""Monitoring analyzers: sentiment, emotions, harm categories and a risk score for a batch of texts.

`analyze(texts)` is the one entry point that ingest, the CLI (`hikeshi analyze --jsonl`) and the web use; the
harm part is the guard itself, so prevent and detect share one code path.

>>> analyze(["対応が最悪。二度と買わない"])[0].sentiment.negative > 0.5
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from hikeshi.analysis import analyzers as _analyzers  # registers the shipped analyzers
from hikeshi.analysis.base import Analyzer, PartialAnalysis, available, create, register
from hikeshi.analysis.duplicates import NearDuplicateGrouper, group_near_duplicates
from hikeshi.analysis.pipeline import DEFAULT_ANALYZERS, AnalysisPipeline, risk_score
from hikeshi.records import Analysis

__all__ = [
    "DEFAULT_ANALYZERS",
    "AnalysisPipeline",
    "Analyzer",
    "NearDuplicateGrouper",
    "PartialAnalysis",
    "analyze",
    "available",
    "create",
    "default_pipeline",
    "group_near_duplicates",
    "register",
    "risk_score",
]

del _analyzers


@lru_cache(maxsize=1)
def default_pipeline() -> AnalysisPipeline:
    """Sentiment, emotions and harm with the shipped models, built once per process."""
    return AnalysisPipeline([create(name) for name in DEFAULT_ANALYZERS])


def analyze(texts: Sequence[str]) -> list[Analysis]:
    """One `Analysis` per text, in order (batch-first: pass every post of a batch in one call)."""
    return default_pipeline().analyze(texts)
