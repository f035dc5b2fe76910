"""How the statement linter uses the guard: every guard category, with the apology rules decided one by one."""

from __future__ import annotations

import pytest

from hikeshi.guard.lexicon import builtin_rules
from hikeshi.records import Level
from hikeshi.respond.statements.lint import lint_statement
from hikeshi.respond.statements.lint.guard_bridge import guard_apology_policy


def test_every_guard_apology_rule_is_decided() -> None:
    policy = guard_apology_policy()
    guard_ids = {rule.rule.id for rule in builtin_rules() if rule.category == "apology"}
    assert set(policy.keep) | set(policy.replace) == guard_ids
    assert not set(policy.keep) & set(policy.replace)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("外国人のお客様はマナーが悪いため、今後は日本人のお客様のみご入店いただけます。", "discrimination"),
        ("謝れば満足なんですか？はいはいすみませんでした。", "apology"),  # a kept guard apology rule
    ],
)
def test_guard_categories_still_apply_to_statements(text: str, category: str) -> None:
    result = lint_statement(text)
    assert category in {f.category for f in result.findings}
    assert result.level != Level.OK


def test_a_reported_prank_in_an_apology_is_not_bragging() -> None:
    text = (
        "当社店舗の従業員が、調理中の魚をごみ箱に捨てた後にまな板に戻す動画を投稿していたことを確認しました。"
        "お客様に深くお詫び申し上げます。当該の魚は廃棄し、全店で研修を行います。"
    )
    assert lint_statement(text).level == Level.OK


def test_the_model_never_decides_alone() -> None:
    text = "当社を装った偽のメールが送られ、被害に遭われた方がいらっしゃいます。当社から暗証番号を伺うことはありません。"
    result = lint_statement(text)
    assert result.level == Level.OK
    assert all(f.severity == 1 for f in result.findings if f.rule == "model")
