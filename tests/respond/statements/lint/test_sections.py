"""Sections of an お詫び and what each kind misses; missing sections raise the level only for full statements."""

from __future__ import annotations

import pytest

from hikeshi.records import Level
from hikeshi.respond.statements.lint import Section, lint_statement

FULL = (
    "このたび、当社が3月10日に販売した「湊クリームパン」に、卵のアレルギー表示が漏れていたことが判明しました。"
    "お客様に多大なご迷惑とご心配をおかけし、深くお詫び申し上げます。"
    "原因は、ラベルの版を切り替える際の確認漏れです。"
    "対象は約1,200個で、これまでに5件のお問い合わせをいただいています。"
    "対象商品は回収し、代金を返金いたします。"
    "再発防止のため、表示ラベルの確認を二人で行う手順を導入しました。"
    "品質管理部長を減給処分としました。"
    "お問い合わせ: お客様相談室 0120-555-010（平日9時〜17時）"
)


def test_a_full_statement_has_every_section() -> None:
    result = lint_statement(FULL, kind="statement")
    assert result.missing == []
    assert all(result.sections.has(section) for section in Section)
    assert result.level == Level.OK


@pytest.mark.parametrize(
    ("text", "section", "present"),
    [
        ("お問い合わせはお客様相談室（0120-555-010）まで。", Section.CONTACT, True),
        ("お問い合わせは soudan@example.jp まで。", Section.CONTACT, True),
        ("お問い合わせはお客様相談室までお願いします。", Section.CONTACT, False),  # a desk with no number
        ("原因は現在調査中で、3月31日までにお知らせします。", Section.CAUSE, True),
        ("原因は現在調査中です。", Section.CAUSE, False),  # 調査中 without a date is not a cause section
        ("原因は印字機の設定誤りです。", Section.CAUSE, True),
        ("当該社員は懲戒解雇としました。", Section.ACCOUNTABILITY, True),
        ("社長は月額報酬の30%を3か月返上します。", Section.ACCOUNTABILITY, True),
        ("全従業員を対象に研修を実施します。", Section.PREVENTION, True),
        ("深くお詫び申し上げます。", Section.APOLOGY, True),
        ("ご心配をおかけしています。", Section.APOLOGY, False),
        ("対象商品は回収し、返金いたします。", Section.ACTIONS, True),
        ("被害に遭われたお客様は120名です。", Section.IMPACT, True),
        ("3月10日、当社工場で火災が発生しました。", Section.FACTS, True),
    ],
)
def test_section_cues(text: str, section: Section, present: bool) -> None:
    assert lint_statement(text).sections.has(section) is present


def test_missing_sections_raise_the_level_only_for_a_statement_or_press_release() -> None:
    text = "3月10日に販売した商品に表示漏れがありました。深くお詫び申し上げます。対象商品は回収し、返金いたします。"
    assert lint_statement(text, kind="sns").level == Level.OK
    holding = lint_statement(text, kind="holding")
    assert holding.missing == [Section.CONTACT] and holding.level == Level.OK
    statement = lint_statement(text, kind="statement")
    assert set(statement.missing) >= {Section.CAUSE, Section.PREVENTION, Section.CONTACT}
    assert statement.level == Level.DANGER  # four or more of the eight missing
    press = lint_statement(FULL.replace("品質管理部長を減給処分としました。", ""), kind="press_release")
    assert press.missing == [Section.ACCOUNTABILITY] and press.level == Level.CAUTION


def test_a_holding_statement_needs_facts_and_a_contact() -> None:
    holding = "本日14時ごろ、当社工場で火災が発生しました。次回は18時にお知らせします。お問い合わせ: 広報室 03-5555-0102"
    assert lint_statement(holding, kind="holding").missing == []
    assert lint_statement("ただいま確認中です。", kind="holding").missing == [Section.FACTS, Section.CONTACT]


def test_unknown_kind_is_a_clear_error() -> None:
    from hikeshi.errors import InputError

    with pytest.raises(InputError, match="statement, holding"):
        lint_statement("お詫び申し上げます。", kind="memo")
