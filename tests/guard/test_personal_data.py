import pytest

from hikeshi.guard.personal_data import find_personal_data
from hikeshi.text.normalize import normalize


@pytest.mark.parametrize(
    ("text", "detector", "severity"),
    [
        ("この客の番号 090-1234-5678 晒します", "mobile_phone", 3),
        ("担当携帯 09012345678 までどうぞ", "mobile_phone", 2),
        ("０８０－１１１１－２２２２", "mobile_phone", 2),
        ("03-1234-5678までご連絡ください", "phone", 1),
        ("support@example.co.jp までご連絡ください", "email", 1),
        ("LINE ID: taro_123 追加して", "line_id", 2),
        ("あいつ東京都港区芝公園4丁目2-8に住んでる", "address", 3),
        ("品川 300 あ 12-34 の車がずっと停まってる", "licence_plate", 2),
        ("マイナンバー 1234 5678 9012 です", "my_number", 3),
        ("カード 4111 1111 1111 1111 で払った", "card_number", 3),
    ],
)
def test_detects_personal_data(text: str, detector: str, severity: int) -> None:
    hits = find_personal_data(normalize(text))
    assert [(h.detector, h.severity) for h in hits] == [(detector, severity)]


@pytest.mark.parametrize(
    "text",
    [
        "お問い合わせはフリーダイヤル 0120-123-456 まで",
        "ナビダイヤル 0570-000-111",
        "注文番号 1234 5678 9012 3456 を確認しました",  # not Luhn-valid
        "2026年11月29日に発売します",
    ],
)
def test_ignores_business_numbers_and_other_digits(text: str) -> None:
    assert find_personal_data(normalize(text)) == []
