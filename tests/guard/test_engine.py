import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.guard import CheckContext, CheckRequest, Guard, check, check_many
from hikeshi.guard.classifier import LinearTextModel
from hikeshi.records import Audience, Channel, Level

SALES_REP_LINE = (
    "私たちもプロとして成功報酬で仕事をしている。先にわかっていたら会社や私も無駄な時間は使わない。"
)


def test_the_sales_rep_line_is_danger_with_exact_spans() -> None:
    verdict = check(SALES_REP_LINE)
    assert verdict.level == Level.DANGER
    excerpts = {f.excerpt for f in verdict.findings}
    assert "無駄な時間" in excerpts
    for finding in verdict.findings:
        assert SALES_REP_LINE[finding.start : finding.end] == finding.excerpt
        assert finding.reason


def test_spans_point_into_the_original_after_normalisation(rules_only: Guard) -> None:
    text = "ﾑﾀﾞﾅ 時間でした。 先にわかっていたら 無駄な時間は使わない"
    verdict = rules_only.check(text)
    for finding in verdict.findings:
        assert text[finding.start : finding.end] == finding.excerpt
    assert any(f.excerpt == "無駄な時間" for f in verdict.findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ご検討いただき、ありがとうございました。またの機会がございましたらよろしくお願いいたします。",
            Level.OK,
        ),
        ("", Level.OK),
        ("🙇‍♂️🙏(´・ω・`)", Level.OK),
        ("二度とこのようなことがないよう、再発防止に努めてまいります。", Level.OK),
        ("二度と来ないでください。", Level.DANGER),
        ("常識的に考えてわかりますよね？", Level.CAUTION),
    ],
)
def test_levels(rules_only: Guard, text: str, expected: Level) -> None:
    assert rules_only.check(text).level == expected


def test_internal_chat_is_judged_more_leniently(rules_only: Guard) -> None:
    text = "常識的に考えてわかりますよね？"
    external = rules_only.check(text, CheckContext(channel=Channel.LINE, audience=Audience.CUSTOMER))
    internal = rules_only.check(text, CheckContext(audience=Audience.INTERNAL))
    assert external.score > internal.score
    assert internal.level == Level.OK


def test_calendar_flags_promotions_on_anniversaries(rules_only: Guard) -> None:
    text = "本日限定！全品半額セール開催中♪"
    on_311 = rules_only.check(text, CheckContext(channel=Channel.X, date=dt.date(2027, 3, 11)))
    other_day = rules_only.check(text, CheckContext(channel=Channel.X, date=dt.date(2027, 3, 12)))
    assert any(f.category == "calendar" and "東日本大震災" in f.reason for f in on_311.findings)
    assert on_311.level != Level.OK
    assert other_day.level == Level.OK


def test_calendar_respects_mourning_posts(rules_only: Guard) -> None:
    text = "東日本大震災から16年。犠牲になられた方々のご冥福をお祈りします。"
    verdict = rules_only.check(text, CheckContext(date=dt.date(2027, 3, 11)))
    assert not [f for f in verdict.findings if f.category == "calendar"]


def test_rewrite_drops_blame_and_keeps_the_rest(rules_only: Guard) -> None:
    text = "ご連絡ありがとうございます。先にわかっていたら無駄な時間は使わなかったのですが。今後ともよろしくお願いします。"
    verdict = rules_only.check(text)
    assert verdict.rewrite == "ご連絡ありがとうございます。今後ともよろしくお願いします。"


def test_rewrite_masks_personal_data(rules_only: Guard) -> None:
    verdict = rules_only.check("この客の番号 090-1234-5678 です")
    assert verdict.rewrite is not None
    assert "090" not in verdict.rewrite


def test_no_rewrite_when_nothing_to_change() -> None:
    assert check("よろしくお願いいたします。").rewrite is None


def test_long_text_is_handled() -> None:
    text = "ご確認をお願いいたします。" * 8000  # about 100 kB
    verdict = check(text)
    assert verdict.level == Level.OK


def test_text_over_the_limit_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="長すぎます"):
        check("あ" * 1_000_001)


def test_check_many_keeps_order() -> None:
    verdicts = check_many(
        [
            "よろしくお願いします",
            CheckRequest(text=SALES_REP_LINE, context=CheckContext(channel=Channel.LINE)),
        ]
    )
    assert [v.level for v in verdicts] == [Level.OK, Level.DANGER]


def test_a_lone_model_vote_is_at_most_a_caution() -> None:
    """A model sure of danger (p≈0.99 on every text) gives caution alone, danger only beside a rule's finding."""
    sure = LinearTextModel("always-risky", 5.0, {}, 0.5, 0.9)
    guard = Guard(model=sure)
    thanks = guard.check(
        "この度はご来店いただき、誠にありがとうございました。スタッフ一同お待ちしております。"
    )
    assert thanks.level == Level.CAUTION
    assert [f.rule for f in thanks.findings] == ["model"]
    nagging = guard.check("常識的に考えてわかりますよね？")
    assert nagging.level == Level.DANGER


@pytest.mark.parametrize(
    ("text", "rewrite"),
    [
        ("常識的に考えてわかりますよね？", "ご確認いただけますと幸いです"),
        (
            "キャンセル料は規約に書いてあります。常識で考えればわかるでしょう？",
            "キャンセル料は規約に書いてあります。ご確認いただけますと幸いです",
        ),
        (
            "ご連絡ありがとうございます。常識的に考えて、この金額は妥当です。",
            "ご連絡ありがとうございます。この金額は妥当です。",
        ),
        (
            "ご返信ありがとうございます。それは常識でしょう。よろしくお願いします。",
            "ご返信ありがとうございます。よろしくお願いします。",
        ),
    ],
)
def test_common_sense_rewrites_read_as_japanese(rules_only: Guard, text: str, rewrite: str) -> None:
    """The phrase is removed, its stub sentence dropped, and the rhetorical question becomes a polite request."""
    assert rules_only.check(text).rewrite == rewrite


def test_the_sales_rep_line_gets_a_reply_a_person_would_send() -> None:
    """Every sentence of the seed's LINE is blame, so the rewrite is the thanks-for-considering reply it should be."""
    verdict = check(SALES_REP_LINE)
    assert (
        verdict.rewrite
        == "ご検討いただき、ありがとうございました。またの機会がございましたら、よろしくお願いいたします。"
    )
    assert check(verdict.rewrite).level == Level.OK
