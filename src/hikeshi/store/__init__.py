"""Storage of watches, posts, analyses, signals, sources and suggest snapshots (SQLite or PostgreSQL).

Open it with `Store(settings.database_url)` or `Store.open(settings)`; migrations are applied on open.
"""

from hikeshi.store.records import Source, SourceKind, StoredPost, SuggestSnapshot, WatchSummary
from hikeshi.store.store import Store

__all__ = ["Source", "SourceKind", "Store", "StoredPost", "SuggestSnapshot", "WatchSummary"]
