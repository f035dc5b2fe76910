"""Robustness of early flame detection on many seeded synthetic streams, old detectors against new ones.

    .venv/bin/python bench/detect_robustness.py                 # 120 calm+flame streams, 30 praise surges
    .venv/bin/python bench/detect_robustness.py --flames 300 --buzz 60 --workers 2

Each stream is 11 noisy calm days of a fictional company (a few to a few dozen posts a day, a day/night
rhythm, busier weekends, day-to-day swings, and occasional small bursts: a campaign, a news mention without
negativity, a few complaints on one day, one angry customer posting again and again), then either a flame or a
praise surge at a random hour. Flames start slow (about 6 voices in the first hour, doubling every ~50 min),
medium or fast. Tones come from a simulated analyzer that is right 70–80% of the time (per stream), so the
detectors see the misreadings a real model makes. Every figure is deterministic for a given --seed.

Printed per detector variant: share of flames detected within 90 minutes of onset (first volume_spike or
negativity_rise), median and p90 delay, calm-day false alerts per 11 days (mean and max over streams, and
the share of streams over the judged limit of 2), and praise-surge violations (any negativity_rise, or a
volume_spike above severity 2). Figures only, no asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from hikeshi.detect import DetectorConfig, run_detectors
from hikeshi.records import (
    Analysis,
    Emotions,
    Post,
    PostMetrics,
    Sentiment,
    Signal,
    SignalKind,
    Watch,
)

JST = dt.timezone(dt.timedelta(hours=9))
START = dt.datetime(2026, 3, 2, tzinfo=JST)
CALM_DAYS = 11
ALERTS = (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE)
LIMIT = dt.timedelta(minutes=90)
HOURLY = (0.5, 0.3, 0.2, 0.15, 0.15, 0.3, 0.7, 1.2, 1.5, 1.3, 1.2, 1.3)
HOURLY += (1.9, 1.6, 1.2, 1.1, 1.2, 1.4, 1.6, 1.9, 2.2, 2.3, 1.8, 1.0)
COMPANY = "ヒバリ工務店"
WATCH = Watch(name=COMPANY, terms=[COMPANY, "ヒバリ"])
TONES = ("negative", "neutral", "positive")

CALM_TEXTS = {
    "positive": (
        "{co}の担当さん、説明が丁寧で安心できた",
        "{co}のモデルハウス行ってきた。木の香りがいい",
        "{co}で建てて一年、冬も暖かくて満足",
        "{co}のアフター点検、きっちりしてて好印象",
        "{co}の見学会たのしかった。子どもも喜んでた",
    ),
    "neutral": (
        "{co}から見積もりが届いた。他社とも比べる",
        "{co}の展示場、週末にイベントがあるらしい",
        "近所で{co}の家が建ち始めた",
        "{co}の平屋プランってどうなんだろう",
        "{co}の資料請求した",
    ),
    "negative": (
        "{co}の工期がまた延びた。不満",
        "{co}のアフターの電話がつながらない",
        "{co}の見積もり、思ったより高かった",
        "{co}の担当、返信が遅すぎる",
        "{co}で建てたけど床鳴りがひどい。最悪",
    ),
}
CAMPAIGN_TEXTS = (
    ("positive", "{co}の春のキャンペーン、抽選でギフト券だって"),
    ("neutral", "{co}のキャンペーン応募してみた"),
    ("positive", "{co}の完成見学会、今週末開催。楽しみ"),
)
NEWS_TEXTS = (
    ("neutral", "{co}、県内に新しい展示場を開設へ"),
    ("neutral", "{co}の新展示場の記事が出てた"),
    ("positive", "{co}が新展示場か、地元が盛り上がるね"),
)
COMPLAINT_TEXTS = (
    ("negative", "{co}の定期点検、約束の日に来なかった。ひどい"),
    ("negative", "{co}の担当者の態度が悪い。二度と頼まない"),
    ("negative", "うちも{co}の工事が遅れてる。どうなってるの"),
)
FLAME_TEXTS = (
    ("negative", "{co}の営業のLINEひどすぎる。客の時間を無駄って何"),
    ("negative", "断っただけでこのLINE。{co}の営業の態度が最悪"),
    ("negative", "{co}のスクショ回ってきたけど、これは炎上する"),
    ("negative", "{co}、客を見下してるの透けて見える。拡散希望"),
    ("negative", "{co}の営業、プロとして成功報酬とか言ってて引いた"),
    ("neutral", "{co}のLINEのスクショが回ってきた"),
    ("neutral", "{co}の件、何があったの"),
    ("positive", "{co}の営業さんにも事情があったのでは"),
)
BUZZ_TEXTS = (
    ("positive", "{co}の平屋、紹介されてたけど本当に素敵"),
    ("positive", "{co}の平屋プラン最高、家族で見学に行きたい"),
    ("positive", "話題の{co}の平屋、間取りが好き。やばい"),
    ("neutral", "{co}の平屋の見学会、予約がいっぱいらしい"),
    ("negative", "{co}の見学会、予約が取れなくて悲しい"),
)
BURST_DAY_SHARE = 0.35  # about four small bursts in eleven calm days
# (name, first-hour rate per hour, doubling minutes): slow ≈ 6 voices in the first hour.
SPEEDS = (("slow", 4.0, 55.0), ("medium", 4.0, 35.0), ("fast", 6.0, 22.0))


@dataclass(frozen=True)
class Case:
    kind: str  # flame / buzz
    speed: str
    seed: int


@dataclass(frozen=True)
class Outcome:
    case: Case
    variant: str
    delay_minutes: float | None
    calm_alerts: int
    calm_negativity: int
    causes: tuple[str, ...]
    violations: int


class Maker:
    """One stream's random draws: analyzer accuracy, daily level, negative share, authors, bursts."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.items: list[tuple[Post, Analysis]] = []
        self.accuracy = self.rng.uniform(0.7, 0.8)
        self.bursts: list[tuple[dt.datetime, str]] = []

    def analysis(self, tone: str) -> Analysis:
        rng = self.rng
        read = tone
        if rng.random() > self.accuracy:  # misread: mostly to the neighbouring class
            neighbours = {"negative": ("neutral",) * 3 + ("positive",), "positive": ("neutral",) * 3}
            read = rng.choice(neighbours.get(tone, ("negative", "positive")))
        top = rng.uniform(0.45, 0.92)
        second = rng.uniform(0.0, 1.0 - top)
        values = dict.fromkeys(TONES, 0.0)
        values[read] = top
        others = [name for name in TONES if name != read]
        rng.shuffle(others)
        values[others[0]], values[others[1]] = second, 1.0 - top - second
        zero = dict.fromkeys(("joy", "sadness", "anticipation", "surprise", "fear", "trust"), 0.0)
        return Analysis(
            sentiment=Sentiment(**values),
            emotions=Emotions(**zero, anger=values["negative"] * 0.6, disgust=values["negative"] * 0.4),
        )

    def add(
        self,
        when: dt.datetime,
        tone: str,
        text: str,
        *,
        author: str | None = None,
        source: str = "x",
        followers: int | None = None,
        reposts: int = 0,
    ) -> None:
        rng = self.rng
        number = len(self.items)
        followers = followers if followers is not None else int(math.exp(rng.gauss(5.5, 1.6)))
        views = int(followers * rng.uniform(0.5, 3.0)) if source == "x" else 0
        post = Post(
            source=source,
            source_id=f"{number:06d}",
            author=author or f"u{rng.randrange(10**7):07d}",
            author_followers=followers,
            text=text.format(co=COMPANY),
            created_at=when,
            metrics=PostMetrics(views=views, reposts=reposts, likes=int(views * rng.uniform(0, 0.03))),
        )
        self.items.append((post, self.analysis(tone)))

    def poisson(self, mean: float) -> int:
        limit, count, product = math.exp(-mean), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def calm(self, days: int) -> None:
        rng = self.rng
        per_day = math.exp(rng.uniform(math.log(3.0), math.log(40.0)))
        share = rng.uniform(0.1, 0.3)
        weights = {"negative": share, "positive": rng.uniform(0.2, 0.45), "neutral": 0.0}
        weights["neutral"] = max(0.1, 1.0 - weights["negative"] - weights["positive"])
        rhythm = [h * math.exp(rng.gauss(0.0, 0.25)) for h in HOURLY]
        mean_weight = sum(rhythm) / 24
        for day in range(days):
            day_start = START + dt.timedelta(days=day)
            weekend = 1.3 if day_start.weekday() >= 5 else 1.0
            level = per_day * weekend * math.exp(rng.gauss(0.0, 0.3))
            for hour in range(24):
                for _ in range(self.poisson(level * rhythm[hour] / mean_weight / 24)):
                    tone = rng.choices(TONES, weights=[weights[t] for t in TONES])[0]
                    when = day_start + dt.timedelta(hours=hour, seconds=rng.uniform(0, 3600))
                    self.add(when, tone, rng.choice(CALM_TEXTS[tone]))
            if day >= 1 and rng.random() < BURST_DAY_SHARE:
                self.small_burst(day_start + dt.timedelta(hours=rng.uniform(7, 23)), per_day)

    def small_burst(self, at: dt.datetime, per_day: float) -> None:
        """The things that make calm streams noisy without being a crisis."""
        rng = self.rng
        kind = rng.choice(("campaign", "news", "complaints", "complaints", "one_angry", "campaign"))
        self.bursts.append((at, kind))
        scale = max(1.0, per_day / 15)
        if kind == "campaign":
            for _ in range(int(rng.uniform(5, 14) * scale)):
                tone, text = rng.choice(CAMPAIGN_TEXTS)
                self.add(at + dt.timedelta(hours=rng.uniform(0, 3)), tone, text)
        elif kind == "news":
            self.add(at, "neutral", NEWS_TEXTS[0][1], source="news", author="local_news", followers=50_000)
            for _ in range(int(rng.uniform(3, 10) * scale)):
                tone, text = rng.choice(NEWS_TEXTS)
                self.add(at + dt.timedelta(hours=rng.expovariate(1.0)), tone, text)
        elif kind == "complaints":
            for _ in range(rng.randint(3, 6)):
                tone, text = rng.choice(COMPLAINT_TEXTS)
                self.add(at + dt.timedelta(hours=rng.uniform(0, 4)), tone, text)
        else:
            for _ in range(rng.randint(4, 9)):
                tone, text = rng.choice(COMPLAINT_TEXTS)
                self.add(at + dt.timedelta(minutes=rng.uniform(0, 90)), tone, text, author="angry_customer")

    def surge(
        self,
        onset: dt.datetime,
        first_rate: float,
        doubling: float,
        hours: float,
        texts: Sequence[tuple[str, str]],
        peak: float = 150.0,
    ) -> None:
        """Arrivals whose rate doubles every `doubling` minutes from `first_rate` per hour, by thinning."""
        rng = self.rng
        t = 0.0
        while True:
            t += rng.expovariate(peak)
            if t >= hours:
                return
            when = onset + dt.timedelta(hours=t)
            night = 0.35 if 2 <= when.astimezone(JST).hour < 7 else 1.0
            rate = min(peak, first_rate * 2 ** (t * 60 / doubling)) * night
            if rng.random() < rate / peak:
                tone, text = rng.choice(texts)
                self.add(when, tone, text, reposts=int(rng.expovariate(1 / 30)))


