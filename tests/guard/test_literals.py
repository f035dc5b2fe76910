import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hikeshi.guard.lexicon import builtin_rules
from hikeshi.guard.literals import required_literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("二度と(来|利用)", {"二度と来", "二度と利用"}),
        ("(死ね|殺す)ぞ?", {"死ね", "殺す"}),
        ("(謝|あやま)れ(よ|や)", {"謝れよ", "謝れや", "あやまれよ", "あやまれや"}),
        ("[あい]えお", {"あえお", "いえお"}),
        ("(?<![ぁ-ん])無駄な時間", {"無駄な時間"}),
        (".*", None),
        ("(?i)abc", None),
        ("x?y*", None),
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    found = required_literals(pattern)
    assert (set(found) if found is not None else None) == expected


def test_every_match_of_every_shipped_pattern_contains_a_gate_literal() -> None:
    """Soundness on the real lexicon: for matches in sample texts, the gate must have been present."""
    samples = [
        "先にわかっていたら会社や私も無駄な時間は使わない",
        "二度と来ないでください。お客様の勘違いです笑",
        "住所特定して晒してやるからな、覚えとけ",
        "女は感情的だから管理職は無理",
        "震災セール開催！地震に負けない大特価ww",
        "飲むだけで必ず痩せる奇跡のサプリ",
    ]
    for rule in builtin_rules():
        for pattern in rule.patterns:
            literals = required_literals(pattern.pattern)
            if literals is None:
                continue
            for sample in samples:
                match = pattern.search(sample)
                if match is not None:
                    assert any(literal in match.group() for literal in literals), (
                        rule.qualified_id,
                        pattern.pattern,
                    )


_GATED = [
    (pattern, literals)
    for rule in builtin_rules()
    for pattern in rule.patterns
    if (literals := required_literals(pattern.pattern)) is not None and "(?<" not in pattern.pattern
]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
def test_generated_matches_contain_a_gate_literal(data: st.DataObject) -> None:
    """Property: any string a shipped regex matches contains one of its gate literals."""
    pattern, literals = data.draw(st.sampled_from(_GATED))
    text = data.draw(st.from_regex(pattern, fullmatch=True))
    match = pattern.search(text)
    assert match is not None
    assert any(literal in text for literal in literals), (pattern.pattern, text)
