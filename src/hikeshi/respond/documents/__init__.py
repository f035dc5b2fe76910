"""The five basic SNS documents: written from a company profile, checked against a clause catalogue.

`build_documents(profile, playbook)` writes the SNSポリシー, SNS利用規約・運用方針, 従業員SNS利用規程,
SNSガイドライン and 炎上対応マニュアル (Markdown, then `to_html` / `to_docx`); the manual's phases, roles and
due times come from the same playbook the incident room runs. `check_document(path, kind)` reads a company's
own document and reports which required clauses it covers and which it lacks, with a reason for each.
"""

from hikeshi.respond.documents.builder import BuiltDocument, DocumentMeta, build_document, build_documents
from hikeshi.respond.documents.catalogue import Catalogue, Clause, load_catalogue
from hikeshi.respond.documents.checker import CheckReport, check_document, check_paragraphs
from hikeshi.respond.documents.profile import (
    CompanyProfile,
    DocumentKind,
    load_profile,
    write_profile_template,
)
from hikeshi.respond.documents.render import to_docx, to_html

__all__ = [
    "BuiltDocument",
    "Catalogue",
    "CheckReport",
    "Clause",
    "CompanyProfile",
    "DocumentKind",
    "DocumentMeta",
    "build_document",
    "build_documents",
    "check_document",
    "check_paragraphs",
    "load_catalogue",
    "load_profile",
    "to_docx",
    "to_html",
    "write_profile_template",
]
