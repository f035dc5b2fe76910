"""One poll of one source: fetch (or take a suggest round), ingest what is new, and work out the next state.

The state saved for a source is the poller's cursor (`SourceState` fields: ETag, since_id, ...) plus the
monitor's own bookkeeping under ``"monitor"`` (last success, last error, failures in a row, posts added).
Nothing is written here: the daemon saves the state only after the posts are in the store, so a crash between
the two re-fetches (harmless, ingestion is idempotent) rather than skipping posts.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.errors import HikeshiError, InputError
from hikeshi.ingest import Analyzer, ingest_posts
from hikeshi.ingest.records import ParsedRecord
from hikeshi.monitor.schedule import MONITOR_KEY, bookkeeping, failures
from hikeshi.records import Post, Signal, Watch
from hikeshi.settings import Settings
from hikeshi.sources import SafeHttpClient, SourceSpec, SourceState, build_source
from hikeshi.store import Source, SourceKind, Store
from hikeshi.suggest import RiskDictionary, build_engine, check_suggest
from hikeshi.suggest.engines import ENGINES

TERM_FILTERED_KINDS = frozenset({SourceKind.RSS.value, SourceKind.NEWS.value})
"""Feeds and pages carry everything a site publishes; only items naming the watch are kept (X and suggest
queries are about the watch already). ``"match_terms": false`` in a source's config turns this off."""


@dataclass(frozen=True)
class PollContext:
    store: Store
    settings: Settings
    client: SafeHttpClient
    analyzer: Analyzer
    risk_dictionary: RiskDictionary


class PollOutcome(BaseModel):
    """What one poll did; `state` is what the daemon saves for the source."""

    model_config = ConfigDict(frozen=True)

    source_id: int
    watch: str
    kind: str
    polled_at: AwareDatetime
    fetched: int = 0
    inserted: int = 0
    duplicates: int = 0
    skipped: int = Field(default=0, description="excluded by the watch or not naming it")
    oldest_post_at: AwareDatetime | None = None
    signals: list[Signal] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None
    state: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.error is None


FUTURE_TOLERANCE = dt.timedelta(days=1)  # a feed with a wrong time zone is hours off, a typo years


def mentions(text: str, terms: Sequence[str]) -> bool:
    """True when the text names the watch, compared after NFKC and case folding (ﾅﾐｷ住宅 = ナミキ住宅)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return any(unicodedata.normalize("NFKC", t).casefold() in folded for t in terms if t.strip())


def poll_source(source: Source, watch: Watch, context: PollContext, now: dt.datetime) -> PollOutcome:
    """Poll once; a failure is returned as data (with the error and the backoff bookkeeping), never raised."""
    try:
        if source.kind == SourceKind.SUGGEST.value:
            return _poll_suggest(source, watch, context, now)
        return _poll_posts(source, watch, context, now)
    except Exception as error:  # one broken source (or a bug on odd input) must not stop the other watches
        message = (
            str(error)
            if isinstance(error, HikeshiError)
            else f"予期しないエラー（{type(error).__name__}: {error}）"
        )
        book = bookkeeping(source)
        book.update(
            {"last_error": message, "last_error_at": now.isoformat(), "failures": failures(source) + 1}
        )
        return PollOutcome(
            source_id=source.id,
            watch=watch.name,
            kind=source.kind,
            polled_at=now,
            error=message,
            state={**source.state, MONITOR_KEY: book},
        )


def _succeeded(source: Source, cursor: dict[str, Any], now: dt.datetime, inserted: int) -> dict[str, Any]:
    book = bookkeeping(source)
    book.update(
        {
            "last_success_at": now.isoformat(),
            "failures": 0,
            "last_inserted": inserted,
            "posts_total": int(book.get("posts_total", 0)) + inserted,
        }
    )
    return {**cursor, MONITOR_KEY: book}


def _poll_posts(source: Source, watch: Watch, context: PollContext, now: dt.datetime) -> PollOutcome:
    target = source.config.get("url") or source.config.get("query")
    if not isinstance(target, str) or not target:
        raise InputError(
            f"ソース {source.id} に URL または検索クエリがありません。削除して追加し直してください。"
        )
    base_url = source.config.get("base_url")
    spec = SourceSpec(
        kind=source.kind, target=target, base_url=base_url if isinstance(base_url, str) else None
    )
    poller = build_source(spec, context.settings, context.client)
    cursor = {key: value for key, value in source.state.items() if key != MONITOR_KEY}
    result = poller.fetch(SourceState.model_validate(cursor))
    posts: list[Post] = result.posts
    if source.kind in TERM_FILTERED_KINDS and source.config.get("match_terms", True):
        posts = [post for post in posts if mentions(post.text, watch.terms)]
    # A live feed cannot hold posts from the future: one typo'd pubDate (2099) would move the detectors'
    # event clock ahead and blind them, so such items are set aside with a warning.
    latest_allowed = now + FUTURE_TOLERANCE
    future = [post for post in posts if post.created_at > latest_allowed]
    if future:
        posts = [post for post in posts if post.created_at <= latest_allowed]
    report = ingest_posts(
        context.store,
        watch,
        (ParsedRecord(line=index + 1, post=post) for index, post in enumerate(posts)),
        analyzer=context.analyzer,
    )
    warnings = [] if result.complete else ["取得が途中で止まりました（次回の取得で続きを取ります）。"]
    if future:
        warnings.append(
            f"未来の日時の投稿 {len(future)} 件を取り込みませんでした（例: {future[0].created_at.isoformat()}）。"
        )
    return PollOutcome(
        source_id=source.id,
        watch=watch.name,
        kind=source.kind,
        polled_at=now,
        fetched=len(result.posts),
        inserted=report.inserted,
        duplicates=report.duplicates,
        skipped=len(result.posts) - len(posts) + report.excluded,
        oldest_post_at=min((post.created_at for post in posts), default=None),
        warnings=warnings,
        state=_succeeded(
            source, result.state.model_dump(mode="json", exclude_none=True), now, report.inserted
        ),
    )


def _poll_suggest(source: Source, watch: Watch, context: PollContext, now: dt.datetime) -> PollOutcome:
    names = source.config.get("engines") or list(ENGINES)
    urls = source.config.get("urls") or {}
    engines = [build_engine(str(name), context.client, urls.get(name)) for name in names]
    query = source.config.get("query")
    target = watch.model_copy(update={"terms": [query]}) if isinstance(query, str) and query else watch
    taken_at = now.replace(microsecond=0)
    history = context.store.list_suggest_snapshots(watch.name)
    check = check_suggest(target, engines, history, context.risk_dictionary, taken_at)
    failed = "; ".join(f"{failure.engine}: {failure.message}" for failure in check.failures)
    if not check.snapshots:
        raise InputError(f"どの検索エンジンからも検索候補を取得できませんでした（{failed}）。")
    for snapshot in check.snapshots:
        context.store.save_suggest_snapshot(snapshot)
    cursor = {key: value for key, value in source.state.items() if key != MONITOR_KEY}
    return PollOutcome(
        source_id=source.id,
        watch=watch.name,
        kind=source.kind,
        polled_at=now,
        fetched=len(check.snapshots),
        signals=[check.signal] if check.signal is not None else [],
        warnings=[f"一部の検索エンジンで失敗しました: {failed}"] if failed else [],
        state=_succeeded(source, cursor, now, 0),
    )
