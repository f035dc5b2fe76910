"""Records that only the store and its callers need; the shared ones live in `hikeshi.records`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.records import Analysis, Post, Watch


class SourceKind(StrEnum):
    """Kinds of polled sources a watch can have; the pollers themselves live in `hikeshi.sources`."""

    RSS = "rss"
    NEWS = "news"
    X = "x"
    SUGGEST = "suggest"


class Source(BaseModel):
    """A polled source of a watch: what to poll (`config`), how often, and where the last poll stopped."""

    model_config = ConfigDict(frozen=True)

    id: int
    watch: str
    kind: str
    config: dict[str, Any] = Field(default_factory=dict, description="url, query, engine, ... per kind")
    interval_seconds: int = Field(ge=1)
    state: dict[str, Any] = Field(default_factory=dict, description="cursors: since_id, etag, seen ids, ...")
    last_polled_at: AwareDatetime | None = None
    created_at: AwareDatetime


class SuggestSnapshot(BaseModel):
    """The suggestions one engine gave for one query at one time, in the engine's order."""

    model_config = ConfigDict(frozen=True)

    watch: str
    engine: str
    query: str
    taken_at: AwareDatetime
    suggestions: list[str]


class StoredPost(BaseModel):
    """A post as stored: its row id, the post, its analysis (if any) and its near-duplicate group."""

    model_config = ConfigDict(frozen=True)

    id: int
    post: Post
    analysis: Analysis | None = None
    dup_group: str | None = None


class WatchSummary(BaseModel):
    """What `hikeshi watch show` prints: the watch and how much has been collected for it."""

    model_config = ConfigDict(frozen=True)

    watch: Watch
    posts: int
    analyzed: int
    first_post_at: AwareDatetime | None = None
    last_post_at: AwareDatetime | None = None
    sources: int
    signals: int
    posts_by_source: dict[str, int] = Field(default_factory=dict)
