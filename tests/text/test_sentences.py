import pytest

from hikeshi.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ご連絡ありがとうございます。確認します！", ["ご連絡ありがとうございます。", "確認します！"]),
        ("本当ですか？？はい", ["本当ですか？？", "はい"]),
        ("一行目\n二行目", ["一行目", "二行目"]),
        ("「了解です。」と返信", ["「了解です。」", "と返信"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
