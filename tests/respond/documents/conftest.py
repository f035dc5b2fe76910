"""The example company's profile, the bundled playbook and the five documents built from them, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hikeshi.respond.documents import (
    BuiltDocument,
    CompanyProfile,
    DocumentKind,
    build_documents,
    load_profile,
)
from hikeshi.respond.playbooks import Playbook, load_playbook

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "company_profile.yaml"


@pytest.fixture(scope="session")
def profile() -> CompanyProfile:
    return load_profile(EXAMPLE)


@pytest.fixture(scope="session")
def playbook() -> Playbook:
    return load_playbook()


@pytest.fixture(scope="session")
def documents(profile: CompanyProfile, playbook: Playbook) -> dict[DocumentKind, BuiltDocument]:
    return {document.kind: document for document in build_documents(profile, playbook)}
