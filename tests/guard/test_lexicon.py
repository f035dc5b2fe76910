from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.guard.lexicon import builtin_rules, load_lexicon_file


def test_builtin_lexicon_loads_with_unique_ids() -> None:
    rules = builtin_rules()
    ids = [rule.qualified_id for rule in rules]
    assert len(ids) == len(set(ids))
    assert {"hostility"} <= {rule.category for rule in rules}


def test_bad_regex_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "category: test\nlabel: テスト\nrules:\n  - id: ok\n    terms: [a]\n    severity: 1\n    reason: r\n"
        "  - id: broken\n    patterns: ['(unclosed']\n    severity: 2\n    reason: r\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_lexicon_file(path)
    assert error.value.path == str(path)
    assert error.value.line == 9
    assert "正規表現" in str(error.value)


def test_rule_without_terms_or_patterns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("category: test\nlabel: x\nrules:\n  - id: nothing\n    severity: 1\n    reason: r\n")
    with pytest.raises(ConfigError, match="terms か patterns"):
        load_lexicon_file(path)
