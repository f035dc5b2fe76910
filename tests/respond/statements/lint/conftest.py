from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hikeshi.respond.statements.lint import LintFacts, load_lint_facts

DATA = Path(__file__).parent / "data"


def examples() -> list[dict[str, Any]]:
    """The team's rule-writing examples: each row has its text, the expected outcome and the dodge it shows."""
    with (DATA / "examples.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def facts() -> LintFacts:
    return load_lint_facts(DATA / "paper.yaml")
