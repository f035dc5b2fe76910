"""Quoted wording the draft reports (「黙れ」と怒鳴る客) is not the writer's own; quoted insults aimed at someone are."""

import pytest

from hikeshi.guard import Guard
from hikeshi.guard.quotes import reported_quote_spans
from hikeshi.text.normalize import normalize


@pytest.mark.parametrize(
    "text",
    [
        "「うるさい!黙れ!」と怒鳴る客への対応マニュアルを作りました。",
        "新曲『黙れ』のMVが公開されました。",
        "「二度と来るな」と怒鳴られたお客様の声を受け、スタッフ研修を実施しました。",
        "「黙れ」「役立たず」などの暴言は禁止します。",
        "部活動顧問が生徒に暴言 「死ね」「役立たず」\n県教育委員会は教諭を減給の懲戒処分にした。",
        "飲食店が「外国人お断り」の貼り紙 市が撤去を要請",
        "「障害者は生きる価値がない」 被告の発言に遺族が意見陳述",
        "ラーメン店の口コミ返信「味が分からない方は二度と来ないで」に批判殺到",
        "「ふざけるな」のポスターが駅に貼られ、市が撤去した",
    ],
)
def test_reported_quotes_pass_the_lexicon(text: str, rules_only: Guard) -> None:
    assert rules_only.check(text).findings == []


@pytest.mark.parametrize(
    "text",
    [
        "お前は「無能」だ",
        "「二度と来るな」",
        "黙れ",
        "お前のような客には「二度と来るな」と言いたい",
        "「二度と来ないで」が本音です",
    ],
)
def test_quotes_that_are_not_reported_still_count(text: str, rules_only: Guard) -> None:
    assert rules_only.check(text).findings


def test_spans_cover_the_quote_marks() -> None:
    folded = normalize("彼は「黙れ」と言った").folded
    assert [folded[start:end] for start, end in reported_quote_spans(folded)] == ["「黙れ」"]
