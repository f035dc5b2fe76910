"""What a dashboard shows about search suggestions: the newest list per engine and query, its risky terms,
and the recent changes. A pure function of stored snapshots, like the rest of `hikeshi.suggest.history`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.records import Watch
from hikeshi.store.records import SuggestSnapshot
from hikeshi.suggest.history import SuggestDiff, diff_snapshots
from hikeshi.suggest.risk import RiskDictionary, RiskHit

MAX_CHANGES = 50


class LatestSuggestions(BaseModel):
    """The newest snapshot of one (engine, query) and the risky suggestions in it."""

    model_config = ConfigDict(frozen=True)

    engine: str
    query: str
    taken_at: AwareDatetime
    suggestions: list[str]
    risks: list[RiskHit] = Field(description="リスク語を含む検索候補（順位つき）")


class SuggestOverview(BaseModel):
    model_config = ConfigDict(frozen=True)

    watch: str
    latest: list[LatestSuggestions]
    changes: list[SuggestDiff] = Field(description="検索候補の変化（新しい順）")


def suggest_overview(
    watch: Watch,
    snapshots: Iterable[SuggestSnapshot],
    dictionary: RiskDictionary,
    max_changes: int = MAX_CHANGES,
) -> SuggestOverview:
    """Latest lists with risky terms (the watch's own risk terms included) and the newest changes.

    Example: after 「ナミキ住宅 ブラック」 appears in Google, `latest` holds it with the hit 「ブラック」 and
    `changes` starts with the diff that added it.
    """
    by_key: dict[tuple[str, str], list[SuggestSnapshot]] = defaultdict(list)
    for snapshot in snapshots:
        by_key[(snapshot.engine, snapshot.query)].append(snapshot)
    risk_dictionary = dictionary.with_terms(watch.risk_terms)
    latest: list[LatestSuggestions] = []
    changes: list[SuggestDiff] = []
    for (engine, query), history in sorted(by_key.items()):
        history.sort(key=lambda snapshot: snapshot.taken_at)
        newest = history[-1]
        latest.append(
            LatestSuggestions(
                engine=engine,
                query=query,
                taken_at=newest.taken_at,
                suggestions=list(newest.suggestions),
                risks=risk_dictionary.scan(newest.suggestions, watch.terms),
            )
        )
        previous: SuggestSnapshot | None = None
        for snapshot in history:
            diff = diff_snapshots(previous, snapshot)
            if previous is not None and diff.changed:
                changes.append(diff)
            previous = snapshot
    changes.sort(key=lambda diff: diff.after_at, reverse=True)
    return SuggestOverview(watch=watch.name, latest=latest, changes=changes[:max_changes])
