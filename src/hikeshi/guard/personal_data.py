"""Personal data in a draft: phone numbers, e-mail, LINE IDs, addresses, licence plates, My Number, cards.

Pattern detectors rather than lexicon rules because they need checksums (Luhn) and digit shapes. A business's
own toll-free number (0120…) is not personal data; a mobile number next to 「客」「この人」 is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hikeshi.text.normalize import NormalizedText

CATEGORY = "personal_data"
_PERSON_CONTEXT = re.compile(
    r"(客|お客|患者|利用者|会員|この人|こいつ|あいつ|この女|この男|犯人|住所|住んで|住み|自宅|本名|晒|特定|拡散|個人情報|迷惑)"
)


@dataclass(frozen=True, slots=True)
class PersonalDataHit:
    start: int
    end: int
    detector: str
    severity: int
    reason: str
    suggestion: str


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class _Detector:
    name: str
    pattern: re.Pattern[str]
    severity: int
    reason: str
    suggestion: str
    accept: Callable[[re.Match[str]], bool] | None = None
    # Severity with a nearby hint that the data belongs to someone else (a customer, 「この人」).
    severity_with_person: int | None = None


def _is_business_number(match: re.Match[str]) -> bool:
    return not match.group().startswith(("0120", "0800", "0570", "0180"))


def _is_card_number(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group())
    return 13 <= len(digits) <= 16 and _luhn_valid(digits)


_HIDE = "投稿・送信する前に、本人の同意があるか確認し、番号や住所は伏せてください。"
DETECTORS = (
    _Detector(
        "mobile_phone",
        re.compile(r"(?<![\d-])0[789]0-?\d{4}-?\d{4}(?![\d-])"),
        2,
        "携帯電話番号が含まれています。第三者の番号を載せると個人情報の漏えいになります。",
        _HIDE,
        severity_with_person=3,
    ),
    _Detector(
        "phone",
        re.compile(r"(?<![\d-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\d-])"),
        1,
        "電話番号が含まれています。会社の代表番号以外なら公開してよいか確認してください。",
        _HIDE,
        accept=_is_business_number,
        severity_with_person=3,
    ),
    _Detector(
        "email",
        re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"),
        1,
        "メールアドレスが含まれています。個人のアドレスなら公開しないでください。",
        _HIDE,
        severity_with_person=3,
    ),
    _Detector(
        "line_id",
        re.compile(r"line\s?(?:id)?\s?[:=]\s?@?[a-z0-9._-]{3,}"),
        2,
        "LINE ID が含まれています。個人の連絡先を業務外でやり取りしたり公開したりすると問題になります。",
        "個人の連絡先は書かず、会社の公式窓口を案内してください。",
        severity_with_person=3,
    ),
    _Detector(
        "address",
        re.compile(
            r"(?:〒?\d{3}-\d{4}\s?)?(?:東京都|北海道|(?:京都|大阪)府|[一-龯]{2,3}県)[一-龯ぁ-んァ-ン]{1,8}[市区町村郡]"
            r"[一-龯ぁ-んァ-ン]{0,10}\d+(?:丁目|-)\d+(?:番地?|-)?\d*(?:号)?"
        ),
        1,
        "番地までの住所が含まれています。個人の住所なら絶対に公開しないでください。",
        _HIDE,
        severity_with_person=3,
    ),
    _Detector(
        "licence_plate",
        re.compile(r"[一-龯]{1,4}\s?\d{2,3}\s?[あ-んア-ン]\s?\d{1,2}-\d{2}"),
        2,
        "車のナンバーが含まれています。ナンバーから持ち主が特定されるおそれがあります。",
        "ナンバーは隠してから投稿してください。",
        severity_with_person=3,
    ),
    _Detector(
        "my_number",
        re.compile(r"(?:マイナンバー|個人番号)[^\d]{0,10}\d{4}\s?-?\d{4}\s?-?\d{4}(?!\d)"),
        3,
        "マイナンバー（個人番号）が含まれています。法律で取り扱いが厳しく制限されている情報です。",
        "マイナンバーは絶対に送信・投稿しないでください。",
    ),
    _Detector(
        "card_number",
        re.compile(r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{1,4}(?!\d)"),
        3,
        "クレジットカード番号とみられる数字が含まれています。",
        "カード番号は送信・投稿しないでください。",
        accept=_is_card_number,
    ),
)


def find_personal_data(normalized: NormalizedText) -> list[PersonalDataHit]:
    """Spans (in normalised coordinates) of personal data, with a higher severity near person context."""
    text = normalized.text
    hits: list[PersonalDataHit] = []
    taken: list[tuple[int, int]] = []
    for detector in DETECTORS:
        for match in detector.pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            if detector.accept is not None and not detector.accept(match):
                continue
            severity = detector.severity
            if detector.severity_with_person and _PERSON_CONTEXT.search(text, max(0, start - 40), end + 40):
                severity = detector.severity_with_person
            taken.append((start, end))
            hits.append(
                PersonalDataHit(start, end, detector.name, severity, detector.reason, detector.suggestion)
            )
    return hits
