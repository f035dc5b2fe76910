import math

import pytest

from hikeshi.analysis.affect import EMOTION_LABELS, model_from_json, shipped_model


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("新しいカフェのケーキ、最高に美味しかった！また行きたい", "positive"),
        ("推しのライブ当たった！嬉しすぎる", "positive"),
        ("店員さんが親切で安心できました", "positive"),
        ("悪くない、むしろ良い", "positive"),
        ("対応が最悪。二度と買わない", "negative"),
        ("財布なくした…最悪の一日", "negative"),
        ("このラーメン美味しくない", "negative"),
        ("子どもが熱を出して一晩中看病。つらい", "negative"),
        ("明日の会議は10時からです", "neutral"),
    ],
)
def test_sentiment_reads_the_tone(text: str, tone: str) -> None:
    sentiment = shipped_model().sentiment(text)
    probabilities = sentiment.model_dump()
    assert max(probabilities, key=probabilities.__getitem__) == tone
    assert math.isclose(sum(probabilities.values()), 1.0, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("推しのライブ当たった！嬉しすぎる", "joy"),
        ("来週の旅行が楽しみ！", "anticipation"),
        ("上司に理不尽に怒鳴られて本当にムカつく", "anger"),
        ("夜道で誰かにつけられてる気がして怖い", "fear"),
        ("この会社ブラックすぎて引くわ", "disgust"),
        ("子どもが熱を出して一晩中看病。つらい", "sadness"),
        ("店員さんが親切で安心できました", "trust"),
        ("えっ、まさかの雪？", "surprise"),
    ],
)
def test_strongest_emotion(text: str, emotion: str) -> None:
    emotions = shipped_model().emotions(text).model_dump()
    assert list(emotions) == list(EMOTION_LABELS)
    assert max(emotions, key=emotions.__getitem__) == emotion


@pytest.mark.parametrize(("angry", "calm"), [("ふざけるな、金返せ", "今日は晴れて気持ちいい")])
def test_hostility_orders_angry_above_calm(angry: str, calm: str) -> None:
    model = shipped_model()
    assert model.emotions(angry).anger > model.emotions(calm).anger + 0.3


def test_same_text_same_scores() -> None:
    model = shipped_model()
    assert model.sentiment("うれしい！") == model.sentiment("うれしい！")
    assert model.version.startswith("affect-linear-")


@pytest.mark.parametrize("text", ["", "   ", "🙂" * 5000, "a" * 10000])
def test_edge_texts_give_valid_probabilities(text: str) -> None:
    model = shipped_model()
    sentiment = model.sentiment(text)
    assert 0.0 <= sentiment.negative <= 1.0
    assert all(0.0 <= value <= 1.0 for value in model.emotions(text).model_dump().values())


def test_broken_model_data_is_rejected() -> None:
    with pytest.raises(KeyError):
        model_from_json({"version": "x"})
    head = {"intercepts": [0.0], "weights": {"w:a": [1.0, 2.0]}}
    data = {
        "version": "x",
        "lexicon": {"words": {}, "surfaces": {}},
        "sentiment": {**head, "classes": ["negative"]},
        "emotions": {**head, "labels": ["joy"]},
    }
    with pytest.raises(ValueError):
        model_from_json(data)
