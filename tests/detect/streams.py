"""Seeded synthetic streams for detector tests: calm chatter with a day/night rhythm, a flame, a praise surge.

Analyses are built directly from each template's intended tone (with a share of deliberate misreadings), so
the tests do not depend on any sentiment model.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable

from hikeshi.records import Analysis, Emotions, Post, PostMetrics, Sentiment, Watch

JST = dt.timezone(dt.timedelta(hours=9))
START = dt.datetime(2026, 3, 2, tzinfo=JST)
WATCH = Watch(name="ナミキ住宅", terms=["ナミキ住宅", "ナミキ"])
HOURLY = (
    0.5,
    0.3,
    0.2,
    0.15,
    0.15,
    0.3,
    0.7,
    1.2,
    1.5,
    1.3,
    1.2,
    1.3,
    1.9,
    1.6,
    1.2,
    1.1,
    1.2,
    1.4,
    1.6,
    1.9,
    2.2,
    2.3,
    1.8,
    1.0,
)

CALM = (
    ("positive", "ナミキ住宅のモデルハウス、断熱がしっかりしていて良かった"),
    ("positive", "ナミキ住宅の担当さんが丁寧で安心できた"),
    ("neutral", "ナミキ住宅から見積もりが届いた。他社とも比べてみる"),
    ("neutral", "ナミキ住宅の展示場、週末にイベントがあるらしい"),
    ("neutral", "近所でナミキの家が建ち始めた"),
    ("negative", "ナミキ住宅の工期がまた延びた。不満"),
    ("negative", "ナミキ住宅のアフターの電話がつながらない"),
)
FLAME_EARLY = (
    ("negative", "ナミキ住宅の営業のLINEひどい。営業の態度どうなってるの"),
    ("negative", "断っただけでこのLINE。ナミキ住宅の営業の態度が最悪"),
    ("negative", "ナミキ住宅の営業、客の時間を無駄と言うなんて"),
    ("neutral", "ナミキ住宅のLINEのスクショが回ってきた"),
)
FLAME_LATE = (
    ("negative", "営業個人じゃなくてナミキ住宅の会社の体質でしょ。社長は説明して"),
    ("negative", "ナミキ住宅は不買。会社の体質が問題"),
    ("negative", "ナミキ住宅の社長が出てこない。二度と買わない"),
    ("negative", "ナミキ住宅の会社の体質、ノルマ主義が透けて見える。不買します"),
)
BUZZ = (
    ("positive", "ナミキ住宅の新しい平屋、紹介されてたけど本当に素敵"),
    ("positive", "ナミキ住宅の平屋プラン最高、家族で見学に行きたい"),
    ("positive", "話題のナミキ住宅の平屋、間取りが好き"),
    ("neutral", "ナミキ住宅の平屋の見学会、予約がいっぱいらしい"),
    ("negative", "ナミキ住宅の見学会、予約が取れなくて悲しい"),
)


def analysis(tone: str, rng: random.Random, misread: float) -> Analysis:
    tones = ["negative", "neutral", "positive"]
    if rng.random() < misread:
        tone = rng.choice([other for other in tones if other != tone])
    top = rng.uniform(0.6, 0.9)
    rest = (1.0 - top) / 2
    values = {name: (top if name == tone else rest) for name in tones}
    return Analysis(
        sentiment=Sentiment(**values),
        emotions=Emotions(
            joy=0.0, sadness=0.0, anticipation=0.0, surprise=0.0, anger=0.0, fear=0.0, disgust=0.0, trust=0.0
        ),
    )


def post(
    number: int, when: dt.datetime, text: str, author: str, followers: int = 300, source: str = "x"
) -> Post:
    return Post(
        source=source,
        source_id=f"{number:06d}",
        author=author,
        author_followers=followers,
        text=text,
        created_at=when,
        metrics=PostMetrics(views=followers * 2),
    )


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def calm(
    rng: random.Random, days: int, per_day: float = 20.0, misread: float = 0.2
) -> list[tuple[Post, Analysis]]:
    items: list[tuple[Post, Analysis]] = []
    mean_weight = sum(HOURLY) / 24
    for day in range(days):
        level = per_day * math.exp(rng.gauss(0.0, 0.2))
        for hour in range(24):
            for _ in range(_poisson(rng, level * HOURLY[hour] / mean_weight / 24)):
                when = START + dt.timedelta(days=day, hours=hour, seconds=rng.uniform(0, 3600))
                tone, text = rng.choice(CALM)
                number = 100_000 + len(items) + day * 1000
                items.append(
                    (post(number, when, text, f"calm{rng.randrange(10**6)}"), analysis(tone, rng, misread))
                )
    return items


def burst(
    rng: random.Random,
    onset: dt.datetime,
    hours: float,
    templates_at: Callable[[float], tuple[tuple[str, str], ...]],
    misread: float = 0.2,
    doubling_minutes: float = 30.0,
    start_per_hour: float = 2.0,
    ceiling_per_hour: float = 80.0,
) -> list[tuple[Post, Analysis]]:
    """Arrivals whose rate doubles every `doubling_minutes` from `start_per_hour` up to a ceiling."""
    items: list[tuple[Post, Analysis]] = []
    t = 0.0
    while True:
        t += rng.expovariate(ceiling_per_hour)
        if t >= hours:
            return items
        rate = min(ceiling_per_hour, start_per_hour * 2 ** (t * 60 / doubling_minutes))
        if rng.random() < rate / ceiling_per_hour:
            tone, text = rng.choice(templates_at(t))
            when = onset + dt.timedelta(hours=t)
            items.append(
                (post(len(items), when, text, f"burst{rng.randrange(10**6)}"), analysis(tone, rng, misread))
            )


def flame_stream(
    seed: int, onset: dt.datetime, days: int = 14, hours: float = 14.0
) -> list[tuple[Post, Analysis]]:
    rng = random.Random(seed)
    items = calm(rng, days)
    items += burst(rng, onset, hours, lambda t: FLAME_EARLY if t < 8 else FLAME_LATE)
    return sorted(items, key=lambda item: item[0].created_at)


def buzz_stream(seed: int, onset: dt.datetime) -> list[tuple[Post, Analysis]]:
    rng = random.Random(seed)
    items = calm(rng, 14)
    items += burst(rng, onset, 14.0, lambda t: BUZZ, start_per_hour=4.0)
    return sorted(items, key=lambda item: item[0].created_at)
