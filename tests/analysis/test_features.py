import pytest

from hikeshi.analysis.train import build_extractor


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("なんで毎回こっちが謝らなきゃいけないの？", ["cue:why"], ["agg:sorrow"]),
        ("人の机の上の物、勝手に使うのやめて", ["cue:person", "cue:demand"], []),
        ("それ私が悪いことになるんだ？おかしいでしょ", ["cue:tag", "agg:hostile"], []),
        ("台所にゴキブリ出た", ["agg:hostile", "lex:disgust"], ["agg:sorrow"]),
        ("今日は面倒くさいしだるい", ["lex:weary", "agg:sorrow", "agg:neg"], ["lex:disgust", "lex:anger"]),
        ("明日は六時起き", [], ["cue:why", "cue:person", "agg:hostile", "agg:sorrow"]),
    ],
)
def test_hostility_cues(text: str, present: list[str], absent: list[str]) -> None:
    """Grievance cues (why-questions, people, demands, tag questions) and the hostile/sorrow pools fire as meant."""
    extractor, _ = build_extractor()
    features = extractor.extract(text)
    assert all(name in features for name in present), features
    assert not any(name in features for name in absent), features
