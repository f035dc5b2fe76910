"""Reading a position paper for the linter: a broken one is reported with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.respond.statements.lint import LintFacts, load_lint_facts


def test_the_paper_is_read(facts: LintFacts) -> None:
    terms = [t.term for t in facts.negative_terms]
    assert terms == ["仕入れ先の社名", "山田製粉", "田中 花子", "田中様", "第二工場"]
    assert facts.contact_values == [
        "0120-555-010",
        "soudan@minato-bakery.example.jp",
        "03-5555-0102",
        "koho@minato-bakery.example.jp",
    ]


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("negative_list:\n  - 田中\n - 佐藤\n", 3, "YAML の書式"),
        ("negative_list:\n  - 田中\n\tbad: 1\n", 3, "YAML の書式"),
        ("company:\n  name: 湊\nimpact:\n  count: 三件\n", 4, "impact.count"),
        ("negative:\n  - topic: 名前\n", 2, "negative.0.item"),
        ("negative_list:\n  - '   '\n", 2, "空の語"),
        ("- 田中\n- 佐藤\n", 1, "(全体)"),
    ],
)
def test_a_broken_paper_names_file_and_line(tmp_path: Path, content: str, line: int, problem: str) -> None:
    path = tmp_path / "paper.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_lint_facts(path)
    assert str(raised.value).startswith(f"{path}:{line}: ")
    assert problem in str(raised.value)


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"# only a comment\n"])
def test_an_empty_paper_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "paper.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match="空"):
        load_lint_facts(path)


def test_missing_and_undecodable_papers(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="見つかりません"):
        load_lint_facts(tmp_path / "none.yaml")
    path = tmp_path / "sjis.yaml"
    path.write_bytes("negative_list: [田中]".encode("shift_jis"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_lint_facts(path)
