"""Rules for the kinds real quoted texts showed the lexicon missing, and for formal risky kinds the model now leaves.

Session 5 measured the guard on real texts quoted in articles (data/guard_examples/real_quoted/). Misses were staff
using what they learned at work, short sneers, xenophobic commands softened with 笑, injuries called faked and
advances to customers; and once formal drafts got their own model thresholds, formal refusals by origin and review
replies that turn on the reviewer had to be carried by rules. The texts below are the team's own wording of those
kinds (the quoted texts are not redistributed); their look-alikes are in data/lookalikes.txt.
"""

import pytest

from hikeshi.guard import Guard
from hikeshi.records import Level


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("privacy.staff_private_contact", "予約サイトの電話番号からLINEしちゃった。秘密ね"),
        ("privacy.staff_private_contact", "予約名からインスタ特定してDM送っちゃった"),
        ("privacy.staff_private_contact", "カルテの住所を見て家まで行ってみた"),
        (
            "privacy.staff_advances_after_visit",
            "昨日来店してくれたお客さん、可愛かったから連絡しちゃいました",
        ),
        (
            "privacy.staff_advances_after_visit",
            "ご来店いただいた時からどうしても仲良くなりたいと思っていました",
        ),
        ("privacy.expose_online", "あのクレーマーの個人情報、暴露しちゃいますね"),
        ("privacy.expose_online", "ユーザー名ありでスクショを載せてもいいんですよ？"),
        ("privacy.expose_online", "業界のグループで晒そうか"),
        ("misconduct.care_pretended", "点滴交換したフリして休憩してた"),
        ("misconduct.care_pretended", "めんどくさいから痛み止めは入れたふりしといた"),
        ("misconduct.care_pretended", "ナースコール鳴ってるのに誰も行かないのウケる笑"),
        ("misconduct.patient_harm_punchline", "夜勤の患者、見事に転倒してた"),
        ("misconduct.drink_spiking", "カップルの女の方、濃いめで酔い潰してやった"),
        ("misconduct.guest_items_misused", "芸能人が使ったグラス、使用済みのまま持って帰っちゃった"),
        (
            "hostility.customer_failed_to_understand",
            "当店の方針をご理解いただけなかったことは残念でなりません。",
        ),
        ("hostility.routine_response_dismissal", "お待たせした件ですが、通常通りの対応です。"),
        ("hostility.demand_apology_from_critic", "レビューの件、一度お店まで謝罪しに来てください。"),
        ("hostility.not_my_fault_rough", "拡散したのは勝手にやったやつらで、俺のせいじゃないのは当然だろ"),
        ("hostility.what_do_you_take_us_for", "トイレだけ借りに来る人、コンビニを何だと思ってるの"),
        ("hostility.reviewer_reproach_formal", "ご自身のマナーを見直されてから口コミをお書きください。"),
        ("hostility.reviewer_reproach_formal", "二度とご来店いただかなくて結構です。"),
        ("hostility.reviewer_identified", "投稿者様は先週金曜の夜にお一人でいらした方と存じます。"),
        ("insult.window_shopper_sneer", "閉店間際に来て何も買わずに帰った客、ほんと腹立つ"),
        ("insult.children_sneer", "今日もガキが走り回ってて最悪"),
        ("insult.injury_called_fake", "肩が当たっただけで骨折とか大げさすぎ、当たり屋だろ"),
        ("insult.injury_called_fake", "あの人の怪我、どう見ても演技でしょ笑"),
        ("discrimination.foreigners_not_welcome", "外国人観光客はもう来ないでね笑"),
        ("discrimination.origin_refusal", "当館では、中国からのお客様のご宿泊はご遠慮いただいております。"),
        (
            "apology.apology_denies_fault",
            "ご迷惑をおかけしましたが、当社の管理体制に落ち度はございませんでした。",
        ),
    ],
)
def test_rule_fires(rule: str, text: str, rules_only: Guard) -> None:
    assert rule in {finding.rule for finding in rules_only.check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "ご予約時のお電話番号に、前日に確認のご連絡をいたします。",
        "美容師から予約サイトの番号でLINEが来て怖かったです。",
        "外国人のお客様も大歓迎です。",
        "怪我をしたふりをして保険金を請求する詐欺にご注意ください。",
        "使用済みのタオルは、回収ボックスへお願いいたします。",
        "後日、直接お詫びに伺いたく存じます。",
    ],
)
def test_ordinary_business_wording_passes(text: str) -> None:
    """The same topics in ordinary business wording pass the whole guard, model included."""
    assert Guard().check(text).level == Level.OK
