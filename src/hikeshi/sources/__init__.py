"""Network sources behind one Protocol: RSS/Atom feeds, news article pages and X API v2 recent search.

``build_source(SourceSpec(kind="rss", target=url), settings, client)`` returns a `Source`; its
``fetch(state)`` gives the new posts and the state to pass next time. All fetching goes through
`SafeHttpClient`, which refuses private addresses unless ``Settings.allow_private_urls`` is set.
"""

from hikeshi.sources import news, rss, x  # noqa: F401  (importing registers each kind)
from hikeshi.sources.base import (
    FetchResult,
    Source,
    SourceSpec,
    SourceState,
    build_source,
    register_source,
    source_kinds,
)
from hikeshi.sources.http import FetchError, HttpResponse, SafeHttpClient, UnsafeUrlError, is_public_address
from hikeshi.sources.news import NewsSource, extract_article
from hikeshi.sources.rss import RssSource, parse_feed
from hikeshi.sources.x import XRecentSearchSource

__all__ = [
    "FetchError",
    "FetchResult",
    "HttpResponse",
    "NewsSource",
    "RssSource",
    "SafeHttpClient",
    "Source",
    "SourceSpec",
    "SourceState",
    "UnsafeUrlError",
    "XRecentSearchSource",
    "build_source",
    "extract_article",
    "is_public_address",
    "parse_feed",
    "register_source",
    "source_kinds",
]
