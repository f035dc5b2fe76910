"""Where a flame started and how it travelled (火元・拡散経路), and the posts that explain a signal.

Two readers need the same posts: the 広報 on the incident page at night, and the executives reading the report.
Both must see *different* voices, not twenty copies of one sentence, so near-duplicate groups (`dup_group`,
see `hikeshi.analysis.duplicates`) are collapsed into one row with their size. The path of a flame is the
first negative post, the first large account that picked it up, and the first news item: the three moments
that decide how far it goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hikeshi.detect.config import NEWS_SOURCES
from hikeshi.detect.negativity import SCOPE_LIMIT
from hikeshi.detect.observe import find_terms
from hikeshi.records import Signal, SignalKind
from hikeshi.reports.queries import group_sizes, largest_groups, post_reach, window_counts, window_posts
from hikeshi.reports.records import PostGroup, SpreadStep, SpreadView
from hikeshi.respond.incidents.records import Incident
from hikeshi.store import Store, StoredPost
from hikeshi.store.evidence import posts_by_keys
from hikeshi.timezones import utc_now

INFLUENCER_FOLLOWERS = 10_000
"""An account this large turns a complaint into a flame; the influencer_post detector's bar is higher."""
SHOWN = 5
FETCHED = 200  # rows read to fill SHOWN distinct groups, even through a storm of copies
TERM_POSTS = 100  # posts read per signal term
JUST_AFTER = dt.timedelta(microseconds=1)  # signal windows include their detected_at

STEP_LABELS = {
    "first_post": "最初の投稿（火元）",
    "first_influencer": "最初の大きなアカウント",
    "first_news": "最初のニュース",
}


def collapse(
    posts: Sequence[StoredPost],
    sizes: dict[str, int],
    *,
    terms: Sequence[str] = (),
    limit: int = SHOWN,
) -> list[PostGroup]:
    """Keep the first post of each near-duplicate group (callers order by what matters) with its size."""
    groups: list[PostGroup] = []
    seen: dict[str, int] = {}
    for post in posts:
        group = post.dup_group or f"post:{post.id}"
        if group in seen:
            continue
        seen[group] = len(groups)
        groups.append(
            PostGroup(
                post=post,
                size=max(sizes.get(group, 1), 1),
                matched_terms=list(find_terms(post.post.text, terms)) if terms else [],
                reach=post_reach(post),
            )
        )
    return groups[:limit]


def signal_evidence(
    store: Store, signal: Signal, *, limit: int = 10, per_term: int = TERM_POSTS
) -> list[PostGroup]:
    """The posts behind a signal, ranked so that they explain it.

    A negativity signal that cites 「不買」「解約します」 must show posts that say so first, even when the
    detector's own evidence list is the twenty latest negative posts of its window (copies of one complaint
    about the apology). So: the evidence posts plus the window's posts containing a term; those with more of
    the signal's terms first, then higher reach (views, else followers), then earlier; copies collapsed.
    `per_term` bounds the posts read for each term (the highest-reach ones).
    """
    # The detectors weigh aggravating words over the diagnosis scope (up to `SCOPE_LIMIT` before firing), which
    # is longer than the detection window: 「不買」 may have been said five hours before a 180-minute window.
    since = min(signal.window_start, signal.detected_at - SCOPE_LIMIT)
    until = signal.detected_at + JUST_AFTER
    candidates: dict[int, StoredPost] = {
        post.id: post for post in posts_by_keys(store, signal.watch, signal.evidence.post_ids)
    }
    terms = list(dict.fromkeys(signal.evidence.terms))
    for term in terms:
        for post in window_posts(
            store, signal.watch, since, until, containing=term, by_reach=True, limit=per_term
        ):
            candidates.setdefault(post.id, post)
    ranked = sorted(
        candidates.values(),
        key=lambda post: (
            -len(find_terms(post.post.text, terms)),
            -post_reach(post),
            post.post.created_at,
            post.id,
        ),
    )
    sizes = _sizes(store, signal.watch, since, until, ranked)
    return collapse(ranked, sizes, terms=terms, limit=limit)


def spread_view(
    store: Store,
    subject: Incident | Signal,
    *,
    signals: Sequence[Signal] | None = None,
    now: dt.datetime | None = None,
) -> SpreadView:
    """The spread of an incident (onset to calm, or to now) or of one signal's window.

    `signals` are the watch's signals, when the caller has them already (their influencer_post evidence
    counts as a large account even below `INFLUENCER_FOLLOWERS`).
    """
    since, until = _window(subject, now)
    watch = subject.watch
    if signals is None:
        signals = store.list_signals(watch, since=since)
    earliest_posts = window_posts(store, watch, since, until, negative_only=True, limit=FETCHED)
    reach_posts = window_posts(store, watch, since, until, by_reach=True, limit=FETCHED)
    sizes = _sizes(store, watch, since, until, [*earliest_posts, *reach_posts])
    posts, _, _ = window_counts(store, watch, since, until)
    return SpreadView(
        watch=watch,
        since=since,
        until=until,
        posts=posts,
        earliest=collapse(earliest_posts, sizes),
        top_reach=collapse(reach_posts, sizes),
        largest_groups=[
            PostGroup(post=post, size=size, reach=post_reach(post))
            for post, size in largest_groups(store, watch, since, until, limit=SHOWN)
        ],
        path=_path(store, watch, since, until, earliest_posts, signals),
    )


def _window(subject: Incident | Signal, now: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    if isinstance(subject, Signal):
        return subject.window_start, subject.detected_at + JUST_AFTER
    since = subject.onset_at or subject.opened_at
    end = subject.calmed_at or subject.closed_at or now or utc_now()
    return since, max(end, since) + JUST_AFTER


def _sizes(
    store: Store, watch: str, since: dt.datetime, until: dt.datetime, posts: Sequence[StoredPost]
) -> dict[str, int]:
    groups = {post.dup_group for post in posts if post.dup_group}
    return group_sizes(store, watch, since, until, groups)


def _path(
    store: Store,
    watch: str,
    since: dt.datetime,
    until: dt.datetime,
    earliest_negative: Sequence[StoredPost],
    signals: Sequence[Signal],
) -> list[SpreadStep]:
    first_post = next((p for p in earliest_negative if p.post.source not in NEWS_SOURCES), None)
    large = window_posts(
        store,
        watch,
        since,
        until,
        negative_only=True,
        min_followers=INFLUENCER_FOLLOWERS,
        exclude_sources=NEWS_SOURCES,
        limit=1,
    )
    flagged_keys = [
        key
        for signal in signals
        if signal.kind == SignalKind.INFLUENCER_POST and since <= signal.detected_at < until
        for key in signal.evidence.post_ids
    ]
    flagged = posts_by_keys(store, watch, flagged_keys) if flagged_keys else []
    first_influencer = _earliest([*large, *flagged])
    news = window_posts(store, watch, since, until, sources=NEWS_SOURCES, limit=1)
    steps = [
        _step("first_post", first_post),
        _step("first_influencer", first_influencer),
        _step("first_news", news[0] if news else None),
    ]
    return sorted((step for step in steps if step is not None), key=lambda step: step.post.post.created_at)


def _earliest(posts: Sequence[StoredPost]) -> StoredPost | None:
    return min(posts, key=lambda post: (post.post.created_at, post.id), default=None)


def _step(kind: str, post: StoredPost | None) -> SpreadStep | None:
    if post is None:
        return None
    return SpreadStep(kind=kind, label=STEP_LABELS[kind], post=post, reach=post_reach(post))
