"""Loads the mkdocs hook (scripts/docs_hook.py) and its `docsgen` package for the tests, as mkdocs would."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.docs.examples import REPOSITORY

HOOK = REPOSITORY / "scripts" / "docs_hook.py"


def load_hook() -> ModuleType:
    """The hook module, imported once under the name `docs_hook`; it puts scripts/ (docsgen) on sys.path."""
    if "docs_hook" in sys.modules:
        return sys.modules["docs_hook"]
    spec = importlib.util.spec_from_file_location("docs_hook", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["docs_hook"] = module
    spec.loader.exec_module(module)
    return module
