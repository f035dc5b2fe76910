from pathlib import Path

import pytest

from hikeshi.analysis.lexicon import (
    MLASK_LABELS,
    MLASK_LEXICON,
    SURFACE_LEXICON,
    WORD_LEXICON,
    SurfaceLexicon,
    TokenLexicon,
    compile_entries,
    entry_key,
    load_tsv,
)
from hikeshi.errors import ConfigError
from hikeshi.text.tokenize import tokenize


@pytest.mark.parametrize(
    ("term", "key"),
    [
        ("疲れた", ("疲れる",)),
        ("うれしい", ("嬉しい",)),
        ("腹が立つ", ("腹", "が", "立つ")),
        ("許せない", ("許す", "ない")),  # a negation inside an entry is kept
    ],
)
def test_entry_key_uses_normalized_forms(term: str, key: tuple[str, ...]) -> None:
    assert entry_key(term) == key


def test_shipped_lexicons_load() -> None:
    assert len(load_tsv(WORD_LEXICON, "lex")) > 900
    assert len(load_tsv(SURFACE_LEXICON, "surf")) > 100
    assert len(load_tsv(MLASK_LEXICON, "mlask", MLASK_LABELS)) > 4000


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("嬉しい\tjoy\n悲しい\thappy\n", 2, "不明なラベル: happy"),
        ("# comment\n\n楽しい joy\n", 3, "2 列"),
        ("怖い\t,\n", 1, "（空）"),
    ],
)
def test_bad_lexicon_line_names_file_and_line(tmp_path: Path, content: str, line: int, problem: str) -> None:
    path = tmp_path / "lex.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_tsv(path, "lex")
    assert caught.value.line == line
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "features"),
    [
        ("ケーキが美味しかった", ["lex:joy"]),
        ("ケーキが美味しくない", ["neg:lex:joy"]),
        ("好きじゃない", ["neg:lex:joy"]),
        ("絶対に許せない", ["lex:anger"]),
        ("許します", ["lex:trust"]),
        ("腹が立つ", ["lex:anger"]),
        ("今日は会議", []),
    ],
)
def test_token_lexicon_longest_match_and_negation(tmp_path: Path, text: str, features: list[str]) -> None:
    path = tmp_path / "lex.tsv"
    path.write_text(
        "美味しい\tjoy\n好き\tjoy\n許せない\tanger\n許す\ttrust\n腹が立つ\tanger\n", encoding="utf-8"
    )
    lexicon = TokenLexicon(compile_entries(load_tsv(path, "lex")))
    assert [hit.feature for hit in lexicon.match(tokenize(text))] == features


@pytest.mark.parametrize(
    ("text", "features"),
    [("最高でした😊", ["surf:joy"]), ("つらい(泣)", ["surf:sadness"]), ("普通の文", [])],
)
def test_surface_lexicon_finds_emoji_and_marks(text: str, features: list[str]) -> None:
    surfaces = SurfaceLexicon({"😊": ["surf:joy"], "(泣)": ["surf:sadness"]})
    assert surfaces.match(text) == features


@pytest.mark.parametrize("text", ["安いし近いし最高", "りんごやみかんを買った"])
def test_slang_entries_do_not_compile_to_particles(tmp_path: Path, text: str) -> None:
    """「しね」「やだ」 strip to the particles 「し」「や」; such keys are skipped instead of tagging every particle."""
    path = tmp_path / "lex.tsv"
    path.write_text("しね\tanger\nやだ\tneg\n", encoding="utf-8")
    lexicon = TokenLexicon(compile_entries(load_tsv(path, "lex")))
    assert len(lexicon) == 0
    assert lexicon.match(tokenize(text)) == []
