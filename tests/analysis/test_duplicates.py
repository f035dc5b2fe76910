import pytest

from hikeshi.analysis import NearDuplicateGrouper, group_near_duplicates
from hikeshi.analysis.duplicates import shingles

STORM = "〇〇ハウスの営業、契約しなかった客に「無駄な時間だった」って送ってきたらしい。最低すぎる"


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
        (["", "", "短い"], [0, 1, 2]),
    ],
)
def test_group_near_duplicates(texts: list[str], groups: list[int]) -> None:
    assert group_near_duplicates(texts) == groups


def test_stream_keeps_first_member_as_group_id_and_is_idempotent() -> None:
    grouper = NearDuplicateGrouper()
    assert grouper.add("x:1", STORM) == "x:1"
    assert grouper.add("x:2", "全然関係のない投稿です。ランチはカレー") == "x:2"
    assert grouper.add("x:3", f"RT @a {STORM}") == "x:1"
    assert grouper.add("x:3", "re-adding a key changes nothing") == "x:1"
    assert len(grouper) == 3


def test_shingles_ignore_noise() -> None:
    assert shingles("@taro 最悪です https://x.test/1") == {"最悪です"}
    assert shingles("ｻｲｱｸ！！！") == shingles("サイアク!!")
