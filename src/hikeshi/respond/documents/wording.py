"""The documents' own wording through the pre-send guard, paragraph by paragraph.

A policy that tells staff not to post risky words must not contain any. Every paragraph of a built document is
checked with the same guard staff use; the company's own published contact details (its 相談室 number, its
press e-mail, the escalation phones it chose to print in an internal manual) are the profile's data, not
wording, so they are passed as the policy pack's exceptions, the mechanism a company uses for the terms it
accepts. The guard would rightly caution about a phone number in a post; in the company's own rules it is
the point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from hikeshi.guard import Guard, PolicyPack
from hikeshi.records import Level
from hikeshi.respond.documents.builder import BuiltDocument
from hikeshi.respond.documents.markdown import parse
from hikeshi.respond.documents.profile import CompanyProfile, DocumentKind

_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")


@dataclass(frozen=True)
class FlaggedParagraph:
    kind: DocumentKind
    text: str
    level: Level
    reasons: list[str]


def own_contacts(profile: CompanyProfile) -> list[str]:
    """The phones, e-mail addresses and URLs the profile publishes, wherever it wrote them."""
    values: list[str] = []
    points = (profile.contacts.public, profile.contacts.press, profile.contacts.internal)
    for point in points:
        values += [point.phone, point.email, point.url, *_PHONE.findall(point.hours)]
    for contact in profile.escalation:
        values += [contact.phone, contact.email, *_PHONE.findall(contact.deputy)]
    values += [account.url for account in profile.official_accounts]
    values += [profile.company.website, profile.check_url]
    return sorted({value.strip() for value in values if value and value.strip()}, key=len, reverse=True)


def wording_policy(profile: CompanyProfile) -> PolicyPack:
    return PolicyPack(name=profile.company.name, exceptions=own_contacts(profile))


def paragraphs(document: BuiltDocument) -> list[str]:
    """Every paragraph, list item, table row and heading of the document, as a reader sees it."""
    return [text for block in parse(document.markdown) for text in block.texts() if text.strip()]


def flagged_paragraphs(
    documents: Iterable[BuiltDocument], profile: CompanyProfile, guard: Guard | None = None
) -> list[FlaggedParagraph]:
    """The paragraphs the guard marks caution or danger, with its reasons."""
    guard = guard or Guard(wording_policy(profile))
    flagged = []
    for document in documents:
        texts = paragraphs(document)
        for text, verdict in zip(texts, guard.check_many(texts), strict=True):
            if verdict.level != Level.OK:
                reasons = [f"「{finding.excerpt}」{finding.reason}" for finding in verdict.findings]
                flagged.append(FlaggedParagraph(document.kind, text, verdict.level, reasons))
    return flagged
