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


@pytest.mark.parametrize(
    ("hostile", "sad"),
    [
        (
            "電車で足踏まれたのに謝りもしないの、ほんと何なの",
            "電車で寝過ごして終点まで行ってしまった。疲れた",
        ),
        ("店員さんに横柄な態度とられて気分悪い", "大好きだったお店が今月で閉店。寂しい"),
        ("台所にゴキブリ出た。気持ち悪い", "明日の手術が怖くて眠れない"),
    ],
)
def test_hostility_ranks_complaints_above_sadness(hostile: str, sad: str) -> None:
    """The hostility proxy (max of anger and disgust) must separate grievances from equally negative sad posts."""
    model = shipped_model()

    def hostility(text: str) -> float:
        emotions = model.emotions(text)
        return max(emotions.anger, emotions.disgust)

    assert hostility(hostile) > hostility(sad)


def test_conditional_emotions_are_bounded_by_negativity() -> None:
    """P(anger) = P(negative) × P(anger | negative): a clearly positive post cannot score high anger."""
    model = shipped_model()
    assert model.conditional == frozenset({"anger", "disgust", "sadness", "fear"})
    for text in ("ふざけるな、金返せ", "推しのライブ当たった！嬉しすぎる"):
        negative = model.sentiment(text).negative
        emotions = model.emotions(text)
        assert emotions.anger <= negative + 1e-9
        assert emotions.sadness <= negative + 1e-9
