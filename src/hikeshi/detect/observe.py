"""One arriving post reduced to what the detectors look at: time, author, tone, reach, source and terms.

Terms are SudachiPy normalized forms of content words (so 「わかる」「分かる」 count once), plus 「AのB」 noun
phrases and two-noun compounds, because a shift of angle reads best as phrases: 「営業の態度」→「会社の体質」.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from hikeshi.detect.config import DetectorConfig
from hikeshi.records import Analysis, Post, Watch
from hikeshi.text.tokenize import Token, tokenize

# Angles are things people talk about, so nouns (and 形状詞 such as 「不誠実」); verbs and adjectives carry tone.
_CONTENT_POS = frozenset({"名詞", "形状詞"})
_STOP_WORDS = frozenset(
    [
        "為る",
        "有る",
        "居る",
        "成る",
        "思う",
        "言う",
        "事",
        "物",
        "様",
        "此れ",
        "其れ",
        "彼れ",
        "何",
        "私",
        "僕",
        "俺",
        "自分",
        "人",
        "方",
        "時",
        "所",
        "さん",
        "ちゃん",
        "感じ",
        "今日",
        "今",
        "見る",
        "行く",
        "来る",
        "呉れる",
        "貰う",
        "出来る",
        "遣る",
        "分かる",
        "置く",
        "仕舞う",
        "的",
        "達",
        "等",
        "中",
        "上",
        "下",
        "前",
        "後",
        "頃",
        "位",
        "くらい",
        "ぐらい",
        "為",
        "訳",
        "筈",
        "の",
        "ん",
        "こと",
        "もの",
        "よう",
        "これ",
        "それ",
        "あれ",
        "ここ",
        "そこ",
        "皆",
        "みんな",
        "本当",
        "ほんと",
        "マジ",
        "年",
        "月",
        "日",
        "回",
        "度",
        "件",
        "円",
        "個",
        "https",
        "http",
        "www",
        "com",
        "co",
        "jp",
        "rt",
    ]
)
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"[@＠][A-Za-z0-9_]+")
_KANA_ONE = re.compile(r"^[\u3041-\u30ff]$")
_NUMERIC = re.compile(r"^[0-9０-９.,万千百十億一二三四五六七八九〇]+$")


@dataclass(frozen=True, slots=True)
class Observation:
    key: str
    time: dt.datetime
    author: str
    source: str
    negative: bool
    positive: bool
    negativity: float
    followers: int
    views: int
    terms: frozenset[str]
    boycott: tuple[str, ...]
    risk_words: tuple[str, ...]
    text: str
    news: bool


class TermExtractor:
    """Turns a text into its set of content terms, leaving out the watch's own names (they are in every post)."""

    def __init__(self, watch: Watch) -> None:
        excluded: set[str] = set()
        for name in watch.terms:
            excluded.add(_fold(name))
            for token in tokenize(name):
                excluded.add(token.normalized)
                excluded.add(_fold(token.surface))
        self._excluded = frozenset(excluded)
        # normalized term -> surface counts, so terms are shown as people write them (「ミナト」 not 「港」).
        self._surfaces: dict[str, dict[str, int]] = {}

    def terms(self, text: str) -> frozenset[str]:
        cleaned = _MENTION.sub(" ", _URL.sub(" ", text)).replace("#", " ").replace("＃", " ")
        tokens = tokenize(cleaned)
        found: set[str] = set()
        previous: Token | None = None
        before_previous: Token | None = None
        for token in tokens:
            if self._is_content(token):
                self._remember(token.normalized, token.surface)
                found.add(token.normalized)
                if (
                    previous is not None
                    and previous.pos == token.pos == "名詞"
                    and self._is_content(previous)
                    and previous.end == token.start
                ):
                    self._add_phrase(found, (previous, token), "")
                if (
                    token.pos == "名詞"
                    and previous is not None
                    and previous.surface == "の"
                    and before_previous is not None
                    and before_previous.pos == "名詞"
                    and self._is_content(before_previous)
                ):
                    self._add_phrase(found, (before_previous, token), "の")
            before_previous, previous = previous, token
        return frozenset(found)

    def display(self, term: str) -> str:
        surfaces = self._surfaces.get(term)
        if not surfaces:
            return term
        return max(surfaces.items(), key=lambda item: (item[1], item[0]))[0]

    def _add_phrase(self, found: set[str], parts: tuple[Token, Token], joiner: str) -> None:
        normalized = joiner.join(part.normalized for part in parts)
        self._remember(normalized, joiner.join(part.surface for part in parts))
        found.add(normalized)

    def _remember(self, normalized: str, surface: str) -> None:
        counts = self._surfaces.setdefault(normalized, {})
        counts[surface] = counts.get(surface, 0) + 1

    def _is_content(self, token: Token) -> bool:
        if token.pos not in _CONTENT_POS:
            return False
        normalized = token.normalized
        if normalized in _STOP_WORDS or token.surface in _STOP_WORDS:
            return False
        if normalized in self._excluded or _fold(token.surface) in self._excluded:
            return False
        if _KANA_ONE.match(token.surface) or _NUMERIC.match(token.surface):
            return False
        return len(token.surface) > 1 or "\u4e00" <= token.surface <= "\u9fff"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def find_terms(text: str, vocabulary: Iterable[str]) -> tuple[str, ...]:
    """Which of the given words occur in the text (after width/case folding), in vocabulary order."""
    folded = _fold(text)
    return tuple(word for word in vocabulary if _fold(word) in folded)


def observe(post: Post, analysis: Analysis, config: DetectorConfig, extractor: TermExtractor) -> Observation:
    sentiment = analysis.sentiment
    negative = sentiment.negative >= config.negative_probability and sentiment.negative >= max(
        sentiment.positive, sentiment.neutral
    )
    positive = not negative and sentiment.positive >= max(sentiment.negative, sentiment.neutral)
    return Observation(
        key=post.key,
        time=post.created_at,
        author=f"{post.source}:{post.author}" if post.author else post.key,
        source=post.source,
        negative=negative,
        positive=positive,
        negativity=sentiment.negative,
        followers=post.author_followers or 0,
        views=post.metrics.views,
        terms=extractor.terms(post.text),
        boycott=find_terms(post.text, config.boycott_terms),
        risk_words=find_terms(post.text, config.risk_terms),
        text=post.text,
        news=post.source in config.news_sources,
    )
