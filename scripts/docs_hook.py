"""The reference pages of the documentation, generated from the code at `mkdocs build` time so they cannot drift.

mkdocs loads this file as a hook (`hooks:` in mkdocs.yml); `on_files` adds the generated pages to the site
before the navigation is built. The pages are rendered by the `docsgen` package beside this file, from the
running code:

- every CLI command, argument and option from the Typer app (`hikeshi.cli.build_app()`),
- every setting from `hikeshi.settings.Settings` (and its subclasses) plus the environment variables that CLI
  options read,
- the REST API from the FastAPI app's OpenAPI document (also published as `reference/openapi.json`),
- the detector thresholds, and the playbook and policy-pack YAML schemas, from their pydantic models,
- ARCHITECTURE.md and CONTRIBUTING.md from the repository root.

Prose the code cannot give (a Japanese explanation of each setting and YAML key) is in `docsgen/notes.py`;
`tests/docs/test_reference.py` fails when one is missing. `python scripts/docs_hook.py OUT_DIR` writes the
pages without building the site.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # docsgen/, also when run as a script

from docsgen.api import api_page, openapi_document
from docsgen.cli import cli_page, settings_page
from docsgen.markdown import REPOSITORY
from docsgen.schemas import detectors_page, playbook_page, policy_page

CDN_HOSTS = (
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "ajax.googleapis.com",
    "use.fontawesome.com",
)
"""Hosts a built page must never load from (the site is read offline, from disk)."""


def reference_pages() -> dict[str, Callable[[], str]]:
    """Generated page path (under docs/) → renderer. The OpenAPI document is built once for both files."""
    cache: dict[str, dict[str, Any]] = {}

    def document() -> dict[str, Any]:
        if "openapi" not in cache:
            cache["openapi"] = openapi_document()
        return cache["openapi"]

    return {
        "developers/architecture.md": lambda: _root_document("ARCHITECTURE.md"),
        "developers/contributing.md": lambda: _root_document("CONTRIBUTING.md"),
        "reference/cli.md": cli_page,
        "reference/settings.md": settings_page,
        "reference/api.md": lambda: api_page(document()),
        "reference/openapi.json": lambda: json.dumps(document(), ensure_ascii=False, indent=2) + "\n",
        "reference/detectors.md": detectors_page,
        "reference/playbook.md": playbook_page,
        "reference/policy.md": policy_page,
    }


def _root_document(name: str) -> str:
    """ARCHITECTURE.md and CONTRIBUTING.md live at the repository root (where contributors look first);
    the site shows the same text, so there is one copy to keep up to date."""
    note = f"<!-- copied from {name} at the repository root by scripts/docs_hook.py; edit that file -->"
    return f"{note}\n\n{(REPOSITORY / name).read_text(encoding='utf-8')}"


def on_files(files: Any, config: Any) -> Any:
    """mkdocs hook: add the generated reference pages (they exist only in the built site)."""
    from mkdocs.structure.files import File

    for path, render in reference_pages().items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=render()))
    return files


def main(argv: list[str]) -> int:
    """Write the generated pages to a folder, for reading them without building the site."""
    if len(argv) != 1:
        print("使い方: python scripts/docs_hook.py 出力先フォルダー", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for path, render in reference_pages().items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(), encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
