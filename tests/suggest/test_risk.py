import pytest

from hikeshi.errors import ConfigError
from hikeshi.suggest import RiskDictionary, default_risk_dictionary
from hikeshi.suggest.risk import RiskTerm, parse_risk_terms

NAMES = ["ミナト住建", "ミナト"]


@pytest.mark.parametrize(
    ("suggestion", "names", "term", "severity"),
    [
        ("ミナト住建 ブラック", NAMES, "ブラック", 3),
        ("ミナト住建 詐欺", NAMES, "詐欺", 4),
        ("ﾐﾅﾄ住建　詐欺", NAMES, "詐欺", 4),  # half-width katakana, full-width space
        ("ミナト住建 倒産 理由", NAMES, "倒産", 4),
        ("ミナト住建 評判 悪い", NAMES, "評判悪い", 2),
        ("ミナト住建 評判悪い", NAMES, "評判悪い", 2),
        ("ミナト住建 口コミ 最悪", NAMES, "口コミ最悪", 2),
        ("ミナト住建 ヤバい", NAMES, "やばい", 2),
        ("ミナト住建 パワハラ 裁判", NAMES, "パワハラ", 3),  # same severity: the longer term wins
        ("ミナト住建 社長 逮捕", NAMES, "逮捕", 4),
        ("ミナト住建 不買運動", NAMES, "不買", 3),
        ("ミナト住建 モデルハウス", NAMES, None, None),
        ("ミナト住建 口コミ", NAMES, None, None),
        ("ミナト住建 評判", NAMES, None, None),
        ("ミナト住建 年収", NAMES, None, None),
        ("ミナト住建 ブラックフライデー", NAMES, None, None),  # a sale, not a black company
        ("ブラックサンダー 値段", ["ブラックサンダー"], None, None),  # the brand name itself
        ("ブラックサンダー ブラック企業", ["ブラックサンダー"], "ブラック", 3),
    ],
)
def test_risk_terms_in_suggestions(
    suggestion: str, names: list[str], term: str | None, severity: int | None
) -> None:
    hit = default_risk_dictionary().find(suggestion, names)
    assert (hit.term if hit else None, hit.severity if hit else None) == (term, severity)


def test_default_dictionary_has_the_core_terms() -> None:
    terms = {term.term for term in default_risk_dictionary().terms}
    for word in (
        "ブラック",
        "詐欺",
        "倒産",
        "炎上",
        "パワハラ",
        "セクハラ",
        "逮捕",
        "やばい",
        "評判悪い",
        "口コミ最悪",
        "不祥事",
        "訴訟",
        "リコール",
        "不買",
    ):
        assert word in terms


def test_scan_keeps_rank() -> None:
    hits = default_risk_dictionary().scan(
        ["ミナト住建 評判", "ミナト住建 炎上", "ミナト住建 ブラック"], NAMES
    )
    assert [(hit.suggestion, hit.rank) for hit in hits] == [
        ("ミナト住建 炎上", 2),
        ("ミナト住建 ブラック", 3),
    ]


def test_watch_risk_terms_are_added() -> None:
    dictionary = RiskDictionary([RiskTerm(term="詐欺", severity=4, category="不正")]).with_terms(
        ["欠陥住宅", "詐欺"]
    )
    hit = dictionary.find("ミナト住建 欠陥住宅", NAMES)
    assert hit is not None and (hit.term, hit.severity, hit.category) == ("欠陥住宅", 2, "ウォッチ固有")
    assert len(dictionary.terms) == 2  # 詐欺 was already there


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("# comment\nブラック\t3\n", 2, "列が足りません"),
        ("ブラック\t9\t労務\n", 1, "重大度は 1〜4"),
        ("詐欺\t4\t不正\n\n詐欺\t3\t不正\n", 3, "1 行目と重複"),
        ("\t2\t評判\n", 1, "語が空です"),
    ],
)
def test_bad_dictionary_lines_name_the_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_risk_terms(text, "risk.tsv")
    assert error.value.line == line
    assert problem in str(error.value)
    assert str(error.value).startswith(f"risk.tsv:{line}:")
