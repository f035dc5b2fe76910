"""Search-suggest keyword watch: 「社名 ブラック」「社名 詐欺」 appearing in Google, Bing and Yahoo! suggestions.

`check_suggest` takes one round of snapshots through the `SuggestEngine`s and compares it with stored
history; the comparison itself (`compare_round`, `replay_signals`) is pure.
"""

from hikeshi.suggest.check import EngineFailure, SuggestCheck, check_suggest, take_snapshots
from hikeshi.suggest.engines import (
    ENGINES,
    BingSuggest,
    GoogleSuggest,
    SuggestEngine,
    YahooSuggest,
    build_engine,
)
from hikeshi.suggest.history import (
    NewRisk,
    SuggestDiff,
    compare_round,
    diff_snapshots,
    query_variants,
    replay_signals,
    risky_suggest_signal,
)
from hikeshi.suggest.risk import (
    RiskDictionary,
    RiskHit,
    RiskTerm,
    default_risk_dictionary,
    load_risk_dictionary,
)

__all__ = [
    "ENGINES",
    "BingSuggest",
    "EngineFailure",
    "GoogleSuggest",
    "NewRisk",
    "RiskDictionary",
    "RiskHit",
    "RiskTerm",
    "SuggestCheck",
    "SuggestDiff",
    "SuggestEngine",
    "YahooSuggest",
    "build_engine",
    "check_suggest",
    "compare_round",
    "default_risk_dictionary",
    "diff_snapshots",
    "load_risk_dictionary",
    "query_variants",
    "replay_signals",
    "risky_suggest_signal",
    "take_snapshots",
]
