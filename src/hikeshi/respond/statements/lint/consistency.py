"""`check_consistency`: numbers, dates, names and contacts that differ between documents or from the facts.

The release, the Q&A, the call script and the SNS posts are drafted at different hours by different people; a
count changed in one of them is the kind of slip reporters notice first. Values are compared by what they are
about (see `mentions`), never blindly: 「お客様3名」 and 「社員1名」 do not disagree. A value marked approximate
(約, 以上, 程度) agrees with one within 10 %. With a position paper, its values are the reference; without one,
documents are compared with each other, and two documents disagree on a key when no value of one matches a
value of the other (a document that adds a sub-count, 「3名のうち1名」, disagrees with no one).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from hikeshi.respond.statements.lint.documents import Document
from hikeshi.respond.statements.lint.facts import LintFacts
from hikeshi.respond.statements.lint.mentions import (
    TITLES,
    CountMention,
    DateMention,
    event_of,
    find_contacts,
    find_counts,
    find_dates_in,
    find_quoted,
    find_titled_names,
    last_noun,
    unit_key,
)
from hikeshi.respond.statements.lint.negative_list import find_negative
from hikeshi.respond.statements.lint.quantities import LooseDate, fold
from hikeshi.respond.statements.lint.records import Mention, Mismatch, MismatchKind
from hikeshi.text.normalize import normalize

APPROXIMATE_TOLERANCE = 0.10
_COMPANY_FORMS = re.compile(r"(株式会社|有限会社|合同会社|\(株\)|（株）|㈱)")
_TITLE_PREFIX = re.compile(rf"^(?:{TITLES})[ \u3000]*")

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class _Located:
    file: str
    line: int
    value: str
    excerpt: str


def check_consistency(documents: Sequence[Document], facts: LintFacts | None = None) -> list[Mismatch]:
    """Every mismatch among `documents` (and against `facts`), in a stable order."""
    mismatches = _counts(documents, facts)
    mismatches += _dates(documents, facts)
    mismatches += _titled_names(documents)
    mismatches += _quoted_names(documents)
    if facts is not None:
        mismatches += _known_names(documents, facts)
        mismatches += _contacts(documents, facts)
        mismatches += _negative(documents, facts)
    return mismatches


# --- counts and amounts ---------------------------------------------------------------------------------------


def _same_count(a: CountMention, b: CountMention) -> bool:
    if a.value == b.value:
        return True
    if a.approximate or b.approximate:
        return abs(a.value - b.value) <= APPROXIMATE_TOLERANCE * max(a.value, b.value)
    return False


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _counts(documents: Sequence[Document], facts: LintFacts | None) -> list[Mismatch]:
    by_file = {doc.path: find_counts(doc.lines) for doc in documents}
    expected = _expected_counts(facts)
    mismatches = []
    for key, reference in expected.items():
        wrong = [
            (path, m)
            for path, mentions in by_file.items()
            for m in mentions
            if (m.noun, m.unit) == key and not any(_same_count(m, r) for r in reference)
        ]
        if wrong:
            mismatches.append(
                _count_mismatch(key, [_located(p, m.line, m.written, m.excerpt) for p, m in wrong], reference)
            )
    grouped = _group(by_file, lambda m: (m.noun, m.unit), skip=set(expected))
    for key, per_file in grouped.items():
        if _disagree(per_file, _same_count):
            located = [_located(p, m.line, m.written, m.excerpt) for p, ms in per_file.items() for m in ms]
            mismatches.append(_count_mismatch(key, located, None))
    return mismatches


def _expected_counts(facts: LintFacts | None) -> dict[tuple[str, str], list[CountMention]]:
    expected: dict[tuple[str, str], list[CountMention]] = defaultdict(list)
    if facts is None:
        return expected
    figures: list[tuple[str, float, str]] = []
    if facts.impact is not None and facts.impact.count is not None:
        figures.append((facts.impact.who, float(facts.impact.count), facts.impact.unit))
    figures += [(f.label, float(f.value), f.unit) for f in (facts.impact.figures if facts.impact else [])]
    for label, value, unit in figures:
        noun = last_noun(label)
        if noun is None:
            continue
        key = (noun, unit_key(fold(unit).strip()))
        expected[key].append(CountMention(0, key[0], key[1], value, False, f"{_number(value)}{unit}", label))
    return dict(expected)


def _count_mismatch(
    key: tuple[str, str], located: list[_Located], reference: list[CountMention] | None
) -> Mismatch:
    noun, unit = key
    subject = f"{unit}（{noun}）"
    if reference is not None:
        want = "・".join(r.written for r in reference)
        return Mismatch(
            kind=MismatchKind.AMOUNT if unit == "円" else MismatchKind.COUNT,
            subject=subject,
            expected=want,
            mentions=[_mention(item) for item in located],
            message=f"「{noun}」の数がポジションペーパー（{want}）と違います: " + _where(located),
        )
    return Mismatch(
        kind=MismatchKind.AMOUNT if unit == "円" else MismatchKind.COUNT,
        subject=subject,
        mentions=[_mention(item) for item in located],
        message=f"「{noun}」の数が文書によって違います: " + _where(located),
    )


# --- dates --------------------------------------------------------------------------------------------------------


def _same_date(a: DateMention, b: DateMention) -> bool:
    return a.date.same_as(b.date)


def _date_subject(key: tuple[str, bool]) -> str:
    event, deadline = key
    return f"{event}の期日" if deadline else f"{event}の日付"


def _dates(documents: Sequence[Document], facts: LintFacts | None) -> list[Mismatch]:
    by_file = {doc.path: find_dates_in(doc.lines) for doc in documents}
    expected = _expected_dates(facts)
    mismatches = []
    for key, reference in expected.items():
        wrong = [
            (path, m)
            for path, mentions in by_file.items()
            for m in mentions
            if (m.event, m.deadline) == key and not any(m.date.same_as(r) for r in reference)
        ]
        if wrong:
            want = "・".join(str(r) for r in reference)
            located = [_located(p, m.line, m.written, m.excerpt) for p, m in wrong]
            mismatches.append(
                Mismatch(
                    kind=MismatchKind.DATE,
                    subject=_date_subject(key),
                    expected=want,
                    mentions=[_mention(item) for item in located],
                    message=f"{_date_subject(key)}がポジションペーパー（{want}）と違います: "
                    + _where(located),
                )
            )
    grouped = _group(by_file, lambda m: (m.event, m.deadline), skip=set(expected))
    for key, per_file in grouped.items():
        if _disagree(per_file, _same_date):
            located = [_located(p, m.line, m.written, m.excerpt) for p, ms in per_file.items() for m in ms]
            mismatches.append(
                Mismatch(
                    kind=MismatchKind.DATE,
                    subject=_date_subject(key),
                    mentions=[_mention(item) for item in located],
                    message=f"{_date_subject(key)}が文書によって違います: " + _where(located),
                )
            )
    return mismatches


def _expected_dates(facts: LintFacts | None) -> dict[tuple[str, bool], list[LooseDate]]:
    expected: dict[tuple[str, bool], list[LooseDate]] = defaultdict(list)
    if facts is None:
        return expected
    for entry in facts.timeline:
        event = event_of(entry.what)
        if event is not None:
            expected[(event, False)].append(LooseDate.of(entry.at))
    if facts.cause is not None and facts.cause.due is not None:
        expected[("報告", True)].append(LooseDate.of(facts.cause.due))
    for decision in facts.accountability:
        if decision.due is not None:  # 処分 still under review: 「3月31日までに決定し、お知らせします」
            expected[("決定", True)].append(LooseDate.of(decision.due))
    for measure in facts.measures:
        event = event_of(measure.what or "")
        if event is not None and measure.due is not None:
            expected[(event, True)].append(LooseDate.of(measure.due))
    return dict(expected)


# --- names, contacts and the negative list ------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", fold(text))


def _titled_names(documents: Sequence[Document]) -> list[Mismatch]:
    by_file = {doc.path: find_titled_names(doc.lines) for doc in documents}
    grouped = _group(by_file, lambda m: m.key, skip=())
    mismatches = []
    for title, per_file in grouped.items():
        if _disagree(per_file, lambda a, b: _squeeze(a.value) == _squeeze(b.value)):
            located = [_located(p, m.line, m.value, m.excerpt) for p, ms in per_file.items() for m in ms]
            mismatches.append(_name_mismatch(f"{title}の氏名", located, None))
    return mismatches


def _quoted_names(documents: Sequence[Document]) -> list[Mismatch]:
    """Names in 「」 that differ by one character between documents: 「ミナトクッキー」 and 「ミナトクツキー」."""
    by_file = {doc.path: find_quoted(doc.lines) for doc in documents}
    all_values = {_squeeze(m.value) for mentions in by_file.values() for m in mentions}
    mismatches = []
    seen: set[frozenset[str]] = set()
    for path, mentions in by_file.items():
        for mention in mentions:
            value = _squeeze(mention.value)
            for other in all_values:
                pair = frozenset((value, other))
                if other == value or pair in seen or not _one_apart(value, other):
                    continue
                seen.add(pair)
                located = [_located(path, mention.line, mention.value, mention.excerpt)]
                located += [
                    _located(p, m.line, m.value, m.excerpt)
                    for p, ms in by_file.items()
                    for m in ms
                    if _squeeze(m.value) == other
                ]
                mismatches.append(_name_mismatch("「」内の名称", located, None))
    return mismatches


def _one_apart(a: str, b: str) -> bool:
    """Equal length and one character different (a typo), for names of four characters or more."""
    if len(a) != len(b) or len(a) < 4:
        return False
    return sum(1 for x, y in zip(a, b, strict=True) if x != y) == 1


def _known_names(documents: Sequence[Document], facts: LintFacts) -> list[Mismatch]:
    """A known name (company, representative, speakers) written with one character wrong."""
    names: list[tuple[str, str]] = []
    if facts.company is not None:
        core = _COMPANY_FORMS.sub("", facts.company.name).strip()
        names.append(("社名", _squeeze(core)))
        if facts.company.representative:
            names.append(
                ("代表者の氏名", _squeeze(_TITLE_PREFIX.sub("", facts.company.representative.strip())))
            )
    names += [("登壇者の氏名", _squeeze(speaker.name)) for speaker in facts.speakers]
    mismatches = []
    for subject, name in names:
        if len(name) < 3:
            continue
        located = []
        for doc in documents:
            for number, raw in enumerate(doc.lines, start=1):
                line = _squeeze(raw)
                for start in range(0, len(line) - len(name) + 1):
                    window = line[start : start + len(name)]
                    if window != name and _near_miss(window, name):
                        located.append(_located(doc.path, number, window, raw.strip()[:60]))
        if located:
            mismatches.append(_name_mismatch(subject, located, name))
    return mismatches


def _near_miss(window: str, name: str) -> bool:
    """One character different, kanji for kanji or kana for kana: 港 一朗 for 港 一郎, ミナト住健 for ミナト住建."""
    differing = [i for i, (x, y) in enumerate(zip(window, name, strict=True)) if x != y]
    return len(differing) == 1 and _same_script(window[differing[0]], name[differing[0]])


def _same_script(a: str, b: str) -> bool:
    def script(char: str) -> str:
        if "一" <= char <= "龥":
            return "kanji"
        if "ァ" <= char <= "ヺ" or "ぁ" <= char <= "ゖ":
            return "kana"
        return "other"

    return script(a) == script(b) != "other"


def _contacts(documents: Sequence[Document], facts: LintFacts) -> list[Mismatch]:
    known = {_squeeze(value).lower() for value in facts.contact_values}
    if not known:
        return []
    mismatches = []
    for doc in documents:
        for mention in find_contacts(doc.lines):
            if _squeeze(mention.value).lower() not in known:
                located = [_located(doc.path, mention.line, mention.value, mention.excerpt)]
                mismatches.append(
                    Mismatch(
                        kind=MismatchKind.CONTACT,
                        subject=mention.key,
                        expected="・".join(sorted(facts.contact_values)),
                        mentions=[_mention(item) for item in located],
                        message=f"{mention.key}がポジションペーパーの問い合わせ先と違います: "
                        + _where(located),
                    )
                )
    return mismatches


def _negative(documents: Sequence[Document], facts: LintFacts) -> list[Mismatch]:
    terms = facts.negative_terms
    mismatches = []
    for doc in documents:
        for number, raw in enumerate(doc.lines, start=1):
            normalized = normalize(raw)
            for hit in find_negative(normalized.folded, terms):
                start, end = normalized.to_original(hit.start, hit.end)
                topic = hit.term.topic or "ネガティブリストの語"
                located = [_located(doc.path, number, raw[start:end], raw.strip()[:60])]
                mismatches.append(
                    Mismatch(
                        kind=MismatchKind.NEGATIVE_LIST,
                        subject=topic,
                        mentions=[_mention(item) for item in located],
                        message=f"ネガティブリストの語（{topic}）が書かれています: " + _where(located),
                    )
                )
    return mismatches


# --- helpers ------------------------------------------------------------------------------------------------------


def _group(
    by_file: dict[str, list[T]], key: Callable[[T], K], skip: Collection[K]
) -> dict[K, dict[str, list[T]]]:
    """Mentions by key and file, keeping only keys that at least two files mention."""
    grouped: dict[K, dict[str, list[T]]] = defaultdict(lambda: defaultdict(list))
    for path, mentions in by_file.items():
        for mention in mentions:
            k = key(mention)
            if k not in skip:
                grouped[k][path].append(mention)
    return {k: dict(v) for k, v in grouped.items() if len(v) > 1}


def _disagree(per_file: dict[str, list[T]], same: Callable[[T, T], bool]) -> bool:
    """Two documents disagree when no value of one matches any value of the other."""
    files = list(per_file)
    for i, first in enumerate(files):
        for second in files[i + 1 :]:
            if not any(same(a, b) for a in per_file[first] for b in per_file[second]):
                return True
    return False


def _located(path: str, line: int, value: str, excerpt: str) -> _Located:
    return _Located(path, line, value, excerpt)


def _mention(item: _Located) -> Mention:
    return Mention(file=item.file, line=item.line, value=item.value, excerpt=item.excerpt)


def _where(located: list[_Located]) -> str:
    return "、".join(f"{item.value}（{item.file}:{item.line}）" for item in located)


def _name_mismatch(subject: str, located: list[_Located], expected: str | None) -> Mismatch:
    if expected is not None:
        message = f"{subject}がポジションペーパー（{expected}）と一字違います: " + _where(located)
    else:
        message = f"{subject}が文書によって違います: " + _where(located)
    return Mismatch(
        kind=MismatchKind.NAME,
        subject=subject,
        expected=expected,
        mentions=[_mention(item) for item in located],
        message=message,
    )
