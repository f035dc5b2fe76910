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
