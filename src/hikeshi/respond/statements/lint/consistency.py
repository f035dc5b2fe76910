"""`check_consistency`: numbers, dates, names and contacts that differ between documents or from the facts.

The release, the Q&A, the call script and the SNS posts are drafted at different hours by different people; a
count changed in one of them is the kind of slip reporters notice first. Values are compared by what they are
about (see `mentions`), never blindly: 「お客様3名」 and 「社員1名」 do not disagree. A value marked approximate
(約, 以上, 程度) agrees with one within 10 %. With a position paper, its values are the reference; without one,
documents are compared with each other, and two documents disagree on a key when no value of one matches a
value of the other (a document that adds a sub-count, 「3名のうち1名」, disagrees with no one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from hikeshi.respond.statements.lint.comparison import Located, as_mention, disagree, group, place, where
from hikeshi.respond.statements.lint.documents import Document
from hikeshi.respond.statements.lint.facts import LintFacts
from hikeshi.respond.statements.lint.mentions import (
    CountMention,
    DateMention,
    event_of,
    find_counts,
    find_dates_in,
    last_noun,
    unit_key,
)
from hikeshi.respond.statements.lint.names import (
    contact_mismatches,
    known_name_mismatches,
    negative_list_mismatches,
    quoted_name_mismatches,
    titled_name_mismatches,
)
from hikeshi.respond.statements.lint.quantities import LooseDate, fold
from hikeshi.respond.statements.lint.records import Mismatch, MismatchKind

APPROXIMATE_TOLERANCE = 0.10


def check_consistency(documents: Sequence[Document], facts: LintFacts | None = None) -> list[Mismatch]:
    """Every mismatch among `documents` (and against `facts`), in a stable order."""
    mismatches = _counts(documents, facts)
    mismatches += _dates(documents, facts)
    mismatches += titled_name_mismatches(documents)
    mismatches += quoted_name_mismatches(documents)
    if facts is not None:
        mismatches += known_name_mismatches(documents, facts)
        mismatches += contact_mismatches(documents, facts)
        mismatches += negative_list_mismatches(documents, facts)
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
                _count_mismatch(key, [place(p, m.line, m.written, m.excerpt) for p, m in wrong], reference)
            )
    grouped = group(by_file, lambda m: (m.noun, m.unit), skip=set(expected))
    for key, per_file in grouped.items():
        if disagree(per_file, _same_count):
            located = [place(p, m.line, m.written, m.excerpt) for p, ms in per_file.items() for m in ms]
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
    key: tuple[str, str], located: list[Located], reference: list[CountMention] | None
) -> Mismatch:
    noun, unit = key
    subject = f"{unit}（{noun}）"
    if reference is not None:
        want = "・".join(r.written for r in reference)
        return Mismatch(
            kind=MismatchKind.AMOUNT if unit == "円" else MismatchKind.COUNT,
            subject=subject,
            expected=want,
            mentions=[as_mention(item) for item in located],
            message=f"「{noun}」の数がポジションペーパー（{want}）と違います: " + where(located),
        )
    return Mismatch(
        kind=MismatchKind.AMOUNT if unit == "円" else MismatchKind.COUNT,
        subject=subject,
        mentions=[as_mention(item) for item in located],
        message=f"「{noun}」の数が文書によって違います: " + where(located),
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
            located = [place(p, m.line, m.written, m.excerpt) for p, m in wrong]
            mismatches.append(
                Mismatch(
                    kind=MismatchKind.DATE,
                    subject=_date_subject(key),
                    expected=want,
                    mentions=[as_mention(item) for item in located],
                    message=f"{_date_subject(key)}がポジションペーパー（{want}）と違います: "
                    + where(located),
                )
            )
    grouped = group(by_file, lambda m: (m.event, m.deadline), skip=set(expected))
    for key, per_file in grouped.items():
        if disagree(per_file, _same_date):
            located = [place(p, m.line, m.written, m.excerpt) for p, ms in per_file.items() for m in ms]
            mismatches.append(
                Mismatch(
                    kind=MismatchKind.DATE,
                    subject=_date_subject(key),
                    mentions=[as_mention(item) for item in located],
                    message=f"{_date_subject(key)}が文書によって違います: " + where(located),
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
