"""Search-suggest engines behind one Protocol: Google, Bing and Yahoo!, each in its own JSON format.

These are the endpoints browsers use for the search box; they take no key. Their base URLs are configurable so
that tests (and a company proxy) can stand in for them. Parsing is separate from fetching so that a change in a
format is one small pure function to fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from hikeshi.errors import InputError
from hikeshi.sources.http import FetchError, HttpResponse, SafeHttpClient, raise_for_status

GOOGLE_URL = "https://suggestqueries.google.com/complete/search"
BING_URL = "https://api.bing.com/osjson.aspx"
YAHOO_URL = "https://ff.search.yahoo.com/gossip"


@runtime_checkable
class SuggestEngine(Protocol):
    """Returns the suggestions an engine shows for a query, in the engine's order."""

    name: str
    label: str

    def suggest(self, query: str) -> list[str]: ...


def _json(response: HttpResponse, label: str) -> Any:
    raise_for_status(response, f"{label} の検索候補")
    try:
        # Decode by the declared charset: with hl=ja Google may answer in Shift_JIS.
        return json.loads(response.text)
    except ValueError:
        raise FetchError(f"{label} の検索候補の応答を JSON として読めません: {response.url}") from None


def _strings(values: Any) -> list[str]:
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


def parse_opensearch(payload: Any, label: str) -> list[str]:
    """OpenSearch suggestions (Google ``client=firefox``, Bing osjson): ``["query", ["s1", "s2", ...], ...]``."""
    if not (isinstance(payload, list) and len(payload) >= 2 and isinstance(payload[1], list)):
        raise FetchError(f"{label} の検索候補の形式が想定と違います（[検索語, [候補...]] ではありません）。")
    return _strings(payload[1])


def parse_yahoo_gossip(payload: Any) -> list[str]:
    """Yahoo! gossip: ``{"gossip": {"qry": "...", "results": [{"key": "..."}, ...]}}``."""
    gossip = payload.get("gossip") if isinstance(payload, dict) else None
    # A query without suggestions may come back without "results"; that is an empty list, not an error.
    results = gossip.get("results", []) if isinstance(gossip, dict) else None
    if not isinstance(results, list):
        raise FetchError("Yahoo! の検索候補の形式が想定と違います（gossip.results がありません）。")
    return _strings(result.get("key") for result in results if isinstance(result, dict))


class GoogleSuggest:
    name = "google"
    label = "Google"

    def __init__(self, client: SafeHttpClient, base_url: str = GOOGLE_URL) -> None:
        self._client = client
        self._url = base_url

    def suggest(self, query: str) -> list[str]:
        params = {"client": "firefox", "hl": "ja", "q": query, "ie": "utf-8", "oe": "utf-8"}
        return parse_opensearch(_json(self._client.get(self._url, params=params), self.label), self.label)


class BingSuggest:
    name = "bing"
    label = "Bing"

    def __init__(self, client: SafeHttpClient, base_url: str = BING_URL) -> None:
        self._client = client
        self._url = base_url

    def suggest(self, query: str) -> list[str]:
        params = {"query": query, "mkt": "ja-JP"}
        return parse_opensearch(_json(self._client.get(self._url, params=params), self.label), self.label)


class YahooSuggest:
    name = "yahoo"
    label = "Yahoo!"

    def __init__(self, client: SafeHttpClient, base_url: str = YAHOO_URL) -> None:
        self._client = client
        self._url = base_url

    def suggest(self, query: str) -> list[str]:
        params = {"output": "json", "command": query}
        return parse_yahoo_gossip(_json(self._client.get(self._url, params=params), self.label))


EngineFactory = Callable[[SafeHttpClient, str | None], SuggestEngine]

ENGINES: dict[str, EngineFactory] = {
    "google": lambda client, url: GoogleSuggest(client, url or GOOGLE_URL),
    "bing": lambda client, url: BingSuggest(client, url or BING_URL),
    "yahoo": lambda client, url: YahooSuggest(client, url or YAHOO_URL),
}


def build_engine(name: str, client: SafeHttpClient, base_url: str | None = None) -> SuggestEngine:
    factory = ENGINES.get(name)
    if factory is None:
        raise InputError(f"不明な検索エンジンです: {name}（使えるもの: {', '.join(ENGINES)}）")
    return factory(client, base_url)
