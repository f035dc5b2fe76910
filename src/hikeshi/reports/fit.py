"""Statement fit: did a statement calm the flame, or did the criticism turn to the statement itself?

For a statement (or any time a person names) the hours before and after are compared: volume, the share of
negative posts, the terms people used most, and how many of the negative posts are about the statement
(「謝罪文が不誠実」「お詫びになっていない」). When that share rises after the statement, or a new_angle signal
names the statement's words, the criticism has moved to the response — a second flame (二次炎上) that needs a
different answer than the first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from hikeshi.detect.observe import TermExtractor, find_terms
from hikeshi.records import Signal, SignalKind
from hikeshi.reports.queries import window_counts, window_posts
from hikeshi.reports.records import StatementFit, TermCount, WindowStats
from hikeshi.respond.incidents.records import EventKind, IncidentEvent
from hikeshi.store import Store
from hikeshi.store.convert import sentiment_label

DEFAULT_HOURS = 6.0
STATEMENT_WORDS: tuple[str, ...] = ("謝罪", "お詫び", "おわび", "コメント", "声明", "謝罪文")
"""Words that show a post is about the company's statement, not about the original act."""
TOP_TERMS = 5
MAX_POSTS = 20_000  # posts read per window for the terms; the counts themselves come from SQL
SHARE_RISE = 0.10  # the statement's share of negative posts must rise by ten points …
PART_OF = 0.8  # a term used by this share of a longer phrase's authors is left to the phrase
MIN_ON_STATEMENT = 3  # … and at least this many negative posts after it must be about it


def top_terms(counts: Sequence[TermCount], limit: int = TOP_TERMS) -> list[TermCount]:
    """The most used terms, without the parts of a phrase that say the same thing.

    「会社の体質」 used by 303 authors makes 「体質」 (303) and 「会社」 (318) redundant; 「謝罪」 (266) stays beside
    「謝罪文」 (111), since most who wrote it did not write about the text of the apology.
    """
    ranked = sorted(counts, key=lambda count: (-count.authors, count.term))
    phrases = [count for count in ranked if len(count.term) > 1]
    chosen: list[TermCount] = []
    for count in ranked:
        covered = any(
            count.term != phrase.term
            and count.term in phrase.term
            and phrase.authors >= PART_OF * count.authors
            for phrase in phrases
        )
        if not covered:
            chosen.append(count)
        if len(chosen) == limit:
            break
    return chosen


def window_stats(
    store: Store, watch: str, start: dt.datetime, end: dt.datetime, extractor: TermExtractor
) -> WindowStats:
    """Counts of [start, end), its most used terms (by distinct authors) and negative posts on the statement."""
    posts, analyzed, negative = window_counts(store, watch, start, end)
    authors_by_term: dict[str, set[str]] = defaultdict(set)
    on_statement = 0
    for stored in window_posts(store, watch, start, end, limit=MAX_POSTS):
        post = stored.post
        author = f"{post.source}:{post.author}" if post.author else post.key
        for term in extractor.terms(post.text):
            authors_by_term[term].add(author)
        is_negative = stored.analysis is not None and sentiment_label(stored.analysis.sentiment) == "negative"
        if is_negative and find_terms(post.text, STATEMENT_WORDS):
            on_statement += 1
    counts = [
        TermCount(term=extractor.display(term), authors=len(authors))
        for term, authors in authors_by_term.items()
    ]
    return WindowStats(
        start=start,
        end=end,
        posts=posts,
        analyzed=analyzed,
        negative=negative,
        top_terms=top_terms(counts),
        negative_on_statement=on_statement,
    )


def statement_fit(
    store: Store,
    watch: str,
    at: dt.datetime,
    *,
    hours: float = DEFAULT_HOURS,
    label: str = "指定の時刻",
    signals: Sequence[Signal] | None = None,
) -> StatementFit:
    """Compare the `hours` before `at` with the `hours` after it, from the watch's stored posts and analyses.

    `signals` are the watch's signals when the caller has them (else they are read from the store).
    """
    span = dt.timedelta(hours=hours)
    extractor = TermExtractor(store.get_watch(watch))
    before = window_stats(store, watch, at - span, at, extractor)
    after = window_stats(store, watch, at, at + span, extractor)
    if signals is None:
        signals = store.list_signals(watch, since=at, kind=SignalKind.NEW_ANGLE)
    angles = [
        term
        for signal in signals
        if signal.kind == SignalKind.NEW_ANGLE and at <= signal.detected_at < at + span
        for term in signal.evidence.terms
        if find_terms(term, STATEMENT_WORDS)
    ]
    angles = list(dict.fromkeys(angles))
    reasons: list[str] = []
    before_share, after_share = before.statement_share or 0.0, after.statement_share or 0.0
    if after.negative_on_statement >= MIN_ON_STATEMENT and after_share - before_share >= SHARE_RISE:
        reasons.append(
            f"否定的な投稿のうち声明・謝罪に触れるものが {before_share:.0%} から {after_share:.0%} に増えました"
            f"（{after.negative_on_statement} 件）"
        )
    if angles:
        reasons.append(f"声明の後、新しい切り口として「{'」「'.join(angles)}」が検知されました")
    return StatementFit(
        at=at,
        hours=hours,
        label=label,
        before=before,
        after=after,
        statement_angles=angles,
        criticism_of_statement=bool(reasons),
        reasons=reasons,
    )


def statement_fits(
    store: Store,
    events: Sequence[IncidentEvent],
    watch: str,
    *,
    hours: float = DEFAULT_HOURS,
    signals: Sequence[Signal] | None = None,
) -> list[StatementFit]:
    """The fit of every statement on an incident's timeline, in time order."""
    if signals is None:
        signals = store.list_signals(watch, kind=SignalKind.NEW_ANGLE)
    return [
        statement_fit(store, watch, event.at, hours=hours, label=event.summary, signals=signals)
        for event in events
        if event.kind == EventKind.STATEMENT
    ]
