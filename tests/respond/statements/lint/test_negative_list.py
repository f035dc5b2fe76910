"""The negative list: nothing on it may appear in a public text, however it is spelt."""

from __future__ import annotations

import pytest

from hikeshi.records import Level
from hikeshi.respond.statements.lint import LintFacts, lint_statement


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("お客様の田中 花子様に直接お詫びいたしました。", "田中 花子"),
        ("お客様の田中花子様に直接お詫びいたしました。", "田中花子"),
        ("田中様には本日お詫びに伺いました。", "田中様"),
        ("原因は第二工場の設備と見られます。", "第二工場"),
        ("原料は山田製粉から仕入れています。", "山田製粉"),
    ],
)
def test_negative_list_items_are_danger(facts: LintFacts, text: str, excerpt: str) -> None:
    result = lint_statement(text, facts=facts)
    finding = next(f for f in result.findings if f.category == "negative_list")
    assert finding.severity == 3 and result.level == Level.DANGER
    assert finding.excerpt == excerpt == text[finding.start : finding.end]
    assert "ネガティブリスト" in finding.reason


def test_topic_and_reason_are_shown_instead_of_only_the_word(facts: LintFacts) -> None:
    finding = lint_statement("田中 花子様", facts=facts).findings[0]
    assert "お客様のお名前" in finding.reason and "個人情報のため" in finding.reason


def test_a_text_without_the_items_passes(facts: LintFacts) -> None:
    text = "お客様に直接お詫びいたしました。製造拠点については調査中で、3月31日までにお知らせします。"
    assert lint_statement(text, facts=facts).level == Level.OK


def test_a_position_paper_object_or_dict_is_accepted() -> None:
    paper = {"negative": [{"item": "港 一郎", "topic": "担当者の氏名", "reason": "個人情報"}]}
    result = lint_statement("担当の港一郎が伺いました。", facts=paper)
    assert [f.category for f in result.findings] == ["negative_list"]


def test_the_company_desk_is_not_personal_data(facts: LintFacts) -> None:
    text = "深くお詫び申し上げます。お問い合わせ: お客様相談室 0120-555-010 / soudan@minato-bakery.example.jp"
    assert [f.rule for f in lint_statement(text, facts=facts).findings] == []
    assert [f.rule for f in lint_statement(text).findings] == []  # the line says it is a desk