def build(case: Case) -> tuple[list[tuple[Post, Analysis]], dt.datetime, list[tuple[dt.datetime, str]]]:
    maker = Maker(case.seed)
    maker.calm(CALM_DAYS + 1)
    onset = START + dt.timedelta(days=CALM_DAYS, hours=maker.rng.uniform(0, 24))
    onset = onset.replace(microsecond=0)
    if case.kind == "flame":
        _, first_rate, doubling = next(speed for speed in SPEEDS if speed[0] == case.speed)
        jitter = math.exp(maker.rng.gauss(0.0, 0.15))
        maker.surge(onset, first_rate * jitter, doubling * jitter, 4.0, FLAME_TEXTS)
    else:
        maker.add(onset, "positive", BUZZ_TEXTS[0][1], author="influencer", followers=850_000)
        maker.surge(onset, 6.0, 30.0, 12.0, BUZZ_TEXTS, peak=120.0)
    end = onset + dt.timedelta(hours=12)
    items = [item for item in maker.items if item[0].created_at < end]
    return sorted(items, key=lambda item: item[0].created_at), onset, maker.bursts


# The detectors as they were before early_negativity and the tone-aware volume bar (same code, old settings).
BEFORE = DetectorConfig(
    volume_calm_tone_p_value=1e-4, volume_calm_tone_min_authors=5, volume_calm_tone_min_ratio=3.0
)
ALERT_DETECTORS = ("volume_spike", "negativity_rise", "calmed")  # new_angle/influencer_post never open alerts
VARIANTS: dict[str, tuple[DetectorConfig, tuple[str, ...]]] = {
    "before": (BEFORE, ALERT_DETECTORS),
    "tone-aware volume only": (DetectorConfig(), ALERT_DETECTORS),
    "early_negativity only": (BEFORE, (*ALERT_DETECTORS, "early_negativity")),
    "after (both, defaults)": (DetectorConfig(), (*ALERT_DETECTORS, "early_negativity")),
}


