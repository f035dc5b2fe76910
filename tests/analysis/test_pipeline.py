from collections.abc import Sequence

import pytest

from hikeshi.analysis import (
    DEFAULT_ANALYZERS,
    AnalysisPipeline,
    PartialAnalysis,
    analyze,
    available,
    create,
    register,
    risk_score,
)
from hikeshi.errors import InputError
from hikeshi.guard import default_guard
from hikeshi.records import Emotions, Sentiment


def test_analyze_keeps_order_and_records_versions() -> None:
    texts = ["推しのライブ最高だった！", "対応が最悪。二度と買わない", "明日は10時から会議"]
    results = analyze(texts)
    assert len(results) == 3
    assert results[0].sentiment.positive > 0.5
    assert results[1].sentiment.negative > 0.5
    assert results[2].sentiment.neutral > 0.5
    assert set(results[0].model_versions) == set(DEFAULT_ANALYZERS)
    assert results[0].model_versions["harm"].startswith("guard:")
    assert analyze([]) == []


@pytest.mark.parametrize(
    "text",
    ["死ね", "お前の住所晒すぞ", "対応が最悪。二度と買わない", "あのクソ店員、客を馬鹿にしてんのか"],
)
def test_harm_is_the_guards_own_findings(text: str) -> None:
    (result,) = analyze([text])
    categories = {finding.category for finding in default_guard().check(text).findings}
    assert categories
    assert set(result.harm) == categories
    assert all(0.0 < score <= 1.0 for score in result.harm.values())
    assert result.risk >= 0.5


@pytest.mark.parametrize(
    ("risky", "calm"),
    [
        ("ふざけるな、二度と買わない。不買します", "残念ですが今回は見送ります"),
        ("社長出てこい。詐欺会社", "新商品とても良かったです"),
    ],
)
def test_risk_ranks_hostile_posts_higher(risky: str, calm: str) -> None:
    hot, cold = analyze([risky, calm])
    assert hot.risk > cold.risk


def test_risk_discounts_guard_findings_in_praise() -> None:
    praise = Sentiment(negative=0.0, neutral=0.0, positive=1.0)
    angry = Sentiment(negative=1.0, neutral=0.0, positive=0.0)
    calm = Emotions(joy=1, sadness=0, anticipation=0, surprise=0, anger=0, fear=0, disgust=0, trust=0)
    assert risk_score(praise, calm, {"toxicity": 0.7}) == pytest.approx(0.28)
    assert risk_score(angry, calm, {"toxicity": 0.7}) == pytest.approx(0.7)
    assert risk_score(angry, calm, {}) == pytest.approx(0.5)


def test_a_plain_string_is_refused() -> None:
    with pytest.raises(InputError):
        analyze("一件だけ")
    with pytest.raises(InputError):
        analyze(["ok", 3])  # type: ignore[list-item]


class _LengthAnalyzer:
    """A toy analyzer: longer texts read as more negative; shows that a new analyzer is one class + register."""

    name = "length"
    version = "length-1"

    def analyze(self, texts: Sequence[str]) -> list[PartialAnalysis]:
        return [
            PartialAnalysis(sentiment=Sentiment(negative=min(len(t) / 10, 1.0), neutral=0, positive=0))
            for t in texts
        ]


def test_registry_plugs_in_a_new_analyzer() -> None:
    register("length", _LengthAnalyzer)
    assert {"sentiment", "emotions", "harm", "length"} <= set(available())
    pipeline = AnalysisPipeline([create("length"), create("harm")])
    (result,) = pipeline.analyze(["0123456789"])
    assert result.sentiment.negative == 1.0
    assert result.model_versions == {"length": "length-1", "harm": create("harm").version}
    with pytest.raises(InputError, match="分析器"):
        create("no-such-analyzer")
