"""Single lexicon rules on the kinds of text they were written for, and on look-alikes they must leave alone.

The rules here came from misses on the team's net comments and on real-case paraphrases; the look-alikes are
false alarms the same sets showed (a word that only resembles the rule's wording).
"""

from pathlib import Path

import pytest

from hikeshi.guard import Guard

# Acceptable texts that share wording with the rules (特定, 凸, 割れ, 大麻, 黙れ, 日本語がわからない, 予定がある場合 …),
# written by five reviewers to break the net-comment and real-case rules: reports, policies, first-person posts and
# statements that defend victims. Many once raised a false alarm.
LOOKALIKES = [
    line.strip()
    for line in (Path(__file__).parent / "data" / "lookalikes.txt").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("privacy.doxxing_call", "この加害者の高校どこ？誰か特定はよ"),
        ("privacy.doxxing_call", "こいつの勤務先わかったから電凸しようぜ"),
        ("privacy.doxxing_call", "配信中に郵便物映ってたぞ、住所わかるやん"),
        ("privacy.doxxing_call", "このVの中の人、元地下アイドルやろ"),
        ("privacy.name_and_shame", "【拡散希望】18時に4名で予約された「ヤマダ」様、無断キャンセルでした。"),
        ("privacy.name_and_shame", "【拡散希望】。この客、食い逃げです"),  # context in the sentence before
        (
            "threat.contact_employer",
            "誹謗中傷を続けるのであれば、あなたのお勤め先にも事実関係をご連絡させていただきます。",
        ),
        ("threat.contact_employer", "うちの店に文句言ってる高校生、学校名わかったから明日学校に電話するね"),
        ("threat.expose_ultimatum", "1週間以内に返却がない場合、顔写真のモザイクを外して公開いたします。"),
        ("threat.expose_ultimatum", "食い逃げした人、明日までに払わないと本名ネットに出しますよ"),
        ("confidential.internal_documents_shared", "うちの部長から来た社内メール、ひどすぎるから晒すわ"),
        ("confidential.secret_teaser", "開発中の新作のボスデザインこれ。まだ誰にも言っちゃダメだよ"),
        ("disaster.disaster_profit", "先日の地震で工場が止まりましたが、おかげで在庫が綺麗に捌けました。"),
        (
            "disaster.party_during_disaster",
            "避難指示が出ている中、議員有志で親睦会を開催し、楽しいひとときを過ごしました。",
        ),
        ("disaster.flood_as_fun", "台風一過、川の水位がすごいことに!まるで天然のウォータースライダー"),
        (
            "hostility.not_a_charity",
            "ご家族にご不幸があったとのことですが、こちらも慈善事業ではございません。",
        ),
        ("insult.mock_paying_customers", "ガチャで爆死した皆さん、お疲れ様でした(笑)"),
        (
            "misinformation.competitor_defamation",
            "駅前のカフェ・モリノの口コミ、全部サクラだから信じないほうがいいよ",
        ),
        ("disaster.disaster_promotion", "8月6日は原爆の日。今日だけビール半額!"),
        ("sexual.crude_sexual_comment", "今日の衣装えっっっろ"),
        ("sexual.crude_sexual_comment", "どうせ枕営業で役もらったんやろ"),
        ("sexual.crude_sexual_comment", "あんな服着てたら触られても文句言えんやろ"),
        ("sexual.dating_solicitation", "近くの人会いませんか？当方30代会社員です"),
        ("misconduct.crime_encouragement", "闇バイトで稼げるやつ募集してる"),
        ("misconduct.crime_encouragement", "割れで十分やろこんなゲーム"),
        ("misconduct.crime_encouragement", "この銘柄、筋から聞いたから全力で買っとけ"),
        ("misconduct.misconduct_confession_more", "床にこすりつけた唐揚げ、そのまま揚げて出しといたｗ"),
        ("bias.hostile_political_claim", "選挙なんて全部不正、票操作されてる"),
        ("bias.hostile_political_claim", "あの新聞は捏造しかしない"),
        ("discrimination.group_putdown", "女に政治やらせたらこうなるわな"),
        ("discrimination.group_putdown", "インタビューの訛りきっしょ"),
        ("discrimination.group_putdown", "フリーターの意見とかどうでもいいわ"),
        ("discrimination.polite_attribute_refusal", "外国籍・生活保護・高齢者の方のお申し込みはお断り。"),
        (
            "discrimination.polite_attribute_refusal",
            "70歳以上の方のご入会はお断りします。他の会員様のご迷惑になるためです。",
        ),
        ("discrimination.polite_attribute_refusal", "【ホールスタッフ募集】容姿に自信のある女性のみ。"),
        (
            "discrimination.polite_attribute_refusal",
            "医療従事者のご家庭のお子さんは、登園を控えていただきます。",
        ),
        ("harassment.net_sneer", "ちゃんと注意書きあるやん、日本語読めないの？"),
        ("harassment.net_sneer", "満塁で押し出しとか、お前もう二度と投げんな"),
        ("harassment.net_sneer", "クソ解説者まじで黙れ"),
        (
            "hostility.brush_off",
            "「最近まずくなった」とのご意見ありがとうございます！じゃあ来なくていいですよ",
        ),
        ("hostility.brush_off", "身の丈に合った企業をお探しください。"),
        (
            "apology.apology_keeps_position",
            "不適切だったことはお詫びします。ただし、私の考え自体は今も変わっていません。",
        ),
        (
            "apology.apology_keeps_position",
            "表記に誤りがございましたが、仕様の範囲内であり、補償の予定はございません。",
        ),
        (
            "apology.apology_keeps_position",
            "原因が当店と断定されたわけではありません。明日から通常営業いたします。",
        ),
        (
            "apology.blame_the_customer",
            "当店の料理が原因であるという証拠はございません。体調管理はご自身の責任で。",
        ),
        ("apology.blame_the_customer", "現時点で、いじめがあったとは認識しておりません。"),
        (
            "hostility.reviewer_hit_back",
            "お支払いが残っております。口コミを書く前にそちらをお願いいたします。",
        ),
        ("hostility.reviewer_hit_back", "昨日8名でご予約の佐伯様、無断キャンセルされましたね。"),
        (
            "discrimination.role_and_ability_claims",
            "女性の皆さんには、子どもを産むという役割を果たしていただきたい。",
        ),
        ("discrimination.role_and_ability_claims", "ママは家計簿だけでOK！難しいお金の話はパパにおまかせ♪"),
        ("exaggeration.disorder_cure_claim", "当院の整体で、自閉症や発達障害も改善します。"),
        ("politics_religion.party_support", "当社は〇〇党の山田候補を全力で応援しています！"),
        ("misconduct.drunk_driving", "飲み会のあと車で帰ったけど全然余裕だった"),
        ("threat.reveal_identity", "すでに投稿者は特定しております。削除されない場合、ご自宅に伺います。"),
        ("threat.applicant_pressure", "内定を辞退される場合、研修費用についてご負担いただくことになります。"),
        ("hostility.laughing_at_someone", "お客様、それは勘違いですwww."),
    ],
)
def test_rule_fires(rule: str, text: str, rules_only: Guard) -> None:
    assert rule in {finding.rule for finding in rules_only.check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "CMの効果か知らんけどバカ売れしてて品切れやん",
        "戸建住宅向けテレビドアホンの販売が好調でした。",
        "ゆっくりお過ごしいただきたい気持ちと、お待ちのお客様との兼ね合いでの判断です。",
        "今日の夕焼けがきれいすぎて思わず写真撮った",
        "月曜日滅びろ、日曜の夜が一番しんどい",
        "中二の頃の自分ぶん殴りたい、昔のブログ見つけてもうた",
        "ワイの推しチーム弱すぎワロタ、これで5連敗や",
        "豪雨災害の状況を踏まえ、キャンペーン告知を当面の間控えさせていただきます。",
        "ご質問はお気軽にDMください。20代の方も大歓迎です。",
        "闇バイトには絶対に手を出さないでください。",
        "18歳未満の方のご入店はお断りしております。",
        "お客様を大切にする気持ちは今も変わりません。",
        "選挙の不正防止のため、投票所では本人確認を行います。",
        "公式ストアで在庫復活してた、急げ",
        "不正行為を見かけた際は、ゲーム内の通報機能からお知らせください。",
        "醤油差しをなめる動画が拡散した問題で、運営会社は警察に被害届を提出した。",
        "無断キャンセルされた場合は、キャンセル料を申し受けます。",
        "発達障害のあるお子さんの支援について、専門医と連携しています。",
        "いじめの有無について、第三者委員会が調査を続けています。",
        # the www of an address is not laughter (a company policy's contact line)
        "お問い合わせは、お客様相談室（https://www.minato-jyuken.example.jp/contact/）までお寄せください。",
        "お客様専用ページ www.example.jp からご予約ください。",
    ],
)
def test_look_alikes_pass(text: str, rules_only: Guard) -> None:
    assert rules_only.check(text).findings == []


def test_reviewer_lookalikes_pass(rules_only: Guard) -> None:
    flagged = [text for text in LOOKALIKES if rules_only.check(text).level != "ok"]
    assert flagged == []