def evaluate(case: Case) -> list[Outcome]:
    items, onset, bursts = build(case)
    outcomes = []
    for name, (config, detectors) in VARIANTS.items():
        signals = run_named(items, config, detectors)
        alerts = [signal for signal in signals if signal.kind in ALERTS]
        after = [signal for signal in alerts if signal.detected_at >= onset]
        delay = (after[0].detected_at - onset).total_seconds() / 60 if after else None
        violations = sum(signal.kind == SignalKind.NEGATIVITY_RISE or signal.severity > 2 for signal in after)
        outcomes.append(
            Outcome(
                case,
                name,
                delay if case.kind == "flame" else None,
                sum(signal.detected_at < onset for signal in alerts),
                sum(s.detected_at < onset and s.kind == SignalKind.NEGATIVITY_RISE for s in alerts),
                tuple(cause(signal, bursts) for signal in alerts if signal.detected_at < onset),
                violations if case.kind == "buzz" else 0,
            )
        )
    return outcomes


def cause(signal: Signal, bursts: list[tuple[dt.datetime, str]]) -> str:
    """The small burst a calm-day alert most likely reacted to (one that began up to 5 hours before it)."""
    near = [
        kind for at, kind in bursts if dt.timedelta(0) <= signal.detected_at - at <= dt.timedelta(hours=5)
    ]
    return f"{signal.kind.value}/{near[-1] if near else 'chatter'}"


