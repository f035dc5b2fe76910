import pytest
from pydantic import ValidationError

from hikeshi.guard.lexicon import CompiledRule, Rule
from hikeshi.guard.matcher import Matcher
from hikeshi.text.normalize import normalize


def _rule(rule_id: str, **fields: object) -> CompiledRule:
    return CompiledRule(
        "test", "テスト", Rule.model_validate({"id": rule_id, "severity": 2, "reason": "r", **fields})
    )


def _ids(matcher: Matcher, text: str) -> list[str]:
    return [hit.rule.qualified_id for hit in matcher.find(normalize(text).folded)]


def test_terms_match_across_kana_and_width() -> None:
    matcher = Matcher([_rule("kimoi", terms=["キモい"])])
    assert _ids(matcher, "まじきもい") == ["test.kimoi"]
    assert _ids(matcher, "ﾏｼﾞｷﾓｲ") == ["test.kimoi"]  # half-width katakana → キモイ → きもい
    assert _ids(matcher, "キ モ イ") == ["test.kimoi"]  # spacing trick


def test_near_requires_a_second_word_in_the_same_sentence_when_the_window_is_zero() -> None:
    matcher = Matcher([_rule("waste", terms=["無駄"], near=["時間"], near_window=0)])
    assert _ids(matcher, "時間を無駄にした") == ["test.waste"]
    assert _ids(matcher, "時間です。無駄を省きます。") == []


def test_near_may_come_from_a_neighbouring_sentence() -> None:
    matcher = Matcher([_rule("shame", patterns=["食い逃げ"], near=["拡散希望"])])
    assert _ids(matcher, "【拡散希望】。この客、食い逃げです") == ["test.shame"]
    assert _ids(matcher, "この客、食い逃げです。拡散希望！") == ["test.shame"]
    assert _ids(matcher, "拡散希望。今日は晴れ。店は満席。この客、食い逃げです") == []


def test_the_window_width_and_line_breaks() -> None:
    wide = Matcher([_rule("shame", patterns=["食い逃げ"], near=["拡散希望"], near_window=2)])
    assert _ids(wide, "拡散希望。今日は晴れ。この客、食い逃げです") == ["test.shame"]
    assert _ids(wide, "拡散希望。今日は晴れ。店は満席。この客、食い逃げです") == []
    narrow = Matcher([_rule("shame", patterns=["食い逃げ"], near=["拡散希望"])])
    assert _ids(narrow, "【拡散希望】\nこの客、食い逃げです") == []  # a new line is a new context


def test_near_window_is_bounded() -> None:
    with pytest.raises(ValidationError):
        Rule.model_validate({"id": "x", "severity": 2, "reason": "r", "terms": ["a"], "near_window": 3})


def test_unless_in_a_neighbour_does_not_matter_when_near_is_in_the_sentence() -> None:
    matcher = Matcher([_rule("shame", patterns=["食い逃げ"], near=["拡散希望"], unless=["詐欺に注意"])])
    assert _ids(matcher, "詐欺に注意。拡散希望、この客は食い逃げです") == ["test.shame"]


def test_unless_looks_where_near_was_found() -> None:
    matcher = Matcher([_rule("shame", patterns=["食い逃げ"], near=["拡散希望"], unless=["詐欺に注意"])])
    assert _ids(matcher, "拡散希望は詐欺に注意。食い逃げ事件の続報です") == []
    assert _ids(matcher, "詐欺に注意。今日は晴れ。この客、食い逃げです。拡散希望") == ["test.shame"]


def test_unless_suppresses_within_the_sentence_only() -> None:
    matcher = Matcher([_rule("quake", terms=["地震"], unless=["お見舞い"])])
    assert _ids(matcher, "地震の被害に遭われた方にお見舞い申し上げます") == []
    assert _ids(matcher, "お見舞い申し上げます。地震セール開催！") == ["test.quake"]


def test_one_hit_per_rule_and_sentence() -> None:
    matcher = Matcher([_rule("fool", patterns=["ばか"])])
    assert _ids(matcher, "ばかばかばか。ばか。") == ["test.fool", "test.fool"]


def test_gated_regex_still_finds_every_match() -> None:
    matcher = Matcher([_rule("never", patterns=["二度と(来|利用し)ないで"])])
    assert _ids(matcher, "二度と来ないで") == ["test.never"]
    assert _ids(matcher, "二度とご利用にならないで") == []
