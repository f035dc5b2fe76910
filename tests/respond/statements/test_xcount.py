"""X's weighted length: CJK weighs 2, ASCII 1, a URL 23 whatever its length."""

from __future__ import annotations

import pytest

from hikeshi.respond.statements.xcount import X_LIMIT, fits_x, x_length


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("お詫び", 6),
        ("abc", 3),
        ("お詫び abc", 10),
        ("詳細: https://www.minato-jyuken.example.jp/news/20260314.html", 4 + 2 + 23),
        ("「」、。", 8),  # full-width punctuation is CJK weight
        ("‘quoted’", 8),  # U+2018/U+2019 are in a weight-1 range
        ("あ" * 140, 280),
        ("ｱ", 2),  # half-width katakana (U+FF71) is outside the light ranges
    ],
)
def test_x_length(text: str, length: int) -> None:
    assert x_length(text) == length


def test_limit_is_140_full_width_characters() -> None:
    assert fits_x("あ" * 140) and not fits_x("あ" * 141)
    assert X_LIMIT == 280
