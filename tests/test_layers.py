"""Imports only point down the layers of DESIGN.md, so that nothing below `respond` knows about incidents.

Each top-level module or package of `hikeshi` has a layer; a module may import its own layer and those below.
A new top-level module must be given a layer here, on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hikeshi"
LAYERS: dict[str, int] = {
    # the bottom: records, settings, errors, time, text, shared file formats
    "__init__": 0,
    "__main__": 7,
    "records": 0,
    "errors": 0,
    "settings": 0,
    "timezones": 0,
    "text": 0,
    "untrusted_json": 0,
    "pdf": 0,
    "config": 1,
    "detect": 1,
    "sources": 1,
    "store": 1,
    "analysis": 2,
    "guard": 2,
    "suggest": 2,
    "alerts": 2,
    "respond": 3,
    "ingest": 4,
    "reports": 4,
    "monitor": 5,
    "drills": 5,
    "report": 6,  # the web pages' view models (DESIGN: they belong in web/views/)
    "web": 6,
    "demo": 7,
    "cli": 7,
}


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)


def _top(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imported_tops(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "hikeshi" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_top_level_module_has_a_layer() -> None:
    tops = {_top(path) for path in _modules()}
    assert sorted(tops - set(LAYERS)) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    own = LAYERS.get(_top(path), 0)
    upward = sorted(name for name in _imported_tops(path) if LAYERS.get(name, 0) > own)
    assert upward == [], f"{path.relative_to(PACKAGE)} (layer {own}) imports a higher layer: {upward}"
