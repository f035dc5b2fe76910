import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hikeshi.text.normalize import MASK, fold_kana, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｼﾈ", "シネ"),  # half-width katakana
        ("ｶﾞｲｼﾞ", "ガイジ"),  # half-width voiced marks compose
        ("０９０－１２３４－５６７８", "090-1234-5678"),  # full-width digits and hyphens
        ("うぜええええ！！！", "うぜええ!!"),  # stretched characters keep two
        ("すごーーーーい", "すごーい"),  # long-vowel marks keep one
        ("し ね", "しね"),  # spacing trick
        ("死.ね", "死ね"),
        ("○ね", f"{MASK}ね"),  # 伏字
        ("●ね", f"{MASK}ね"),
        ("Hello World", "hello world"),  # ASCII words keep their space
        ("1000000円", "1000000円"),  # digits never collapse
        ("あ\u200bほ", "あほ"),  # zero-width space
        ("テスト\x07です", "テストです"),  # control character
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "raw", ["ｼ ﾈーーー", "お前マジでし.ね", "うぜええええ！！！", "😀😀😀 ｶﾞ", "", "a\u200b"]
)
def test_offsets_map_back_into_original(raw: str) -> None:
    normalized = normalize(raw)
    assert len(normalized.starts) == len(normalized.text) == len(normalized.ends)
    for start, end in zip(normalized.starts, normalized.ends, strict=True):
        assert 0 <= start < end <= len(raw)
    if normalized.text:
        assert normalized.to_original(0, len(normalized.text))[1] <= len(raw)


def test_span_maps_to_the_users_characters() -> None:
    raw = "本当にｳｻﾞｲです"
    normalized = normalize(raw)
    start = normalized.text.index("ウザイ")
    original = normalized.to_original(start, start + 3)
    assert raw[original[0] : original[1]] == "ｳｻﾞｲ"


def test_fold_kana_keeps_length() -> None:
    assert fold_kana("キモいヴ") == "きもいゔ"
    assert len(fold_kana("カタカナー")) == 5


def test_voiced_mark_without_a_composed_form_keeps_offsets_aligned() -> None:
    raw = "ｱﾞ、お前はバカだ"
    normalized = normalize(raw)
    start = normalized.text.index("お前")
    begin, end = normalized.to_original(start, start + 2)
    assert raw[begin:end] == "お前"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.text(alphabet=st.sampled_from("ｱｶﾞﾟﾞ゙゚か死ね 　.・ーー！!○*\u200b\x07😀a1０\n、"), max_size=30)
    | st.text(max_size=30)
)
def test_offsets_stay_aligned_on_any_input(raw: str) -> None:
    normalized = normalize(raw)
    assert len(normalized.starts) == len(normalized.text) == len(normalized.ends)
    previous_end = 0
    for start, end in zip(normalized.starts, normalized.ends, strict=True):
        assert 0 <= start < end <= len(raw)
        assert start >= previous_end - 1
        previous_end = end
