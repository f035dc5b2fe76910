"""Flames of many shapes, and surges that are not crises, through the real analyzer and detectors.

    .venv/bin/python bench/detect_shapes.py                    # 4 draws of every shape
    .venv/bin/python bench/detect_shapes.py --draws 10 --shapes fast,slow,small

An evaluation harness independent of bench/detect_robustness.py (whose generator the detectors were tuned
on): another company and register (a supermarket chain), texts from bench/_shape_texts.py scored by the
product's analyzer (`hikeshi.analysis.analyze`, cached per distinct text), 14-day streams with a day/night and
weekday rhythm, day-to-day swings, regular customers posting again and again, and isolated complaints.

Crisis shapes (the issue's seven, and a flame that restarts after an apology): first alert = the first
volume_spike or negativity_rise at or after the onset. Non-crisis shapes: a misread is any negativity_rise,
or a volume_spike above severity 2, at or after the onset. For every shape: alerts before the onset per calm
day. Printed per shape over the draws: share caught within 45 and 90 minutes, median and worst delay, misreads
and false alarms. Figures only, no asserts; deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _shape_texts as texts
from hikeshi.detect import DetectorConfig, run_detectors
from hikeshi.records import Analysis, Post, PostMetrics, Signal, SignalKind, Watch

JST = dt.timezone(dt.timedelta(hours=9))
START = dt.datetime(2026, 4, 6, tzinfo=JST)  # a Monday
DAYS = 14
COMPANY, RIVAL = "カエデマート", "ツバメストア"
WATCH = Watch(name=COMPANY, terms=[COMPANY, "カエデ"])
ALERTS = (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE)
PROFILE = (0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.1, 1.1, 1.5)
PROFILE += (1.9, 1.5, 1.1, 1.0, 1.1, 1.4, 1.7, 1.9, 1.9, 1.7, 1.3, 0.8)
PROFILE = tuple(value * 24 / sum(PROFILE) for value in PROFILE)  # mean 1 over the day

Pool = Sequence[str]
Mix = tuple[tuple[float, Pool], ...]


@dataclass(frozen=True)
class Wave:
    """Posts of an event: rate r0·2^(t/doubling) capped, held, then decaying with a half-life."""

    mix: Mix
    r0: tuple[float, float]
    doubling_min: float
    cap: float
    hold_h: float = 3.0
    half_life_h: float = 5.0
    delay_h: float = 0.0
    quote_share: float = 0.0
    new_author_share: float = 0.9

    def rate(self, hours: float, r0: float) -> float:
        if hours < 0:
            return 0.0
        growth = r0 * 2 ** (hours * 60 / self.doubling_min)
        if growth < self.cap:
            return growth
        peak_at = self.doubling_min / 60 * math.log2(self.cap / r0)
        after_hold = hours - peak_at - self.hold_h
        return self.cap if after_hold <= 0 else self.cap * 0.5 ** (after_hold / self.half_life_h)


@dataclass(frozen=True)
class Shape:
    name: str
    crisis: bool
    waves: tuple[Wave, ...] = ()
    base_rate: float = 1.2
    onset: str = "day"  # day / saturday_2am
    news_first: bool = False
    influencer_first: bool = False
    original_post: bool = False
    bots: bool = False
    restart_after_h: float | None = None  # the measured onset is this long after the first wave
    extra: dict[str, float] = field(default_factory=dict)


BLAME_MIX: Mix = ((0.6, texts.FLAME_BLAME), (0.3, texts.FLAME_SHARE), (0.1, texts.FLAME_DEFEND))
SHAPES = (
    Shape("fast", True, (Wave(BLAME_MIX, (0.6, 1.2), 30, 400, quote_share=0.15),)),
    Shape("slow", True, (Wave(BLAME_MIX, (0.9, 1.8), 90, 40, hold_h=8),)),
    Shape("small", True, (Wave(BLAME_MIX, (1.5, 2.5), 120, 10, hold_h=8),), base_rate=0.5),
    Shape("night", True, (Wave(BLAME_MIX, (1.0, 2.0), 45, 100),), onset="saturday_2am"),
    Shape(
        "quote_storm",
        True,
        (
            Wave(
                ((0.8, texts.QUOTE_MILD), (0.1, texts.FLAME_BLAME), (0.1, texts.FLAME_SHARE)),
                (0.8, 1.6),
                40,
                150,
                quote_share=0.8,
            ),
        ),
        original_post=True,
    ),
    Shape("busy_brand", True, (Wave(BLAME_MIX, (8.0, 16.0), 45, 260),), base_rate=40.0),
    Shape(
        "news",
        True,
        (Wave(((0.7, texts.NEWS_REACTIONS), (0.3, texts.FLAME_BLAME)), (3.0, 5.0), 40, 120, delay_h=0.3),),
        news_first=True,
    ),
    Shape(
        "apology_restart",
        True,
        (
            Wave(BLAME_MIX, (2.0, 3.0), 40, 120, hold_h=3, half_life_h=3),
            Wave(((0.8, texts.APOLOGY_BACKLASH), (0.2, texts.FLAME_BLAME)), (2.0, 3.0), 40, 80, delay_h=40),
        ),
        restart_after_h=40,
    ),
    Shape("praise", False, (Wave(((0.9, texts.PRAISE), (0.1, texts.CALM_NEUTRAL)), (3.0, 5.0), 40, 120),)),
    Shape(
        "influencer_praise",
        False,
        (Wave(((0.92, texts.PRAISE), (0.08, texts.CALM_NEUTRAL)), (8.0, 12.0), 30, 300),),
        influencer_first=True,
    ),
    Shape("launch", False, (Wave(((1.0, texts.LAUNCH),), (4.0, 6.0), 60, 60, hold_h=4),)),
    Shape(
        "debate", False, (Wave(((1.0, texts.DEBATE),), (1.0, 2.0), 120, 30, hold_h=24, new_author_share=0.6),)
    ),
    Shape("rival_flame", False, (Wave(((1.0, texts.RIVAL_FLAME),), (2.0, 4.0), 45, 60),)),
    Shape("bot_weekend", False, bots=True),
    Shape("calm", False),
)


@dataclass(frozen=True)
class Draft:
    time: dt.datetime
    text: str
    author: str
    followers: int = 200
    source: str = "x"
    quote_id: str | None = None
    views: int = 0


def _pick(rng: random.Random, mix: Mix) -> str:
    roll = rng.random() * sum(weight for weight, _ in mix)
    for weight, pool in mix:
        roll -= weight
        if roll <= 0:
            return rng.choice(pool)
    return rng.choice(mix[-1][1])


def _followers(rng: random.Random) -> int:
    return int(min(2_000_000, rng.lognormvariate(math.log(250), 1.4)))


def _onset(shape: Shape, rng: random.Random) -> dt.datetime:
    if shape.onset == "saturday_2am":
        return START + dt.timedelta(days=12, hours=2)  # Saturday 2026-04-18 02:00 JST
    day = rng.randint(9, 11)
    hour = rng.choices(range(24), weights=PROFILE)[0]
    return START + dt.timedelta(days=day, hours=hour, minutes=rng.randint(0, 59))


def background(shape: Shape, rng: random.Random) -> list[Draft]:
    """Calm days: ordinary mentions with regular posters, day swings and the odd complaint."""
    drafts: list[Draft] = []
    regulars = [f"regular_{i}" for i in range(max(20, int(shape.base_rate * 40)))]
    for day in range(DAYS):
        date = START + dt.timedelta(days=day)
        swing = rng.lognormvariate(0, 0.3) * (1.2 if date.weekday() >= 5 else 1.0)
        for hour in range(24):
            expected = shape.base_rate * PROFILE[hour] * swing
            for _ in range(_poisson(rng, expected)):
                at = date + dt.timedelta(hours=hour, seconds=rng.randint(0, 3599))
                mix: Mix = (
                    (0.35, texts.CALM_POSITIVE),
                    (0.5, texts.CALM_NEUTRAL),
                    (0.15, texts.CALM_NEGATIVE),
                )
                author = rng.choice(regulars) if rng.random() < 0.5 else f"u{rng.getrandbits(40)}"
                drafts.append(Draft(at, _pick(rng, mix), author, _followers(rng)))
        if rng.random() < 0.25:  # a bad day for one shop: two or three complaints within hours
            at = date + dt.timedelta(hours=rng.randint(9, 20))
            for index in range(rng.randint(2, 3)):
                drafts.append(
                    Draft(
                        at + dt.timedelta(minutes=40 * index),
                        rng.choice(texts.CALM_NEGATIVE),
                        f"c{rng.getrandbits(40)}",
                    )
                )
    return drafts


def event(shape: Shape, rng: random.Random, onset: dt.datetime) -> list[Draft]:
    drafts: list[Draft] = []
    first = onset - dt.timedelta(hours=shape.restart_after_h or 0)
    original = "x:original"
    if shape.original_post:
        drafts.append(
            Draft(first, "{co}公式です。本日の件についてはお答えできません", "kaede_official", 20_000)
        )
    if shape.news_first:
        for index, article in enumerate(rng.sample(texts.NEWS_ARTICLES, 3)):
            drafts.append(Draft(first + dt.timedelta(minutes=7 * index), article, f"news_{index}", 0, "news"))
    if shape.influencer_first:
        drafts.append(
            Draft(
                first,
                "{co}のプリン、今年一番おいしかった。みんな食べて",
                "pudding_queen",
                850_000,
                views=2_000_000,
            )
        )
    for wave in shape.waves:
        start = first + dt.timedelta(hours=wave.delay_h)
        r0 = rng.uniform(*wave.r0)
        repeaters: list[str] = []
        for minute in range(0, 60 * 48):
            rate = wave.rate(minute / 60, r0)
            for _ in range(_poisson(rng, rate / 60)):
                at = start + dt.timedelta(minutes=minute, seconds=rng.randint(0, 59))
                if repeaters and rng.random() > wave.new_author_share:
                    author = rng.choice(repeaters)
                else:
                    author = f"f{rng.getrandbits(40)}"
                    repeaters.append(author)
                quote = rng.random() < wave.quote_share
                drafts.append(
                    Draft(
                        at,
                        _pick(rng, wave.mix),
                        author,
                        _followers(rng),
                        quote_id=original if quote else None,
                    )
                )
    if shape.bots:
        saturday = START + dt.timedelta(days=12, hours=10)
        for index in range(34 * 6):
            at = saturday + dt.timedelta(minutes=10 * index)
            drafts.append(Draft(at, rng.choice(texts.BOT_SPAM), f"bot_{index % 12}", 15))
    return drafts


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        count += 1
        product *= rng.random()
    return count


class CachedAnalyzer:
    def __init__(self) -> None:
        from hikeshi.analysis import analyze

        self._analyze = analyze
        self._cache: dict[str, Analysis] = {}

    def __call__(self, items: Sequence[str]) -> list[Analysis]:
        missing = [text for text in dict.fromkeys(items) if text not in self._cache]
        if missing:
            self._cache.update(zip(missing, self._analyze(missing), strict=True))
        return [self._cache[text] for text in items]


def build(
    shape: Shape, seed: int, analyzer: CachedAnalyzer
) -> tuple[dt.datetime, list[tuple[Post, Analysis]]]:
    rng = random.Random(f"{shape.name}:{seed}")
    onset = _onset(shape, rng)
    drafts = sorted(background(shape, rng) + event(shape, rng, onset), key=lambda d: d.time)
    bodies = [d.text.format(co=COMPANY, rival=RIVAL) for d in drafts]
    analyses = analyzer(bodies)
    posts = [
        Post(
            source=d.source,
            source_id=f"{index}",
            author=d.author,
            author_followers=d.followers,
            text=body,
            created_at=d.time,
            metrics=PostMetrics(views=d.views),
            quote_id=d.quote_id,
        )
        for index, (d, body) in enumerate(zip(drafts, bodies, strict=True))
    ]
    return onset, list(zip(posts, analyses, strict=True))


@dataclass
class Tally:
    delays: list[float | None] = field(default_factory=list)
    misreads: int = 0
    pre_onset: int = 0
    calm_days: float = 0.0
    runs: int = 0
    seconds: float = 0.0
    posts: int = 0


def evaluate(shape: Shape, draws: int, seed: int, analyzer: CachedAnalyzer, config: DetectorConfig) -> Tally:
    tally = Tally()
    for draw in range(draws):
        onset, stream = build(shape, seed * 1000 + draw, analyzer)
        started = time.perf_counter()
        signals: list[Signal] = run_detectors(WATCH, stream, config)
        tally.seconds += time.perf_counter() - started
        tally.posts += len(stream)
        tally.runs += 1
        alerts = [s for s in signals if s.kind in ALERTS]
        first_wave = onset - dt.timedelta(hours=shape.restart_after_h or 0)
        tally.pre_onset += sum(1 for s in alerts if s.detected_at < first_wave)
        tally.calm_days += (first_wave - START).total_seconds() / 86400 if shape.waves or shape.bots else DAYS
        after = [s for s in alerts if s.detected_at >= onset]
        if shape.crisis:
            delay = min(((s.detected_at - onset).total_seconds() / 60 for s in after), default=None)
            tally.delays.append(delay)
        elif shape.waves or shape.bots:
            tally.misreads += any(s.kind == SignalKind.NEGATIVITY_RISE or s.severity > 2 for s in after)
    return tally


def report(shape: Shape, tally: Tally) -> str:
    per_day = tally.pre_onset / max(tally.calm_days, 1e-9)
    cost = f"{tally.seconds / max(tally.posts, 1) * 1e6:6.0f} µs/post"
    if shape.crisis:
        found = [d for d in tally.delays if d is not None]
        within45 = sum(1 for d in found if d <= 45) / tally.runs
        within90 = sum(1 for d in found if d <= 90) / tally.runs
        median = f"{statistics.median(found):5.0f}" if found else "    -"
        worst = "miss" if len(found) < tally.runs else f"{max(found):5.0f}"
        return (
            f"{shape.name:<18} caught ≤45 {within45:4.0%}  ≤90 {within90:4.0%}  median {median} min  "
            f"worst {worst:>5}  pre-onset alarms/day {per_day:.3f}  {cost}"
        )
    return (
        f"{shape.name:<18} misread {tally.misreads}/{tally.runs}{'':26}"
        f"pre-onset alarms/day {per_day:.3f}  {cost}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shapes", default="", help="comma-separated names (default: all)")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override a DetectorConfig field"
    )
    args = parser.parse_args(argv)
    wanted = {name for name in args.shapes.split(",") if name}
    analyzer = CachedAnalyzer()
    overrides = dict(item.split("=", 1) for item in args.set)
    config = DetectorConfig.model_validate({**DetectorConfig().model_dump(), **overrides})
    print(f"{COMPANY}: {DAYS}-day streams, {args.draws} draws per shape, seed {args.seed}")
    crisis_delays: list[float | None] = []
    for shape in SHAPES:
        if wanted and shape.name not in wanted:
            continue
        tally = evaluate(shape, args.draws, args.seed, analyzer, config)
        if shape.crisis:
            crisis_delays += tally.delays
        print(report(shape, tally), flush=True)
    found = [d for d in crisis_delays if d is not None]
    if crisis_delays:
        print(
            f"all flames: caught ≤90 {sum(1 for d in found if d <= 90) / len(crisis_delays):.0%}, "
            f"median delay {statistics.median(found) if found else float('nan'):.0f} min over {len(crisis_delays)} streams"
        )


Runner = Callable[[Watch, Sequence[tuple[Post, Analysis]], DetectorConfig], list[Signal]]

if __name__ == "__main__":
    main()
