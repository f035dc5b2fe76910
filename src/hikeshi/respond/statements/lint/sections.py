"""Which of the eight sections of an お詫び a text contains, found by cues (data/sections.yaml).

The cues look for what a reader looks for: an apology in words, a date with an event, 原因は… (or 調査中 with the
date by which the cause will be reported), numbers of people or items affected, what has been done, prevention,
処分, and an inquiry desk with a phone number, an e-mail address or a URL.
"""

from __future__ import annotations

from hikeshi.respond.statements.lint.cues import cues
from hikeshi.respond.statements.lint.records import (
    REQUIRED_SECTIONS,
    Section,
    SectionPresence,
    StatementKind,
)
from hikeshi.text.sentences import split_sentences


def find_sections(folded: str) -> SectionPresence:
    cue = cues("sections")
    present = {section.value: cue[section.value].search(folded) is not None for section in Section}
    if not present[Section.CAUSE.value]:
        present[Section.CAUSE.value] = _investigating_with_date(folded)
    return SectionPresence(**present)


def _investigating_with_date(folded: str) -> bool:
    """調査中 counts as the cause section only when the same sentence or the next says by when."""
    cue = cues("sections")
    sentences = split_sentences(folded)
    for index, sentence in enumerate(sentences):
        if cue["cause_investigating"].search(sentence.text):
            window = sentence.text + (sentences[index + 1].text if index + 1 < len(sentences) else "")
            if cue["cause_deadline"].search(window):
                return True
    return False


def missing_sections(sections: SectionPresence, kind: StatementKind | None) -> list[Section]:
    return [section for section in REQUIRED_SECTIONS[kind] if not sections.has(section)]
