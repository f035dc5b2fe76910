"""The spread of the minato flame (火元・拡散経路) and the posts that explain a signal, on the real replay."""

from __future__ import annotations

import itertools

from hikeshi.records import SignalKind
from hikeshi.reports import signal_evidence, spread_view
from hikeshi.reports.spread import INFLUENCER_FOLLOWERS
from tests.reports.conftest import Minato


def test_path_runs_from_the_first_post_to_a_large_account_to_the_news(minato: Minato) -> None:
    view = spread_view(minato.store, minato.incident)
    assert [step.kind for step in view.path] == ["first_post", "first_influencer", "first_news"]
    first, influencer, news = view.path
    # The customer's screenshot post at 21:13, three minutes after the replay's onset.
    assert first.post.post.source_id == "x-000324"
    assert "無駄な時間は使わない" in first.post.post.text
    assert (influencer.post.post.author_followers or 0) >= INFLUENCER_FOLLOWERS
    assert influencer.post.post.source == "x"
    assert first.post.post.created_at < influencer.post.post.created_at < news.post.post.created_at
    # The next morning's news pickup.
    assert news.post.post.source_id == "news-002691"


def test_copies_are_collapsed_with_their_sizes(minato: Minato) -> None:
    view = spread_view(minato.store, minato.incident)
    for groups in (view.earliest, view.top_reach, view.largest_groups):
        keys = [group.post.dup_group for group in groups]
        assert len(keys) == len(set(keys)), "one row per near-duplicate group"
    assert view.earliest[0].post.post.source_id == "x-000324"
    assert all(group.size > 1 for group in view.largest_groups)
    assert [g.size for g in view.largest_groups] == sorted(
        (g.size for g in view.largest_groups), reverse=True
    )
    # The most seen post is the 1.2M-follower account's (2.3M views), not a storm of small copies.
    assert view.top_reach[0].post.post.author == "kaji_mama_blog"
    assert [g.reach for g in view.top_reach] == sorted((g.reach for g in view.top_reach), reverse=True)


def test_spread_of_one_signal_stays_in_its_window(minato: Minato) -> None:
    first = minato.store.list_signals(minato.incident.watch)[0]
    view = spread_view(minato.store, first)
    assert view.since == first.window_start
    assert all(first.window_start <= g.post.post.created_at <= first.detected_at for g in view.earliest)


def test_boycott_signal_lists_posts_that_say_so_first(minato: Minato) -> None:
    """The severity-4 negativity signal cites 「不買」「解約します」; its own evidence list holds twenty copies
    of complaints about the apology that mention neither."""
    signal = next(
        s
        for s in minato.store.list_signals(minato.incident.watch, kind=SignalKind.NEGATIVITY_RISE)
        if s.severity == 4
    )
    assert {"不買", "解約します"} <= set(signal.evidence.terms)
    groups = signal_evidence(minato.store, signal)
    assert len(groups) == 10
    matching = [bool(group.matched_terms) for group in groups]
    assert matching[:3] == [True, True, True]
    assert matching == sorted(matching, reverse=True), "posts with the terms come before the others"
    for group in groups[:3]:
        assert "不買" in group.post.post.text or "解約" in group.post.post.text
    assert any("解約します" in group.matched_terms for group in groups)
    keys = [group.post.dup_group for group in groups]
    assert len(keys) == len(set(keys))
    with_terms = [group for group in groups if group.matched_terms]
    for earlier, later in itertools.pairwise(with_terms):
        if len(earlier.matched_terms) == len(later.matched_terms):
            assert earlier.reach >= later.reach, "reach breaks ties"


def test_signal_without_terms_is_ranked_by_reach(minato: Minato) -> None:
    spike = next(
        s
        for s in minato.store.list_signals(minato.incident.watch, kind=SignalKind.VOLUME_SPIKE)
        if s.severity == 4
    )
    groups = signal_evidence(minato.store, spike, limit=5)
    assert groups and all(not group.matched_terms for group in groups)
    assert [g.reach for g in groups] == sorted((g.reach for g in groups), reverse=True)
    assert groups[0].post.post.author == "sumai_no_sensei"
