"""The one Protocol every network source implements, the state it resumes from, and the registry.

A source is polled repeatedly by the monitor. Each poll gets the state the previous poll returned (an ETag, a
``since_id``) and returns the new posts plus the next state, so a restarted monitor resumes where it stopped.
The state is one small typed record that the store can keep as JSON; duplicates that a source may return
anyway (a feed lists the same items again after it changed) are harmless because ingestion is keyed by
``Post.key``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.errors import InputError
from hikeshi.records import Post
from hikeshi.settings import Settings
from hikeshi.sources.http import SafeHttpClient

Clock = Callable[[], dt.datetime]


class SourceState(BaseModel):
    """Where a source stopped; every field is optional because each source uses only some of them."""

    model_config = ConfigDict(frozen=True)

    etag: str | None = None
    last_modified: str | None = None
    since_id: str | None = Field(default=None, description="X API: newest post id already fetched")
    pagination_token: str | None = Field(
        default=None, description="X API: where an unfinished backlog (page cap, rate limit) continues"
    )
    pending_since_id: str | None = Field(
        default=None, description="X API: newest id seen in that backlog; becomes since_id once it is done"
    )
    fetched_at: AwareDatetime | None = None


class FetchResult(BaseModel):
    """Posts from one poll and the state for the next one.

    ``complete`` is False when the poll stopped early (rate limit, page cap); the state then stays where it was
    so that the next poll fetches the missing part again rather than skipping it.
    """

    model_config = ConfigDict(frozen=True)

    posts: list[Post]
    state: SourceState
    complete: bool = True
    not_modified: bool = False


@runtime_checkable
class Source(Protocol):
    """Fetches new posts for one target (a feed URL, an article URL, a search query)."""

    kind: str

    def fetch(self, state: SourceState) -> FetchResult: ...


class SourceSpec(BaseModel):
    """How a watch names one of its sources: ``kind`` is a registry key, ``target`` a URL or a query.

    ``base_url`` overrides the API endpoint (X API), e.g. for a test server or an API gateway.
    """

    model_config = ConfigDict(frozen=True)

    kind: str
    target: str = Field(min_length=1)
    base_url: str | None = None


SourceFactory = Callable[[SourceSpec, Settings, SafeHttpClient], Source]

_REGISTRY: dict[str, SourceFactory] = {}


def register_source(kind: str, factory: SourceFactory) -> None:
    """Adding a source is one module plus one call here; nothing else changes."""
    _REGISTRY[kind] = factory


def source_kinds() -> list[str]:
    return sorted(_REGISTRY)


def build_source(spec: SourceSpec, settings: Settings, client: SafeHttpClient) -> Source:
    factory = _REGISTRY.get(spec.kind)
    if factory is None:
        raise InputError(f"不明なソースの種類です: {spec.kind}（使えるもの: {', '.join(source_kinds())}）")
    return factory(spec, settings, client)
