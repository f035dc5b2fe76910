"""The learned model's register-dependent thresholds: formal business drafts are calibrated apart from casual ones."""

import numpy as np
import pytest

from hikeshi.guard import Guard
from hikeshi.guard.classifier import LinearTextModel, model_from_json, shipped_model
from hikeshi.guard.features import is_formal
from hikeshi.guard.train import choose_thresholds
from hikeshi.records import Level
from hikeshi.text.normalize import normalize


@pytest.mark.parametrize(
    "text",
    [
        "ご来店ありがとうございます！スタッフ一同とても嬉しく思います。またのご来店をお待ちしております！",
        "この度は多大なるご迷惑をおかけし、深くお詫び申し上げます。再発防止に努めてまいります。",
        "平素より格別のご愛顧を賜り、厚く御礼申し上げます。誠に勝手ながら、明日は臨時休業とさせていただきます。",
        "突然のご連絡失礼いたします。株式会社サンプルの山田と申します。",
        "ラーメン店です。店内での撮影はご遠慮いただいております。ご協力をお願いいたします。",
    ],
)
def test_business_register_is_formal(text: str) -> None:
    assert is_formal(normalize(text).folded)


@pytest.mark.parametrize(
    "text",
    [
        "今日の客、まじでうざかった笑",
        "たむけん来てるけど思ってたよりでかい",
        "外国人は来ないでね笑",
        "明日から新商品が発売です！",  # polite but no business honorifics
        "ご来店ありがとうございます。でも正直、あの客は二度と来なくていい。ほんと疲れた。",
        "",
    ],
)
def test_casual_or_mixed_text_is_not_formal(text: str) -> None:
    assert not is_formal(normalize(text).folded)


def test_formal_drafts_get_their_own_thresholds() -> None:
    model = LinearTextModel("t", 0.0, {}, 0.5, 0.6, formal_caution_threshold=0.7, formal_danger_threshold=0.8)
    formal = normalize("ご来店ありがとうございます。またのお越しをお待ちしております。").folded
    casual = normalize("今日の客まじで無理").folded
    assert model.thresholds(formal) == (0.7, 0.8)
    assert model.thresholds(casual) == (0.5, 0.6)


def test_a_model_file_without_formal_thresholds_uses_the_casual_ones() -> None:
    data = {"version": "old", "intercept": 0.0, "features": {}, "thresholds": {"caution": 0.5, "danger": 0.6}}
    model = model_from_json(data)
    assert model.thresholds(normalize("ご確認のほど、よろしくお願い申し上げます。").folded) == (0.5, 0.6)


def test_a_formal_draft_below_its_threshold_gets_no_model_caution() -> None:
    """p≈0.62 everywhere: a caution for a casual draft, nothing for a formal one (threshold 0.7)."""
    model = LinearTextModel(
        "t", 0.5, {}, 0.55, 0.65, formal_caution_threshold=0.7, formal_danger_threshold=0.8
    )
    guard = Guard(model=model)
    assert guard.check("ご来店ありがとうございます。またのお越しをお待ちしております。").level == Level.OK
    assert guard.check("明日も行くわ、よろしく").level == Level.CAUTION


def test_choose_thresholds_calibrates_formal_drafts_at_a_lower_false_alarm_rate() -> None:
    rng = np.random.default_rng(0)
    probabilities = np.concatenate([rng.uniform(0.0, 0.7, 400), rng.uniform(0.5, 1.0, 100)])
    labels = np.array([False] * 400 + [True] * 100)
    calibration = np.array([True] * 500)
    formal = np.array([index % 2 == 0 for index in range(500)])
    thresholds = choose_thresholds(labels, probabilities, calibration, formal=formal)
    formal_fine = probabilities[~labels & formal]
    assert thresholds.formal_caution >= thresholds.caution
    assert np.mean(formal_fine >= thresholds.formal_caution) <= 0.02
    assert thresholds.formal_danger >= thresholds.formal_caution + 0.05 - 1e-9


def test_the_shipped_model_holds_formal_drafts_to_a_higher_bar() -> None:
    model = shipped_model()
    assert model.formal_caution_threshold is not None
    assert model.formal_caution_threshold > model.caution_threshold


@pytest.mark.parametrize(
    "text",
    [
        "今日もいい天気です。",
        "デスクからの景色。今日もいい天気です。",
        "今日のランチはカレーです。",
        "明日は雨です。",
        "今日は暑いです。",
        "お疲れ様です。",
        "週末は家族でキャンプに行きました。",
        "新しいメニューが始まりました。ぜひどうぞ。",
        "本日もご来店ありがとうございました。",
    ],
)
def test_everyday_posts_pass_the_whole_guard(text: str) -> None:
    """Short everyday posts in plain polite form: training on company reports once pushed them to cautions."""
    assert Guard().check(text).level == Level.OK
