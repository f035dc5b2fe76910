"""The analyzer extension point: a Protocol (batch of texts in, batch of partial results out) and a registry.

Each analyzer fills the part of `Analysis` it knows (sentiment, emotions or harm); `analyze()` merges the parts,
adds the risk score and records every analyzer's model version. Adding an analyzer is one class and one
`register()` call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from hikeshi.errors import InputError
from hikeshi.records import Emotions, Sentiment


class PartialAnalysis(BaseModel):
    """What one analyzer says about one text; unset parts are filled by other analyzers."""

    model_config = ConfigDict(frozen=True)

    sentiment: Sentiment | None = None
    emotions: Emotions | None = None
    harm: dict[str, float] | None = None


@runtime_checkable
class Analyzer(Protocol):
    """Batch-first, like scikit-learn's `transform(X)`: the CLI, ingest and the web call the same method."""

    name: str

    @property
    def version(self) -> str: ...

    def analyze(self, texts: Sequence[str]) -> list[PartialAnalysis]: ...


_REGISTRY: dict[str, Callable[[], Analyzer]] = {}


def register(name: str, factory: Callable[[], Analyzer]) -> None:
    _REGISTRY[name] = factory


def available() -> list[str]:
    return sorted(_REGISTRY)


def create(name: str) -> Analyzer:
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise InputError(f"分析器 {name!r} はありません（使えるもの: {', '.join(available())}）。") from None
    return factory()
