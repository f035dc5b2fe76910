import pytest

from hikeshi.text.tokenize import tokenize


def test_tokenize_gives_normalized_forms_and_offsets() -> None:
    text = "先にわかっていたら無駄な時間は使わない"
    tokens = tokenize(text)
    assert "分かる" in [t.normalized for t in tokens]
    assert "".join(t.surface for t in tokens) == text
    for token in tokens:
        assert text[token.start : token.end] == token.surface


def test_tokenize_empty() -> None:
    assert tokenize("") == []


def test_long_text_is_tokenized_in_pieces_with_offsets_into_the_whole() -> None:
    text = "ご確認をお願いいたします。" * 5000  # 65,000 characters: over SudachiPy's 49,149-byte limit
    tokens = tokenize(text)
    assert "".join(t.surface for t in tokens) == text
    assert all(text[t.start : t.end] == t.surface for t in tokens[-5:])


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("ナミキ\ud800住宅", ["ナミキ", "\ufffd", "住宅"]),
        ("\udc00二度と頼まない", ["\ufffd", "二", "度", "と", "頼ま", "ない"]),
    ],
)
def test_a_lone_surrogate_is_a_replacement_character_at_the_same_offset(
    text: str, surfaces: list[str]
) -> None:
    tokens = tokenize(text)
    assert [token.surface for token in tokens] == surfaces
    assert [(token.start, token.end) for token in tokens][-1][1] == len(text)
