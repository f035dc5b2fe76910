"""Risk diagnosis: a severity 1–4 (1 note, 2 watch, 3 warning, 4 critical) with its reasons in Japanese.

A surge of praise is buzz, not a crisis, so without elevated negativity the severity stops at 2 however loud
the surge is; with it, each aggravating factor (fast growth, reach, boycott words, news pickup, spread to
other sources, the watch's own risk words) adds a level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hikeshi.detect.observe import Observation

SEVERITY_LABELS = {1: "注意", 2: "要注意", 3: "警戒", 4: "危険"}
FAST_GROWTH_RATIO = 10.0
FAST_GROWTH_MIN_AUTHORS = 10
LARGE_FOLLOWERS = 100_000
LARGE_VIEWS = 1_000_000


@dataclass(frozen=True)
class Diagnosis:
    severity: int
    reasons: list[str]
    metrics: dict[str, float] = field(default_factory=dict)
    boycott_terms: tuple[str, ...] = ()


def people(count: float) -> str:
    """Japanese count: 123 → 「123」, 45,600 → 「4.6万」, 12,300,000 → 「1230万」."""
    if count >= 100_000_000:
        return f"{count / 100_000_000:.1f}億"
    if count >= 10_000:
        value = count / 10_000
        return f"{value:.1f}万" if value < 100 else f"{value:.0f}万"
    return f"{count:.0f}"


def diagnose(
    scope: Sequence[Observation],
    *,
    growth_ratio: float,
    negative_elevated: bool,
    negative_share: float,
    baseline_share: float,
) -> Diagnosis:
    """Severity and reasons for the posts of an alert (its window, or the episode so far)."""
    reasons: list[str] = []
    level = 1
    if negative_elevated:
        level += 1
        reasons.append(f"否定的な投稿の割合 {negative_share:.0%}（平常時 {baseline_share:.0%}）")
    if growth_ratio >= FAST_GROWTH_RATIO and len({post.author for post in scope}) >= FAST_GROWTH_MIN_AUTHORS:
        level += 1
        reasons.append(f"投稿の伸びが平常時の {growth_ratio:.0f} 倍")
    max_followers = max((post.followers for post in scope), default=0)
    total_views = sum(post.views for post in scope)
    if max_followers >= LARGE_FOLLOWERS or total_views >= LARGE_VIEWS:
        level += 1
        reasons.append(f"拡散力（最大フォロワー {people(max_followers)}、閲覧 {people(total_views)}）")
    boycott_authors = {post.author for post in scope if post.boycott}
    boycott_terms = tuple(dict.fromkeys(term for post in scope for term in post.boycott))
    if len(boycott_authors) >= 2:
        level += 1
        shown = "」「".join(boycott_terms[:3])
        reasons.append(f"不買・離反を示す言葉（「{shown}」、{len(boycott_authors)} 人）")
    news = [post for post in scope if post.news]
    if news:
        level += 1
        reasons.append(f"ニュース・RSS に掲載（{len(news)} 件）")
    authors_by_source: dict[str, set[str]] = {}
    for post in scope:
        if not post.news:
            authors_by_source.setdefault(post.source, set()).add(post.author)
    spread = sorted(source for source, authors in authors_by_source.items() if len(authors) >= 2)
    if len(spread) >= 2:
        level += 1
        reasons.append(f"複数の媒体に拡散（{'、'.join(spread)}）")
    risk_words = tuple(dict.fromkeys(term for post in scope for term in post.risk_words))
    if risk_words and negative_elevated:
        level += 1
        reasons.append(f"警戒語（「{'」「'.join(risk_words[:3])}」）")
    severity = min(4, level) if negative_elevated else min(2, level)
    return Diagnosis(
        severity=severity,
        reasons=reasons,
        metrics={
            "max_followers": float(max_followers),
            "views": float(total_views),
            "boycott_authors": float(len(boycott_authors)),
            "news_posts": float(len(news)),
            "sources": float(len({post.source for post in scope})),
        },
        boycott_terms=boycott_terms,
    )
