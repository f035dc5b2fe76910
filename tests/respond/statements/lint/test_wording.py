"""Wording: the team's examples as a table (text, expected outcome, the dodge), plus look-alikes that must pass."""

from __future__ import annotations

from typing import Any

import pytest

from hikeshi.records import Level
from hikeshi.respond.statements.lint import lint_statement
from tests.respond.statements.lint.conftest import examples

FLAGGED = [row for row in examples() if row["expect"] == "flagged"]
FINE = [row for row in examples() if row["expect"] == "ok"]


@pytest.mark.parametrize("row", FLAGGED, ids=[row["id"] for row in FLAGGED])
def test_dodges_are_flagged_with_their_category(row: dict[str, Any]) -> None:
    result = lint_statement(row["text"])
    assert result.level != Level.OK
    assert row["category"] in {finding.category for finding in result.findings}


@pytest.mark.parametrize("row", FINE, ids=[row["id"] for row in FINE])
def test_sincere_apologies_and_look_alikes_pass(row: dict[str, Any]) -> None:
    result = lint_statement(row["text"])
    assert result.level == Level.OK, [(f.rule, f.excerpt) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "excerpt", "category"),
    [
        (
            "昨日の投稿で不快に感じた方がいらっしゃいましたら、申し訳ありません。",
            "不快に感じた方がいらっしゃいましたら",
            "conditional_apology",
        ),
        ("私の発言が誤解を招いてしまい、申し訳ございません。", "誤解を招い", "blame_shifting"),
        (
            "当社として法的には問題ないと考えております。ご心配をおかけしました。",
            "法的には問題ない",
            "legal_defence",
        ),
        ("今回の漏えいは、ごく一部のお客様に限られております。", "ごく一部", "minimising"),
        ("当社も取引先にだまされた被害者でございます。", "当社も取引先にだまされ", "self_pity"),
        ("悪気はなかったのですが、ご迷惑をおかけしました。", "悪気はなかった", "excuse"),
    ],
)
def test_findings_point_at_the_writers_own_characters(text: str, excerpt: str, category: str) -> None:
    result = lint_statement(text)
    finding = next(f for f in result.findings if f.category == category)
    assert finding.excerpt == excerpt
    assert text[finding.start : finding.end] == excerpt
    assert finding.reason and finding.suggestion


def test_spans_survive_full_width_and_half_width_text() -> None:
    text = "ｺﾒﾝﾄ欄で、不快な思いをされた方がいらっしゃったのであれば、ＳＮＳ担当としてお詫び申し上げます。"
    result = lint_statement(text)
    finding = next(f for f in result.findings if f.category == "conditional_apology")
    assert text[finding.start : finding.end] == finding.excerpt
    assert finding.excerpt.startswith("不快な思いをされた方")


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # the wording alone is not the sin: naming the act makes ご不快 an apology
        ("当社の投稿で、ご不快な思いをおかけし、誠に申し訳ございません。", Level.OK),
        ("3月5日の配信での私の発言で、ご不快な思いをおかけしました。申し訳ございません。", Level.OK),
        # the dodge is: the same feeling words made conditional or aimed at the reader's feeling
        ("昨日の配信で、ご不快な思いをされた方がいらっしゃったのであれば、お詫びいたします。", Level.CAUTION),
        ("番組をご覧になり、不快な思いをされた皆様にお詫び申し上げます。", Level.CAUTION),
        # 遺憾 is fine next to an apology, a dodge in place of one
        (
            "元役員の逮捕は誠に遺憾であり、深くお詫び申し上げます。社外の弁護士による調査委員会を設置しました。",
            Level.OK,
        ),
        ("元役員の逮捕で皆様にご心配をおかけしていることは、誠に遺憾です。", Level.CAUTION),
    ],
)
def test_look_alikes(text: str, level: Level) -> None:
    assert lint_statement(text).level == level


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("再発防止に努めてまいります。このたびは商品の誤表示でご迷惑をおかけし、申し訳ございません。", True),
        (
            "再発防止のため、4月末までに品質管理部が表示の確認手順を改めます。誤表示をお詫び申し上げます。",
            False,
        ),
    ],
)
def test_a_promise_needs_a_measure(text: str, expected: bool) -> None:
    rules = {f.rule for f in lint_statement(text, kind="statement").findings}
    assert ("empty_promise.no_measure" in rules) == expected


def test_an_empty_promise_weighs_more_in_a_full_statement() -> None:
    text = "このたびは商品の誤表示でご迷惑をおかけし、申し訳ございません。再発防止に努めてまいります。"
    severity = {
        kind: next(
            f.severity for f in lint_statement(text, kind=kind).findings if f.category == "empty_promise"
        )
        for kind in ("sns", "statement")
    }
    assert severity == {"sns": 1, "statement": 2}


@pytest.mark.parametrize(
    "text",
    [
        "この度は多大なるご迷惑とご心配をおかけし、誠に申し訳ございませんでした。",
        "このたびは、私事で世間をお騒がせしてしまい、申し訳ございませんでした。今後このようなことのないよう努めてまいります。",
    ],
)
def test_a_template_with_nothing_specific(text: str) -> None:
    assert "template" in {f.category for f in lint_statement(text).findings}


def test_empty_text_is_ok_for_the_editor() -> None:
    result = lint_statement("")
    assert result.level == Level.OK and result.findings == []
