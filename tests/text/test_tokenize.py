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
