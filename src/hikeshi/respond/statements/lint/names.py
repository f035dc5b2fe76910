"""Names, contacts and the negative list across documents: one character wrong in a name, a phone number that is
not the paper's, a word from 聞かれても言えない in any document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hikeshi.respond.statements.lint.comparison import (
    as_mention,
    disagree,
    group,
    name_mismatch,
    place,
    where,
)
from hikeshi.respond.statements.lint.documents import Document
from hikeshi.respond.statements.lint.facts import LintFacts
from hikeshi.respond.statements.lint.mentions import TITLES, find_contacts, find_quoted, find_titled_names
from hikeshi.respond.statements.lint.negative_list import find_negative
from hikeshi.respond.statements.lint.quantities import fold
from hikeshi.respond.statements.lint.records import Mismatch, MismatchKind
from hikeshi.text.normalize import normalize

_COMPANY_FORMS = re.compile(r"(株式会社|有限会社|合同会社|\(株\)|（株）|㈱)")
_TITLE_PREFIX = re.compile(rf"^(?:{TITLES})[ \u3000]*")


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", fold(text))


def titled_name_mismatches(documents: Sequence[Document]) -> list[Mismatch]:
    by_file = {doc.path: find_titled_names(doc.lines) for doc in documents}
    grouped = group(by_file, lambda m: m.key, skip=())
    mismatches = []
    for title, per_file in grouped.items():
        if disagree(per_file, lambda a, b: _squeeze(a.value) == _squeeze(b.value)):
            located = [place(p, m.line, m.value, m.excerpt) for p, ms in per_file.items() for m in ms]
            mismatches.append(name_mismatch(f"{title}の氏名", located, None))
    return mismatches


def quoted_name_mismatches(documents: Sequence[Document]) -> list[Mismatch]:
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
                located = [place(path, mention.line, mention.value, mention.excerpt)]
                located += [
                    place(p, m.line, m.value, m.excerpt)
                    for p, ms in by_file.items()
                    for m in ms
                    if _squeeze(m.value) == other
                ]
                mismatches.append(name_mismatch("「」内の名称", located, None))
    return mismatches


def _one_apart(a: str, b: str) -> bool:
    """Equal length and one character different (a typo), for names of four characters or more."""
    if len(a) != len(b) or len(a) < 4:
        return False
    return sum(1 for x, y in zip(a, b, strict=True) if x != y) == 1


def known_name_mismatches(documents: Sequence[Document], facts: LintFacts) -> list[Mismatch]:
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
                        located.append(place(doc.path, number, window, raw.strip()[:60]))
        if located:
            mismatches.append(name_mismatch(subject, located, name))
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


def contact_mismatches(documents: Sequence[Document], facts: LintFacts) -> list[Mismatch]:
    known = {_squeeze(value).lower() for value in facts.contact_values}
    if not known:
        return []
    mismatches = []
    for doc in documents:
        for mention in find_contacts(doc.lines):
            if _squeeze(mention.value).lower() not in known:
                located = [place(doc.path, mention.line, mention.value, mention.excerpt)]
                mismatches.append(
                    Mismatch(
                        kind=MismatchKind.CONTACT,
                        subject=mention.key,
                        expected="・".join(sorted(facts.contact_values)),
                        mentions=[as_mention(item) for item in located],
                        message=f"{mention.key}がポジションペーパーの問い合わせ先と違います: "
                        + where(located),
                    )
                )
    return mismatches


def negative_list_mismatches(documents: Sequence[Document], facts: LintFacts) -> list[Mismatch]:
    terms = facts.negative_terms
    mismatches = []
    for doc in documents:
        for number, raw in enumerate(doc.lines, start=1):
            normalized = normalize(raw)
            for hit in find_negative(normalized.folded, terms):
                start, end = normalized.to_original(hit.start, hit.end)
                topic = hit.term.topic or "ネガティブリストの語"
                located = [place(doc.path, number, raw[start:end], raw.strip()[:60])]
                mismatches.append(
                    Mismatch(
                        kind=MismatchKind.NEGATIVE_LIST,
                        subject=topic,
                        mentions=[as_mention(item) for item in located],
                        message=f"ネガティブリストの語（{topic}）が書かれています: " + where(located),
                    )
                )
    return mismatches
