"""Aggregate read queries for dashboards and the API: post volume and negativity per time bucket.

Bucketing happens in SQL (one GROUP BY, whatever the number of posts) and buckets are aligned on Japan time,
so that a one-day bucket runs from 0:00 to 24:00 JST, the day a Japanese reader means. Empty buckets are filled
in, so a chart shows quiet hours as zero instead of joining the points around them.
"""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, Integer, and_, case, cast, func, select
from sqlalchemy.sql.expression import literal

from hikeshi.errors import InputError
from hikeshi.store.base import StoreBase
from hikeshi.store.models import AnalysisRow, PostRow

JST_OFFSET_SECONDS = 9 * 3600
MAX_BUCKETS = 5_000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class TimeBucket(BaseModel):
    """Posts whose event time falls in [start, start + bucket)."""

    model_config = ConfigDict(frozen=True)

    start: AwareDatetime
    posts: int = Field(description="投稿数")
    analyzed: int = Field(description="分析済みの投稿数")
    negative: int = Field(description="ネガティブと判定された投稿数")
    positive: int = Field(description="ポジティブと判定された投稿数")
    negativity: float | None = Field(
        description="分析済みのうちネガティブの割合（0–1、分析済みが 0 件なら null）"
    )
    mean_negative: float | None = Field(description="ネガティブ確率の平均（0–1）")


class Timeseries(BaseModel):
    model_config = ConfigDict(frozen=True)

    watch: str
    bucket_seconds: int
    since: AwareDatetime | None
    until: AwareDatetime | None
    buckets: list[TimeBucket]


def _bucket_index(dialect: str, size: int) -> ColumnElement[int]:
    if dialect == "sqlite":
        seconds = cast(func.strftime("%s", PostRow.created_at), Integer)
        # SQLite's integer division truncates toward zero; posts before 1970 do not occur.
        return cast((seconds + JST_OFFSET_SECONDS) / literal(size), Integer)
    seconds_pg = func.extract("epoch", PostRow.created_at)
    return cast(func.floor((seconds_pg + JST_OFFSET_SECONDS) / size), Integer)


def _bucket_start(index: int, size: int) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=index * size - JST_OFFSET_SECONDS)


def _index_of(moment: dt.datetime, size: int) -> int:
    return int((moment - EPOCH).total_seconds() + JST_OFFSET_SECONDS) // size


def post_timeseries(
    store: StoreBase,
    watch: str,
    bucket_seconds: int = 3600,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    max_buckets: int = MAX_BUCKETS,
) -> Timeseries:
    """Volume and negativity of a watch's posts per bucket (since inclusive, until exclusive).

    Without since/until the series spans the watch's first to last post. Example: bucket_seconds=86400 gives
    one bucket per Japanese calendar day.
    """
    if bucket_seconds < 60:
        raise InputError("bucket は 60 秒以上にしてください。")
    if since is not None and until is not None and until <= since:
        raise InputError("until は since より後の日時にしてください。")
    if since is not None and until is not None:
        expected = (until - since).total_seconds() / bucket_seconds
        if expected > max_buckets:
            raise InputError(_too_many(max_buckets))
    index = _bucket_index(store.dialect, bucket_seconds).label("bucket")
    with store.engine.connect() as connection:
        watch_id = store._watch_id(connection, watch)
        conditions = [PostRow.watch_id == watch_id]
        if since is not None:
            conditions.append(PostRow.created_at >= since)
        if until is not None:
            conditions.append(PostRow.created_at < until)
        statement = (
            select(
                index,
                func.count(PostRow.id),
                func.count(AnalysisRow.post_id),
                func.sum(case((AnalysisRow.sentiment_label == "negative", 1), else_=0)),
                func.sum(case((AnalysisRow.sentiment_label == "positive", 1), else_=0)),
                func.avg(AnalysisRow.negative),
            )
            .select_from(PostRow)
            .outerjoin(AnalysisRow, AnalysisRow.post_id == PostRow.id)
            .where(and_(*conditions))
            .group_by(index)
            .order_by(index)
        )
        rows = connection.execute(statement).all()
    counted = {
        int(bucket): TimeBucket(
            start=_bucket_start(int(bucket), bucket_seconds),
            posts=int(posts),
            analyzed=int(analyzed),
            negative=int(negative or 0),
            positive=int(positive or 0),
            negativity=(int(negative or 0) / int(analyzed)) if analyzed else None,
            mean_negative=float(mean_negative) if mean_negative is not None else None,
        )
        for bucket, posts, analyzed, negative, positive, mean_negative in rows
    }
    first = _index_of(since, bucket_seconds) if since is not None else min(counted, default=None)
    last = _index_of(until - dt.timedelta(microseconds=1), bucket_seconds) if until is not None else None
    if last is None:
        last = max(counted, default=None)
    if first is None or last is None or last < first:
        buckets: list[TimeBucket] = sorted(counted.values(), key=lambda bucket: bucket.start)
    else:
        if last - first + 1 > max_buckets:
            raise InputError(_too_many(max_buckets))
        buckets = [counted.get(i) or _empty(_bucket_start(i, bucket_seconds)) for i in range(first, last + 1)]
    return Timeseries(watch=watch, bucket_seconds=bucket_seconds, since=since, until=until, buckets=buckets)


def _empty(start: dt.datetime) -> TimeBucket:
    return TimeBucket(
        start=start, posts=0, analyzed=0, negative=0, positive=0, negativity=None, mean_negative=None
    )


def _too_many(max_buckets: int) -> str:
    return f"区間の数が多すぎます（上限 {max_buckets:,}）。bucket を大きくするか、since・until で期間を絞ってください。"
