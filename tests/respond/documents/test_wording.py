"""Every paragraph of every generated document passes the guard: the documents carry no risky wording of their own.

The company's published contact details (phones, e-mail, URLs from the profile) are the only exceptions, given
to the guard as the policy pack's exceptions; a paragraph without any of them must pass the plain guard too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hikeshi.guard import check, check_many
from hikeshi.records import Level
from hikeshi.respond.documents import BuiltDocument, DocumentKind, build_documents, load_profile
from hikeshi.respond.documents.markdown import parse
from hikeshi.respond.documents.profile import PROFILE_TEMPLATE, CompanyProfile
from hikeshi.respond.documents.wording import flagged_paragraphs, own_contacts, paragraphs, wording_policy
from hikeshi.respond.playbooks import load_playbook
from tests.respond.documents.conftest import EXAMPLE


def _template_profile(tmp_path: Path) -> CompanyProfile:
    path = tmp_path / "template.yaml"
    path.write_text(
        PROFILE_TEMPLATE.read_text(encoding="utf-8").replace("第〇条", "第20条"), encoding="utf-8"
    )
    return load_profile(path)


@pytest.mark.parametrize("source", ["example", "template"])
def test_no_paragraph_is_flagged(tmp_path: Path, source: str) -> None:
    profile = load_profile(EXAMPLE) if source == "example" else _template_profile(tmp_path)
    documents = build_documents(profile, load_playbook())
    flagged = flagged_paragraphs(documents, profile)
    assert [(item.kind.value, item.text, item.reasons) for item in flagged] == []


def test_paragraphs_without_contact_details_pass_the_plain_guard(
    documents: dict[DocumentKind, BuiltDocument], profile: CompanyProfile
) -> None:
    contacts = own_contacts(profile)
    texts = [
        text
        for document in documents.values()
        for text in paragraphs(document)
        if not any(value in text for value in contacts)
    ]
    # the raw Markdown lines too, bold marks and all, as a reader pasting a paragraph would check it
    texts += [
        line
        for document in documents.values()
        for line in document.markdown.splitlines()
        if "**" in line and not any(value in line for value in contacts)
    ]
    assert len(texts) > 300
    flagged = [
        (text, verdict.findings)
        for text, verdict in zip(texts, check_many(texts), strict=True)
        if verdict.level != Level.OK
    ]
    assert flagged == []


def test_the_exceptions_are_only_the_company_contact_details(profile: CompanyProfile) -> None:
    contacts = own_contacts(profile)
    assert "0120-000-123" in contacts and "koho@minato-jyuken.example.jp" in contacts
    assert "045-000-7788" in contacts  # the outside lawyer's number, written in a deputy field
    assert wording_policy(profile).exceptions == contacts
    # the same numbers in someone's private post are still personal data
    assert check("山田さんの携帯は 080-0000-1001 です").level != Level.OK


def test_headings_tables_and_lists_are_all_checked(documents: dict[DocumentKind, BuiltDocument]) -> None:
    manual = documents[DocumentKind.CRISIS_MANUAL]
    texts = paragraphs(manual)
    blocks = parse(manual.markdown)
    assert len(texts) >= len(blocks)
    assert "炎上対応マニュアル" in texts
    assert any(text.startswith("謝罪　当社に非があることが確認できたとき") for text in texts)
