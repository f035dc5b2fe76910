"""From a scenario to the posts a drill serves: seeded, so the same scenario and onset give the same flame.

Everyday talk follows a day/night rhythm (few posts at 4 a.m., most in the evening) at the scenario's daily
level, from `baseline.days` before the onset to the end; the flame's posts follow the scenario's curve as an
inhomogeneous Poisson process, each drawn from the pools active at its time (an angle shift is a pool that
starts later). Authors are invented accounts (``user_48213``); a few of them post more than once, as people
do. Post ids are numbers that grow with time, as X's do, and carry the run's stamp, so a later run on the
same drill watch never collides with an earlier one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from hikeshi.drills.scenario import NAME_PLACEHOLDER, Pool, Scenario
from hikeshi.timezones import JST

HOUR_WEIGHTS = (3, 2, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 5, 4, 4, 4, 5, 6, 7, 8, 8, 7, 5)
"""Relative posting activity per hour of the day in Japan (lunch and the evening are busy)."""
MAX_RANDOM_FOLLOWERS = 20_000
"""Invented accounts stay below the influencer threshold; influencers are written into the scenario."""
REPEAT_AUTHOR_SHARE = 0.15
ID_RUN_FACTOR = 1_000_000

Rate = Callable[[dt.datetime], float]


@dataclass(frozen=True)
class DrillPost:
    """One post as the drill's X-like search serves it."""

    id: int
    at: dt.datetime
    author: str
    followers: int
    views: int
    likes: int
    reposts: int
    replies: int
    text: str
    role: str | None = None


@dataclass(frozen=True)
class DrillNews:
    guid: str
    at: dt.datetime
    outlet: str
    title: str
    text: str


@dataclass(frozen=True)
class Timeline:
    """Everything the drill server will ever serve, in time order; it serves what is due by the drill clock."""

    onset: dt.datetime
    start: dt.datetime
    end: dt.datetime
    posts: list[DrillPost]
    news: list[DrillNews]

    def flame_posts(self) -> int:
        return sum(1 for post in self.posts if post.at >= self.onset)


def latest_onset(clock: dt.time, not_after: dt.datetime) -> dt.datetime:
    """The latest moment with the scenario's time of day (Japan time) at or before `not_after`."""
    local = not_after.astimezone(JST)
    onset = local.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    if onset > local:
        onset -= dt.timedelta(days=1)
    return onset.astimezone(dt.UTC)


def rate_at(scenario: Scenario, offset: dt.timedelta) -> float:
    """Flame posts per hour at `offset` from the onset (0 before the first point, flat after the last)."""
    points = scenario.curve
    if offset < points[0].at:
        return 0.0
    for left, right in itertools.pairwise(points):
        if left.at <= offset < right.at:
            share = (offset - left.at) / (right.at - left.at)
            return left.per_hour + (right.per_hour - left.per_hour) * share
    return points[-1].per_hour


@dataclass(frozen=True)
class _Draft:
    at: dt.datetime
    author: str
    followers: int
    text: str
    views: int = 0
    likes: int = 0
    reposts: int = 0
    role: str | None = None


