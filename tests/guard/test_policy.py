from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.guard import CheckContext, Guard, load_policy
from hikeshi.guard.classifier import LinearTextModel
from hikeshi.records import Channel, Level

POLICY = """\
name: 株式会社サンプル
ng_terms:
  - 激安
  - {term: 業界最安, reason: 根拠のない最上級表現は禁止です。}
confidential_terms: [プロジェクトK, 大和商事]
exceptions: [二度と来ない台風]
strictness: {default: normal, x: strict}
"""


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return path


def test_policy_terms_become_findings(policy_file: Path) -> None:
    guard = Guard(load_policy(policy_file))
    verdict = guard.check("来月プロジェクトKを大和商事向けに激安で出します")
    categories = sorted(f.category for f in verdict.findings)
    assert categories == ["confidential", "confidential", "policy_ng"]
    assert verdict.level == Level.DANGER


def test_policy_reason_is_used(policy_file: Path) -> None:
    verdict = Guard(load_policy(policy_file)).check("業界最安を目指します")
    assert verdict.findings[0].reason == "根拠のない最上級表現は禁止です。"


def test_strictness_per_channel(policy_file: Path, silent_model: LinearTextModel) -> None:
    guard = Guard(load_policy(policy_file), model=silent_model)
    text = "代表 03-1234-5678 までご連絡ください"  # one minor finding: score 0.3
    assert guard.check(text, CheckContext(channel=Channel.X)).level == Level.CAUTION  # strict
    assert guard.check(text, CheckContext(channel=Channel.LINE)).level == Level.OK  # default: normal


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("ng_terms: [a, b\n", None, "YAML"),
        ("name: x\nstrictness:\n  fax: strict\n", 3, "fax"),
        ("name: x\nng_terms:\n  - {term: ''}\n", 3, "ng_terms"),
        ("name: x\nunknown_key: 1\n", 2, "unknown_key"),
        ("name: x\nng_terms:\n  - ' '\n", 3, "空の語"),
        ("name: x\nstrictness: {x: very}\n", 2, "strictness"),
    ],
)
def test_bad_policy_names_file_line_and_problem(
    tmp_path: Path, content: str, line: int | None, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_policy(path)
    assert str(path) in str(error.value)
    if line is not None:
        assert error.value.line == line
    assert problem in str(error.value)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="見つかりません"):
        load_policy(tmp_path / "none.yaml")
