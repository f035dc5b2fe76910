"""/api/watches: watches, their posts (search and intake), signals, time series and search suggestions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, status
from pydantic import WithJsonSchema

from hikeshi.errors import InputError
from hikeshi.ingest import IntakeResult, intake_posts
from hikeshi.ingest.pipeline import DuplicateTrackers
from hikeshi.records import Signal, SignalKind, Watch
from hikeshi.store import WatchSummary
from hikeshi.store.accounts import Role
from hikeshi.store.queries import Timeseries, post_timeseries
from hikeshi.suggest import default_risk_dictionary
from hikeshi.suggest.overview import SuggestOverview, suggest_overview
from hikeshi.web.api.common import NOT_FOUND, ItemwiseJsonRoute, StoreDep, WatchDep
from hikeshi.web.auth import require_api_user
from hikeshi.web.schemas import PostPage

router = APIRouter(prefix="/watches", tags=["ウォッチ"], route_class=ItemwiseJsonRoute)
viewer = [Depends(require_api_user(Role.VIEWER))]
analyst = [Depends(require_api_user(Role.ANALYST))]
admin = [Depends(require_api_user(Role.ADMIN))]

MAX_PAGE = 200
INTAKE_ITEMS_SCHEMA = WithJsonSchema(
    {
        "type": "array",
        "items": {"type": "object", "additionalProperties": True},
        "maxItems": 10_000,
        "description": "投稿の配列",
    }
)
"""The intake body is documented as an array of objects but validated item by item by `intake_posts`, so
one bad item (a key with a lone surrogate, a string instead of an object) is reported in `errors` while the
others are stored, instead of a 422 that stores nothing."""


class SentimentFilter(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Bucket(StrEnum):
    """Bucket sizes a chart can ask for."""

    MINUTES_5 = "5m"
    MINUTES_15 = "15m"
    HOUR = "1h"
    HOURS_6 = "6h"
    DAY = "1d"

    @property
    def seconds(self) -> int:
        return BUCKET_SECONDS[self]


BUCKET_SECONDS = {
    Bucket.MINUTES_5: 300,
    Bucket.MINUTES_15: 900,
    Bucket.HOUR: 3600,
    Bucket.HOURS_6: 21600,
    Bucket.DAY: 86400,
}

Since = Annotated[
    dt.datetime | None,
    Query(description="この日時以降（ISO 8601、タイムゾーン付き。例: 2026-12-01T09:00:00+09:00）"),
]
Until = Annotated[dt.datetime | None, Query(description="この日時より前（ISO 8601、タイムゾーン付き）")]


def _aware(value: dt.datetime | None, name: str) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"{name} にはタイムゾーンを付けてください（例: 2026-12-01T09:00:00+09:00）。",
        )
    return value


@router.get("", summary="ウォッチの一覧", dependencies=viewer)
def list_watches(store: StoreDep) -> list[WatchSummary]:
    return [store.watch_summary(watch.name) for watch in store.list_watches()]


@router.post(
    "",
    summary="ウォッチを追加する（管理者）",
    status_code=status.HTTP_201_CREATED,
    dependencies=admin,
    responses={409: {"description": "同じ名前のウォッチがある"}},
)
def add_watch(watch: Watch, store: StoreDep) -> Watch:
    if store.find_watch(watch.name) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"ウォッチ「{watch.name}」は既にあります。")
    return store.add_watch(watch)


@router.get("/{name}", summary="ウォッチの設定と収集状況", dependencies=viewer, responses=NOT_FOUND)
def get_watch(watch: WatchDep, store: StoreDep) -> WatchSummary:
    return store.watch_summary(watch.name)


@router.get(
    "/{name}/posts",
    summary="投稿を検索する",
    description="新しい順。q は部分一致（空白区切りはすべてを含む）、since は以上・until は未満です。",
    dependencies=viewer,
    responses=NOT_FOUND,
)
def search_posts(
    watch: WatchDep,
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    sentiment: Annotated[SentimentFilter | None, Query(description="感情の判定で絞り込む")] = None,
    source: Annotated[
        str | None, Query(max_length=50, description="取得元（x, rss, news, intake など）")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="本文の検索語")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1 ページの件数")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="先頭から飛ばす件数")] = 0,
) -> PostPage:
    found = store.search_posts(
        watch.name,
        q=q,
        since=_aware(since, "since"),
        until=_aware(until, "until"),
        sentiment=sentiment.value if sentiment else None,
        source=source,
        limit=limit + 1,
        offset=offset,
    )
    more = len(found) > limit
    return PostPage(
        items=found[:limit], limit=limit, offset=offset, next_offset=offset + limit if more else None
    )


@router.post(
    "/{name}/posts",
    summary="投稿を取り込む（外部の収集ツールから）",
    description=(
        "投稿オブジェクト（source_id, text, created_at など Post の項目）の配列を送ります。同じ (source, source_id) は"
        "二度取り込まれないので、再送しても安全です。不正な要素は errors に位置と理由を返し、残りは取り込みます。"
    ),
    dependencies=analyst,
    responses=NOT_FOUND,
)
def add_posts(
    watch: WatchDep,
    store: StoreDep,
    posts: Annotated[list[Any], Body(description="投稿の配列", max_length=10_000), INTAKE_ITEMS_SCHEMA],
    request: Request,
) -> IntakeResult:
    trackers: DuplicateTrackers = request.app.state.duplicate_trackers
    with trackers.use(watch.name) as duplicates:  # the near-duplicate index is built once, not per request
        return intake_posts(store, watch.name, posts, duplicates=duplicates)


@router.get("/{name}/signals", summary="シグナル（検知した兆候）", dependencies=viewer, responses=NOT_FOUND)
def list_signals(
    watch: WatchDep,
    store: StoreDep,
    since: Since = None,
    kind: Annotated[SignalKind | None, Query(description="種類で絞り込む")] = None,
) -> list[Signal]:
    return store.list_signals(watch.name, since=_aware(since, "since"), kind=kind)


@router.get(
    "/{name}/timeseries",
    summary="投稿数とネガティブ率の時系列",
    description="区間は日本時間に揃えます（1d は 0 時〜24 時 JST）。投稿のない区間も 0 件として返します。",
    dependencies=viewer,
    responses=NOT_FOUND,
)
def timeseries(
    watch: WatchDep,
    store: StoreDep,
    bucket: Annotated[Bucket, Query(description="区間の長さ")] = Bucket.HOUR,
    since: Since = None,
    until: Until = None,
) -> Timeseries:
    try:
        return post_timeseries(
            store, watch.name, bucket.seconds, _aware(since, "since"), _aware(until, "until")
        )
    except InputError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None


@router.get(
    "/{name}/suggest",
    summary="検索候補（サジェスト）の最新とリスク語・変化",
    dependencies=viewer,
    responses=NOT_FOUND,
)
def suggest(
    watch: WatchDep,
    store: StoreDep,
    since: Since = None,
) -> SuggestOverview:
    snapshots = store.list_suggest_snapshots(watch.name, since=_aware(since, "since"))
    return suggest_overview(watch, snapshots, default_risk_dictionary())
