"""What a document states: counts and amounts with what they count, dated events, titled names, contacts.

Counts are keyed by their counter and the noun they count, so 「お客様3名」「3名のお客様」「お客様は３名」 are one
key (名, 客) and 「社員1名」 is another: a document may well say both. Dates are keyed by the event that follows
them in the same sentence (「3月10日…送信しました」 → 送信), deadlines apart (「3月31日までに…ご報告します」 →
報告・期日).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hikeshi.respond.statements.lint.quantities import NUMBER, LooseDate, find_dates, fold, parse_number
from hikeshi.text.normalize import fold_kana

COUNTERS = "件|名|人|台|個|本|世帯|袋|店舗|店|便|社|回|枚|箱|か所|箇所|行|万円|億円|円|%"
_APPROX_BEFORE = r"(?:約|およそ|概ね|おおむね|最大|最大で|計|合計|累計|延べ|全|うち)"
_APPROX_AFTER = r"(?:以上|超|余り|あまり|程度|ほど|前後|弱|強)"
COUNT = re.compile(
    rf"(?P<approx>{_APPROX_BEFORE})?(?P<number>{NUMBER})(?P<unit>{COUNTERS})(?P<after>{_APPROX_AFTER})?"
)
_WORD = r"[一-龥々〆ヵヶァ-ヺーぁ-ゖa-zA-Z]"
_TRAILING = re.compile(rf"(?:様|さま)?(?:[はがのをでにもへ、・:\s]|{_APPROX_BEFORE})*$")
_OKURIGANA = frozenset(
    "いりわせけしえかきみびち"
)  # 問い合わせ, 取り扱い, 申し込み, 払い戻し: kana inside nouns
_NOUN_AFTER = re.compile(
    rf"^(?:の)?((?:お|ご)?[一-龥々ァ-ヺー]{_WORD}{{0,9}}?)(?:様|さま)?(?=[^一-龥々ァ-ヺー]|$)"
)
_NOT_A_COUNT = re.compile(r"^(一人ひとり|一人一人|一名様|一社一社|一件一件)")
_SYNONYMS = {"問合せ": "問い合わせ", "問い合せ": "問い合わせ", "お客": "客", "顧客": "客", "閲覧数": "閲覧"}

EVENTS = (
    "発生|判明|送信|投稿|発言|掲載|公表|発表|設置|訪問|回収|開始|停止|再開|報告|実施|販売|製造|出荷|把握|受付|"
    "開催|謝罪|お詫び|連絡|受け取|配信|公開|提出|更新|お知らせ|導入|完了|決定|処分|拡散|送付|返金|発送|交換|会見"
)
_EVENT = re.compile(fold_kana(EVENTS))
_EVENT_SYNONYMS = {"お知らせ": "報告", "公表": "報告", "発表": "報告", "ご報告": "報告", "お詫び": "謝罪"}
_AS_OF = re.compile(r"^[^。\n]{0,8}(時点|現在)")  # 「3月13日12時時点で」 dates a figure, not an event
_DEADLINE = re.compile(r"^[^。\n]{0,6}(まで|までに|を目途|を目処|めど)")
_SENTENCE_END = re.compile(r"[。!?！？\n]")

TITLES = "代表取締役社長|代表取締役会長|代表取締役|取締役社長|副社長|社長|会長|専務取締役|常務取締役|専務|常務|本部長|部長|室長|所長|店長|支店長|課長"
TITLED_NAME = re.compile(
    rf"(?P<title>{TITLES})[ \u3000]+(?P<name>[一-龥々]{{1,4}}[ \u3000][一-龥々ぁ-ゖァ-ヺ]{{1,4}})(?![一-龥々ぁ-ゖァ-ヺ])"
)
PHONE = re.compile(r"(?<![0-9])(0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4})(?![0-9])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
QUOTED = re.compile(r"「([^「」\n]{4,30})」")


@dataclass(frozen=True, slots=True)
class CountMention:
    line: int
    noun: str
    unit: str
    value: float
    approximate: bool
    written: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class DateMention:
    line: int
    event: str
    deadline: bool
    date: LooseDate
    written: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class TextMention:
    line: int
    key: str
    value: str
    excerpt: str


def noun_key(noun: str) -> str:
    """The comparable form of a counted noun: お客様 → 客, お問い合わせ → 問い合わせ, 閲覧数 → 閲覧."""
    noun = fold(noun).strip()
    for prefix in ("お", "ご"):
        if noun.startswith(prefix) and len(noun) > 2:
            noun = noun[len(prefix) :]
    for suffix in ("様", "さま", "の方", "方々"):
        if noun.endswith(suffix) and len(noun) > len(suffix):
            noun = noun[: -len(suffix)]
    return _SYNONYMS.get(noun, noun)


def unit_key(unit: str) -> str:
    return "名" if unit == "人" else unit


def excerpt(line: str, start: int, end: int, width: int = 20) -> str:
    return line[max(0, start - width) : end + width].strip()


def find_counts(lines: list[str]) -> list[CountMention]:
    found = []
    for number, raw in enumerate(lines, start=1):
        line = fold(raw)
        for match in COUNT.finditer(line):
            if _NOT_A_COUNT.match(line[match.start() :]):
                continue
            value = parse_number(match.group("number"))
            noun = _noun_for(line, match)
            if value is None or noun is None:
                continue
            unit = match.group("unit")
            if unit in ("万円", "億円"):
                value *= 10_000 if unit == "万円" else 100_000_000
                unit = "円"
            found.append(
                CountMention(
                    number,
                    noun_key(noun),
                    unit_key(unit),
                    value,
                    bool(
                        match.group("approx") in ("約", "およそ", "概ね", "おおむね") or match.group("after")
                    ),
                    match.group(0),
                    excerpt(line, match.start(), match.end()),
                )
            )
    return found


_GENERIC = frozenset({"範囲", "時点", "現在", "合計", "全体", "総数", "中", "計", "最大", "全部", "現時点"})


def _noun_for(line: str, match: re.Match[str]) -> str | None:
    """The noun a count counts: the word just before it (お客様3名), just after (3名のお客様), or the sentence's
    topic when the word before is generic (お客様は、確認できた範囲で3名です)."""
    before = _noun_before(line[max(0, match.start() - 16) : match.start() + len(match.group("approx") or "")])
    if before is not None and before not in _GENERIC:
        return before
    after = _NOUN_AFTER.search(line[match.end() : match.end() + 14])
    if after is not None:
        return after.group(1)
    return _topic_before(line, match.start()) if before is not None else None


def _topic_before(line: str, end: int) -> str | None:
    sentence_start = max(line.rfind("。", 0, end), line.rfind(". ", 0, end)) + 1
    segment = line[max(sentence_start, end - 60) : end]
    position = segment.rfind("は")
    while position > 0:
        noun = _noun_before(segment[:position])
        if noun is not None and noun not in _GENERIC:
            return noun
        position = segment.rfind("は", 0, position)
    return None


def _is_word_char(char: str) -> bool:
    return "一" <= char <= "龥" or char in "々〆ヵヶー" or "ァ" <= char <= "ヺ"


def _okurigana_at(segment: str, index: int) -> bool:
    """A kana at `index` belongs to a noun when a kanji sits right before it or two before (問い合わせ)."""
    left = segment[index - 1] if index >= 1 else ""
    if _is_word_char(left):
        return True
    return left in _OKURIGANA and index >= 2 and _is_word_char(segment[index - 2])


def last_noun(text: str) -> str | None:
    """The last noun of a phrase, as a count's noun key: 「…を受け取られたお客様」 → 客."""
    noun = _noun_before(fold(text))
    return noun_key(noun) if noun is not None else None


