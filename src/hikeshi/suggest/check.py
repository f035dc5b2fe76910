"""One round of the suggest watch: ask each engine for each query variant, then compare with history.

This is the only module here with effects (network through the engines); failures of one engine are kept as
data so that a blocked Bing does not stop the Google and Yahoo! checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from pydantic import AwareDatetime, BaseModel, ConfigDict

from hikeshi.errors import HikeshiError
from hikeshi.records import Signal, Watch
from hikeshi.store.records import SuggestSnapshot
from hikeshi.suggest.engines import SuggestEngine
from hikeshi.suggest.history import NewRisk, SuggestDiff, compare_round, query_variants, risky_suggest_signal
from hikeshi.suggest.risk import RiskDictionary


class EngineFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    engine: str
    query: str
    message: str


class SuggestCheck(BaseModel):
    """Everything one check found: the snapshots to store, what changed, new risky terms and the signal."""

    model_config = ConfigDict(frozen=True)

    watch: str
    taken_at: AwareDatetime
    snapshots: list[SuggestSnapshot]
    failures: list[EngineFailure]
    diffs: list[SuggestDiff]
    risks: list[NewRisk]
    signal: Signal | None


def take_snapshots(
    watch: Watch, engines: Sequence[SuggestEngine], taken_at: dt.datetime
) -> tuple[list[SuggestSnapshot], list[EngineFailure]]:
    """Snapshots for every (engine, query variant); an engine that fails once is not asked again this round."""
    snapshots: list[SuggestSnapshot] = []
    failures: list[EngineFailure] = []
    for engine in engines:
        for query in query_variants(watch.terms):
            try:
                suggestions = engine.suggest(query)
            except HikeshiError as error:
                failures.append(EngineFailure(engine=engine.name, query=query, message=str(error)))
                break
            snapshots.append(
                SuggestSnapshot(
                    watch=watch.name,
                    engine=engine.name,
                    query=query,
                    taken_at=taken_at,
                    suggestions=suggestions,
                )
            )
    return snapshots, failures


def check_suggest(
    watch: Watch,
    engines: Sequence[SuggestEngine],
    previous: Iterable[SuggestSnapshot],
    dictionary: RiskDictionary,
    taken_at: dt.datetime,
) -> SuggestCheck:
    """Take a round of snapshots and compare it with ``previous`` (the stored history of this watch)."""
    snapshots, failures = take_snapshots(watch, engines, taken_at)
    risk_dictionary = dictionary.with_terms(watch.risk_terms)
    diffs, risks = compare_round(previous, snapshots, watch.terms, risk_dictionary)
    return SuggestCheck(
        watch=watch.name,
        taken_at=taken_at,
        snapshots=snapshots,
        failures=failures,
        diffs=diffs,
        risks=risks,
        signal=risky_suggest_signal(watch.name, taken_at, risks),
    )