def build_timeline(scenario: Scenario, onset: dt.datetime, run_stamp: int) -> Timeline:
    """The posts and news of one run, seeded by the scenario's seed (the onset only shifts them in time)."""
    rng = random.Random(scenario.seed)
    start = onset - scenario.start
    end = onset + scenario.end
    writer = _Writer(scenario, rng)
    drafts: list[_Draft] = []
    calm = scenario.pools[scenario.baseline.pool]
    history = onset - dt.timedelta(days=scenario.baseline.days)
    per_hour = scenario.baseline.per_day / sum(HOUR_WEIGHTS)
    for at in _poisson(rng, history, end, lambda t: per_hour * HOUR_WEIGHTS[t.astimezone(JST).hour]):
        drafts.append(writer.draft(at, calm))
    flame_pools = [pool for name, pool in scenario.pools.items() if name != scenario.baseline.pool]
    for at in _poisson(rng, onset, end, lambda t: rate_at(scenario, t - onset)):
        drafts.append(writer.draft(at, writer.pick_pool(flame_pools, at - onset)))
    for scripted in scenario.posts:
        drafts.append(
            _Draft(
                at=onset + scripted.at,
                author=scripted.author,
                followers=scripted.followers,
                text=writer.fill(scripted.text),
                views=scripted.views,
                likes=scripted.likes,
                reposts=scripted.reposts,
                role=scripted.role,
            )
        )
    drafts.sort(key=lambda draft: draft.at)
    posts = []
    for index, draft in enumerate(drafts, start=1):
        reach = draft.views or int(draft.followers * rng.uniform(1.5, 6.0)) + rng.randint(20, 300)
        posts.append(
            DrillPost(
                id=run_stamp * ID_RUN_FACTOR + index,
                at=draft.at,
                author=draft.author,
                followers=draft.followers,
                views=reach,
                likes=draft.likes or int(reach * rng.uniform(0.002, 0.02)),
                reposts=draft.reposts or int(reach * rng.uniform(0.0005, 0.005)),
                replies=rng.randint(0, 3),
                text=draft.text,
                role=draft.role,
            )
        )
    news = [
        DrillNews(
            guid=f"drill-{run_stamp}-news-{index}",
            at=onset + item.at,
            outlet=item.outlet,
            title=writer.fill(item.title),
            text=writer.fill(item.text),
        )
        for index, item in enumerate(scenario.news, start=1)
    ]
    return Timeline(onset=onset, start=start, end=end, posts=posts, news=sorted(news, key=lambda n: n.at))


class _Writer:
    """Chooses authors, pools and texts with the run's random generator."""

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        self._scenario = scenario
        self._rng = rng
        self._authors: list[tuple[str, int]] = []
        self._used: set[str] = set()

    def author(self) -> tuple[str, int]:
        if self._authors and self._rng.random() < REPEAT_AUTHOR_SHARE:
            return self._rng.choice(self._authors)
        while True:
            name = f"user_{self._rng.randint(10000, 99999)}"
            if name not in self._used:
                break
        self._used.add(name)
        followers = min(MAX_RANDOM_FOLLOWERS, int(self._rng.lognormvariate(math.log(250), 1.1)))
        self._authors.append((name, followers))
        return name, followers

    def pick_pool(self, pools: list[Pool], offset: dt.timedelta) -> Pool:
        active = [pool for pool in pools if pool.active(offset)] or pools
        return self._rng.choices(active, weights=[pool.weight for pool in active])[0]

    def draft(self, at: dt.datetime, pool: Pool) -> _Draft:
        author, followers = self.author()
        return _Draft(at=at, author=author, followers=followers, text=self.fill(self._rng.choice(pool.texts)))

    def fill(self, text: str) -> str:
        """Put one of the company's names where the scenario wrote {name} (the first name most often)."""
        terms = self._scenario.company.terms
        while NAME_PLACEHOLDER in text:
            term = terms[0] if len(terms) == 1 or self._rng.random() < 0.7 else self._rng.choice(terms[1:])
            text = text.replace(NAME_PLACEHOLDER, term, 1)
        return text


def _poisson(rng: random.Random, start: dt.datetime, end: dt.datetime, rate: Rate) -> list[dt.datetime]:
    """Event times of a Poisson process with `rate(t)` posts per hour, by thinning over 5-minute maxima."""
    times: list[dt.datetime] = []
    step = dt.timedelta(minutes=5)
    cursor = start
    while cursor < end:
        stop = min(cursor + step, end)
        bound = max(rate(cursor), rate(stop), rate(cursor + (stop - cursor) / 2))
        if bound > 0:
            hours = (stop - cursor).total_seconds() / 3600
            t = 0.0
            while True:
                t += rng.expovariate(bound)
                if t >= hours:
                    break
                at = cursor + dt.timedelta(hours=t)
                if rng.random() * bound <= rate(at):
                    times.append(at.replace(microsecond=0))
        cursor = stop
    return times