def _noun_before(segment: str) -> str | None:
    """The last noun of `segment`, read right to left: kanji and katakana, okurigana between kanji, お/ご."""
    segment = segment[: _TRAILING.search(segment).start()]  # type: ignore[union-attr]  # always matches
    chars: list[str] = []
    index = len(segment) - 1
    while index >= 0 and len(chars) < 10:
        char = segment[index]
        if _is_word_char(char) or (char in _OKURIGANA and _okurigana_at(segment, index)):
            chars.append(char)
        elif char in "おご" and chars:
            chars.append(char)
            break
        else:
            break
        index -= 1
    if not chars or (index >= 0 and segment[index].isdigit()):
        return None  # 「11行で計120件」: a count's own counter is not a noun
    return "".join(reversed(chars))


def event_of(text: str) -> str | None:
    found = _EVENT.search(fold_kana(text))
    if found is None:
        return None
    return _EVENT_SYNONYMS.get(found.group(0), found.group(0))


def find_dates_in(lines: list[str]) -> list[DateMention]:
    found = []
    for number, raw in enumerate(lines, start=1):
        line = fold(raw)
        for start, end, date in find_dates(line):
            rest = line[end:]
            if _AS_OF.match(rest):
                continue
            stop = _SENTENCE_END.search(rest)
            clause = rest[: stop.start()] if stop else rest
            event = event_of(clause)
            if event is None:
                continue
            deadline = _DEADLINE.match(rest) is not None
            found.append(
                DateMention(number, event, deadline, date, line[start:end], excerpt(line, start, end))
            )
    return found


def find_titled_names(lines: list[str]) -> list[TextMention]:
    found = []
    for number, raw in enumerate(lines, start=1):
        line = fold(raw)
        for match in TITLED_NAME.finditer(line):
            name = re.sub(r"\s+", " ", match.group("name"))
            found.append(
                TextMention(number, match.group("title"), name, excerpt(line, match.start(), match.end()))
            )
    return found


def find_contacts(lines: list[str]) -> list[TextMention]:
    found = []
    for number, raw in enumerate(lines, start=1):
        line = fold(raw).replace("‐", "-").replace("−", "-").replace("ー", "ー")
        for pattern, key in ((PHONE, "電話番号"), (EMAIL, "メールアドレス")):
            for match in pattern.finditer(line):
                found.append(
                    TextMention(number, key, match.group(0), excerpt(line, match.start(), match.end()))
                )
    return found


def find_quoted(lines: list[str]) -> list[TextMention]:
    found = []
    for number, raw in enumerate(lines, start=1):
        line = fold(raw)
        for match in QUOTED.finditer(line):
            found.append(
                TextMention(number, "「」", match.group(1), excerpt(line, match.start(), match.end()))
            )
    return found
