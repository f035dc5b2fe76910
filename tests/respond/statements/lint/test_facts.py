"""Reading a position paper for the linter: the paper's own loader, so a broken one names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.respond.statements.lint import LintFacts, facts_from, load_lint_facts
from hikeshi.respond.statements.papers import load_position_paper

PAPER = Path(__file__).parent / "data" / "paper.yaml"


def test_the_paper_is_read(facts: LintFacts) -> None:
    assert [t.term for t in facts.negative_terms] == ["田中 花子", "田中様", "第二工場", "山田製粉"]
    assert facts.contact_values == [
        "0120-555-010",
        "soudan@minato-bakery.example.jp",
        "03-5555-0102",
        "koho@minato-bakery.example.jp",
    ]
    assert facts == facts_from(load_position_paper(PAPER))


def test_a_partial_dict_is_enough_for_a_library_caller() -> None:
    facts = facts_from({"negative_list": ["山田製粉", {"term": "第二工場", "reason": "調査中"}]})
    assert facts is not None and [t.term for t in facts.negative_terms] == ["山田製粉", "第二工場"]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  count: 5\n", "\tcount: 5\n", "YAML の書式"),
        ("  count: 5\n", "  count: 五\n", "impact.count"),
        ("  - item: 第二工場\n", "  - variants: [第2工場]\n", "negative.1.item"),
        ("  due: 2026-03-31\n", "  due: 2026-02-30\n", "ありえない日付"),
    ],
)
def test_a_broken_paper_names_file_and_line(tmp_path: Path, old: str, new: str, problem: str) -> None:
    source = PAPER.read_text(encoding="utf-8")
    assert old in source
    broken = source.replace(old, new, 1)
    path = tmp_path / "paper.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_lint_facts(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:") and message.split(":")[1].isdigit()
    assert int(message.split(":")[1]) == broken[: broken.index(new)].count("\n") + 1
    assert problem in message


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
    path.write_bytes("negative: [田中]".encode("shift_jis"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_lint_facts(path)
