"""Turning a post into what detectors count: terms in words people use, boycott words, tone."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.observe import TermExtractor, find_terms, observe
from hikeshi.records import Analysis, Emotions, Post, Sentiment, Watch

WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "ミナトホーム"])
NEUTRAL_EMOTIONS = Emotions(
    joy=0.0, sadness=0.0, anticipation=0.0, surprise=0.0, anger=0.0, fear=0.0, disgust=0.0, trust=0.0
)


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("ミナト住建の営業の態度がひどい", {"営業の態度", "営業", "態度"}, {"ミナト", "住建", "港"}),
        ("これは会社の体質でしょ。社長は説明して", {"会社の体質", "社長", "説明"}, {"こと"}),
        ("ミナトホームは不買。https://t.co/abc #ミナト住建 @minato_pr", {"不買"}, {"https", "abc", "minato"}),
        ("LINEのスクショが回ってきた", {"LINE", "スクショ"}, {"回る"}),
    ],
)
def test_terms_are_content_words_and_phrases_without_the_watch_names(
    text: str, present: set[str], absent: set[str]
) -> None:
    terms = TermExtractor(WATCH).terms(text)
    assert present <= terms
    assert not absent & terms


def test_terms_are_shown_as_written() -> None:
    extractor = TermExtractor(WATCH)
    extractor.terms("わかりにくい説明だった")
    extractor.terms("スクショ見た")
    assert extractor.display("スクショ") == "スクショ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ミナト住建は二度と買わない", ("二度と買わない",)),
        ("ﾐﾅﾄ住建 不買します", ("不買",)),
        ("契約中だけど解約します", ("解約します",)),
        ("モデルハウスよかった", ()),
    ],
)
def test_boycott_words(text: str, expected: tuple[str, ...]) -> None:
    assert find_terms(text, DetectorConfig().boycott_terms) == expected


@pytest.mark.parametrize(
    ("negative", "neutral", "positive", "is_negative", "is_positive"),
    [(0.8, 0.1, 0.1, True, False), (0.45, 0.2, 0.35, False, False), (0.1, 0.2, 0.7, False, True)],
)
def test_tone_labels(
    negative: float, neutral: float, positive: float, is_negative: bool, is_positive: bool
) -> None:
    post = Post(
        source="news",
        source_id="1",
        author="地方経済ニュース",
        author_followers=320_000,
        text="ミナト住建が謝罪",
        created_at=dt.datetime(2026, 3, 13, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))),
    )
    analysis = Analysis(
        sentiment=Sentiment(negative=negative, neutral=neutral, positive=positive), emotions=NEUTRAL_EMOTIONS
    )
    observation = observe(post, analysis, DetectorConfig(), TermExtractor(WATCH))
    assert (observation.negative, observation.positive, observation.news) == (is_negative, is_positive, True)
    assert observation.author == "news:地方経済ニュース"