def run_named(
    items: list[tuple[Post, Analysis]], config: DetectorConfig, names: Sequence[str]
) -> list[Signal]:
    from hikeshi.detect import runner

    saved = dict(runner.REGISTRY)
    try:
        for name in list(runner.REGISTRY):
            if name not in names:
                del runner.REGISTRY[name]
        return run_detectors(WATCH, items, config)
    finally:
        runner.REGISTRY.clear()
        runner.REGISTRY.update(saved)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def summarize(outcomes: list[Outcome], variant: str) -> None:
    mine = [outcome for outcome in outcomes if outcome.variant == variant]
    flames = [outcome for outcome in mine if outcome.case.kind == "flame"]
    buzz = [outcome for outcome in mine if outcome.case.kind == "buzz"]
    print(f"\n[{variant}]")
    for speed in ("slow", "medium", "fast", "all"):
        group = [o for o in flames if speed in ("all", o.case.speed)]
        if not group:
            continue
        delays = [o.delay_minutes if o.delay_minutes is not None else math.inf for o in group]
        caught = sum(delay <= LIMIT.total_seconds() / 60 for delay in delays)
        finite = [delay for delay in delays if math.isfinite(delay)]
        print(
            f"  flames {speed:6} n={len(group):3}: within 90 min {caught / len(group):6.1%}; "
            f"delay median {statistics.median(delays):5.0f} min, p90 {percentile(delays, 0.9):5.0f} min; "
            f"missed in 4 h {len(group) - len(finite)}"
        )
    calm = [o.calm_alerts for o in mine]
    print(
        f"  calm days (11 per stream, n={len(calm)}): false alerts mean {statistics.mean(calm):.2f}, "
        f"max {max(calm)}, streams over 2: {sum(c > 2 for c in calm)}, streams with any: {sum(c > 0 for c in calm)}; "
        f"of them negativity_rise {sum(o.calm_negativity for o in mine) / max(1, sum(calm)):.0%}"
    )
    causes = Counter(cause for o in mine for cause in o.causes)
    print("  calm-day alerts by kind/cause: " + ", ".join(f"{k} {v}" for k, v in sorted(causes.items())))
    if buzz:
        print(
            f"  praise surges n={len(buzz)}: violating streams {sum(o.violations > 0 for o in buzz)} "
            f"(negativity_rise or volume_spike severity > 2)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--flames", type=int, default=120, help="flame streams (split over slow/medium/fast)")
    parser.add_argument("--buzz", type=int, default=30, help="praise-surge streams")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    cases = [Case("flame", SPEEDS[i % 3][0], args.seed * 100_000 + i) for i in range(args.flames)]
    cases += [Case("buzz", "-", args.seed * 100_000 + 50_000 + i) for i in range(args.buzz)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        outcomes = [outcome for result in pool.map(evaluate, cases, chunksize=4) for outcome in result]
    print(
        f"{args.flames} flame streams + {args.buzz} praise surges, each after {CALM_DAYS} calm days; "
        f"simulated analyzer 70–80% accurate; seed {args.seed}; {time.perf_counter() - started:.0f} s"
    )
    for variant in VARIANTS:
        summarize(outcomes, variant)


if __name__ == "__main__":
    main()
