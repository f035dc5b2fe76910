"""Pure functions over suggest snapshots: which queries to ask, what changed, and when to raise a signal.

Everything here is a function of snapshots (and the dictionary) only, so the CLI, the monitor and a replay of
stored history all reach the same signals, and tests need no network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import AwareDatetime, BaseModel, ConfigDict

from hikeshi.records import Signal, SignalEvidence, SignalKind
from hikeshi.store.records import SuggestSnapshot
from hikeshi.suggest.risk import RiskDictionary, RiskHit, match_key

ENGINE_LABELS = {"google": "Google", "bing": "Bing", "yahoo": "Yahoo!"}
SUMMARY_EXAMPLES = 3


def query_variants(names: Sequence[str]) -> list[str]:
    """「社名」 and 「社名 」 for each name: the trailing space makes engines complete the *next* word.

    Only these two per name: suggest endpoints are unofficial and rate-limited, so the watch stays modest.
    """
    queries: list[str] = []
    for name in names:
        stripped = " ".join(name.split())
        if stripped:
            queries.extend([stripped, stripped + " "])
    return list(dict.fromkeys(queries))


class SuggestDiff(BaseModel):
    """What changed between two snapshots of one (engine, query); ``before_at`` is None for the first one."""

    model_config = ConfigDict(frozen=True)

    engine: str
    query: str
    before_at: AwareDatetime | None
    after_at: AwareDatetime
    added: list[str]
    removed: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


class NewRisk(BaseModel):
    """A risky suggestion that was not there in the previous snapshot of the same engine and query."""

    model_config = ConfigDict(frozen=True)

    engine: str
    query: str
    hit: RiskHit


def diff_snapshots(before: SuggestSnapshot | None, after: SuggestSnapshot) -> SuggestDiff:
    """Added terms in the new order, removed terms in the old order; compared on `match_key`."""
    old = before.suggestions if before is not None else []
    old_keys = {match_key(term) for term in old}
    new_keys = {match_key(term) for term in after.suggestions}
    return SuggestDiff(
        engine=after.engine,
        query=after.query,
        before_at=before.taken_at if before is not None else None,
        after_at=after.taken_at,
        added=[term for term in after.suggestions if match_key(term) not in old_keys],
        removed=[term for term in old if match_key(term) not in new_keys],
    )


def latest_snapshots(snapshots: Iterable[SuggestSnapshot]) -> dict[tuple[str, str], SuggestSnapshot]:
    """The newest snapshot per (engine, query)."""
    latest: dict[tuple[str, str], SuggestSnapshot] = {}
    for snapshot in snapshots:
        key = (snapshot.engine, snapshot.query)
        if key not in latest or snapshot.taken_at >= latest[key].taken_at:
            latest[key] = snapshot
    return latest


def new_risks(
    previous: SuggestSnapshot | None,
    current: SuggestSnapshot,
    names: Sequence[str],
    dictionary: RiskDictionary,
) -> list[NewRisk]:
    """Risky suggestions in ``current`` that ``previous`` did not have (all of them on the first snapshot)."""
    before = (
        {match_key(hit.suggestion) for hit in dictionary.scan(previous.suggestions, names)}
        if previous
        else set()
    )
    return [
        NewRisk(engine=current.engine, query=current.query, hit=hit)
        for hit in dictionary.scan(current.suggestions, names)
        if match_key(hit.suggestion) not in before
    ]


def compare_round(
    previous: Iterable[SuggestSnapshot],
    current: Sequence[SuggestSnapshot],
    names: Sequence[str],
    dictionary: RiskDictionary,
) -> tuple[list[SuggestDiff], list[NewRisk]]:
    """Diffs and new risks of one round of snapshots against the newest earlier snapshot of each key."""
    latest = latest_snapshots(snapshot for snapshot in previous)
    diffs: list[SuggestDiff] = []
    risks: list[NewRisk] = []
    for snapshot in current:
        before = latest.get((snapshot.engine, snapshot.query))
        diffs.append(diff_snapshots(before, snapshot))
        risks.extend(new_risks(before, snapshot, names, dictionary))
    return diffs, risks


def risky_suggest_signal(watch: str, taken_at: dt.datetime, risks: Sequence[NewRisk]) -> Signal | None:
    """One signal per round, so one check that finds 「ブラック」 on three engines is one alert, not three.

    Severity is that of the most severe term; ``window_start`` and ``detected_at`` are the round's time.
    """
    if not risks:
        return None
    by_suggestion: dict[str, list[NewRisk]] = defaultdict(list)
    for risk in risks:
        by_suggestion[risk.hit.suggestion].append(risk)
    ordered = sorted(by_suggestion.values(), key=lambda group: (-group[0].hit.severity, group[0].hit.rank))
    examples = []
    for group in ordered[:SUMMARY_EXAMPLES]:
        engines = "・".join(dict.fromkeys(ENGINE_LABELS.get(risk.engine, risk.engine) for risk in group))
        examples.append(f"「{group[0].hit.suggestion}」（{engines}、リスク語「{group[0].hit.term}」）")
    more = f" ほか {len(ordered) - SUMMARY_EXAMPLES} 件" if len(ordered) > SUMMARY_EXAMPLES else ""
    return Signal(
        watch=watch,
        kind=SignalKind.RISKY_SUGGEST,
        window_start=taken_at,
        detected_at=taken_at,
        severity=max(risk.hit.severity for risk in risks),
        evidence=SignalEvidence(
            terms=list(by_suggestion),
            metrics={
                "new_risky_suggestions": float(len(by_suggestion)),
                "engines": float(len({risk.engine for risk in risks})),
                "best_rank": float(min(risk.hit.rank for risk in risks)),
            },
        ),
        summary=f"検索候補に新しいリスク語が現れました: {'、'.join(examples)}{more}。",
    )


def replay_signals(
    watch: str, snapshots: Iterable[SuggestSnapshot], names: Sequence[str], dictionary: RiskDictionary
) -> list[Signal]:
    """Signals over a stored history, round by round (snapshots sharing a ``taken_at`` form a round)."""
    rounds: dict[dt.datetime, list[SuggestSnapshot]] = defaultdict(list)
    for snapshot in snapshots:
        rounds[snapshot.taken_at].append(snapshot)
    seen: list[SuggestSnapshot] = []
    signals: list[Signal] = []
    for taken_at in sorted(rounds):
        _diffs, risks = compare_round(seen, rounds[taken_at], names, dictionary)
        signal = risky_suggest_signal(watch, taken_at, risks)
        if signal is not None:
            signals.append(signal)
        seen.extend(rounds[taken_at])
    return signals
