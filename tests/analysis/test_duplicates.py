import numpy as np
import pytest
from datasketch import MinHash  # type: ignore[import-untyped]

from hikeshi.analysis import NearDuplicateGrouper, group_near_duplicates
from hikeshi.analysis.duplicates import (
    GROUP_ID_LENGTH,
    NUM_PERM,
    PER_GROUP,
    SEED,
    SignatureMaker,
    clean,
    group_id,
    shingle_hash,
    shingles,
)

STORM = "〇〇ハウスの営業、契約しなかった客に「無駄な時間だった」って送ってきたらしい。最低すぎる"
RECALL = "ミドリ食品の冷凍餃子、異物混入で自主回収だって。うちの冷凍庫にも同じロットがある"
APOLOGY = "株式会社ナミキ住宅は本日、一部報道にありました営業担当者の不適切な発言について謝罪しました"


@pytest.mark.parametrize(
    ("texts", "groups"),
    [
        # copy-paste storm: the same text with a mention, a URL, 「RT」, an emoji or a stretched vowel
        (
            [
                STORM,
                f"@hikeshi_news {STORM}",
                f"RT {STORM} https://t.example/abc",
                f"{STORM}😡",
                "今日は晴れ",
            ],
            [0, 0, 0, 0, 4],
        ),
        # a quote that adds a word stays with its source; a different complaint about the same company does not
        (
            [
                STORM,
                f"{STORM}。拡散希望",
                "〇〇ハウスのモデルルーム、接客は丁寧だった",
                STORM.replace("最低", "最悪"),
            ],
            [0, 0, 2, 0],
        ),
        # retweet-style prefixes, full-width variants and hashtags
        (
            [
                RECALL,
                f"RT @news_jp: {RECALL}",
                f"ＲＴ　＠ｎｅｗｓ＿ｊｐ：{RECALL}",
                f"{RECALL} #ミドリ食品 #回収",
                "ミドリ食品の冷凍餃子、昨日食べたけど普通においしかった",
            ],
            [0, 0, 0, 0, 4],
        ),
        # appended comments and small edits of a news headline
        (
            [
                APOLOGY,
                f"{APOLOGY}。遅すぎる",
                f"これ→「{APOLOGY}」今さら？",
                APOLOGY.replace("本日", "5日"),
                "ナミキ住宅の社長が会見で謝罪。質疑応答では営業ノルマについての質問も",
            ],
            [0, 0, 0, 0, 4],
        ),
        # different posts about the same company stay apart, even when they share phrases
        (
            [
                "ナミキ住宅の営業の態度が最悪。二度と行かない",
                "ナミキ住宅の営業さん、とても親切で助かりました",
                "ナミキ住宅の見積もりが高すぎる。他社の倍だった",
                "ナミキ住宅って最近なんで炎上してるの？",
                "ナミキ住宅の件、社長が出てこないのが一番の問題だと思う",
            ],
            [0, 1, 2, 3, 4],
        ),
        (["", "", "短い"], [0, 1, 2]),
        (["最悪", "最悪！！", "最高"], [0, 0, 2]),
    ],
)
def test_group_near_duplicates(texts: list[str], groups: list[int]) -> None:
    assert group_near_duplicates(texts) == groups


def test_a_quote_chain_follows_its_links() -> None:
    """Each post quotes the previous one and adds a comment; the last is far from the first but joins it."""
    chain = [STORM]
    for comment in ("これはひどい", "ナミキも同じことやってたよね", "〇〇ハウスは二度と使わない", "拡散"):
        chain.append(f"{comment} RT {chain[-1]}")
    grouper = NearDuplicateGrouper()
    assert grouper.add_many((f"x:{i}", text) for i, text in enumerate(chain)) == ["x:0"] * len(chain)


def test_stream_keeps_first_member_as_group_id_and_is_idempotent() -> None:
    grouper = NearDuplicateGrouper()
    assert grouper.add("x:1", STORM) == "x:1"
    assert grouper.add("x:2", "全然関係のない投稿です。ランチはカレー") == "x:2"
    assert grouper.add("x:3", f"RT @a {STORM}") == "x:1"
    assert grouper.add("x:3", "re-adding a key changes nothing") == "x:1"
    assert grouper.add_many([("x:4", STORM), ("x:4", "同じキーが同じバッチに二度")]) == ["x:1", "x:1"]
    assert len(grouper) == 4
    assert "x:4" in grouper and grouper.group_of("x:9") is None


def test_restore_keeps_stored_groups_and_fills_missing_ones() -> None:
    grouper = NearDuplicateGrouper()
    restored = grouper.restore(
        [
            ("x:1", STORM, "x:0"),  # its group's first post fell out of the restored window
            ("x:2", RECALL, None),  # stored but never grouped (a crash between the two writes)
            ("x:3", f"RT {RECALL}", None),
            ("x:4", f"{RECALL}!!", "x:4"),  # an old decision stands even though it looks like x:2
        ]
    )
    assert restored == ["x:0", "x:2", "x:2", "x:4"]
    assert grouper.add_many([("x:5", f"@b {STORM}"), ("x:6", RECALL)]) == ["x:0", "x:2"]


def test_a_storm_stays_linear() -> None:
    """10,000 copies: every bucket keeps at most PER_GROUP members of the group, so each copy is compared
    with a handful of earlier posts rather than all of them."""
    grouper = NearDuplicateGrouper()
    groups = []
    for start in range(0, 10_000, 500):
        groups += grouper.add_many(
            (f"x:{i}", f"@user{i} {STORM} {'😡' * (i % 4)} #拡散{i % 7}") for i in range(start, start + 500)
        )
    assert set(groups) == {"x:0"}
    assert max(len(members) for members in grouper._buckets.values()) <= PER_GROUP


@pytest.mark.parametrize("text", [STORM, RECALL, APOLOGY, "草", "ｻｲｱｸ！！！", "RT @a: https://x.test/1"])
def test_signatures_are_datasketch_minhashes(text: str) -> None:
    """The vectorised signature is datasketch's MinHash of the shingle set with `shingle_hash`."""
    signatures, present = SignatureMaker().signatures(["前の投稿", text, "後の投稿です"])
    grams = shingles(text)
    assert present[1] is bool(grams)
    if grams:
        expected = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=shingle_hash)
        expected.update_batch(sorted(grams))
        np.testing.assert_array_equal(signatures[1], expected.hashvalues)


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("@taro 最悪です https://x.test/1", "最悪です"),
        ("RT @x_y: ナミキ住宅ｻｲｱｸーーー！！", "ナミキ住宅サイアクー"),
        ("wwwwww草ぁぁぁぁ", "ww草ぁぁ"),
        ("10000円返せ", "10000円返せ"),
        ("ARTの展示", "artの展示"),  # 「rt」 inside a word is not a retweet marker
    ],
)
def test_clean(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned


def test_shingles_ignore_noise() -> None:
    assert shingles("@taro 最悪です https://x.test/1") == {"最悪です"}
    assert shingles("ｻｲｱｸ！！！") == shingles("サイアク!!")


def test_long_keys_fit_the_group_column() -> None:
    key = "news:https://news.example.jp/articles/" + "a" * 200
    assert len(group_id(key)) == GROUP_ID_LENGTH
    assert group_id(key) != group_id(key + "b")
    assert group_id("x:1") == "x:1"
