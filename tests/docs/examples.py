"""The runnable examples of the documentation, read from the Markdown pages under docs/.

Every ```sh and ```python block of a page is an example and runs, in page order, in one temporary folder per
page (so a page's later commands see what its earlier ones made, as a reader following it would), against
the installed `.venv/bin/hikeshi`. The folder has `data/` and `examples/` of the checkout linked in, so a
command written for the checkout (`hikeshi ingest ... data/replay/minato_flame.jsonl`) works as written.

Markers, as an HTML comment on the line just before a block (invisible on the page):

- `<!-- docs-test: skip 理由 -->`: not run; the reason is shown as the test's skip reason. For examples that
  need the network, a running server or a real installation step.
- `<!-- docs-test: exit N -->`: the example is expected to end with exit status N (e.g. 1 for a draft the
  guard calls dangerous in a script that checks `$?`).

A block with a file name as its title (```` ```yaml title="policy.yaml" ````) is written into the page's
folder before the examples after it run. A ```text block titled 「出力」 right after an example lists lines
the example must print: each non-blank line must appear in one line of its output, where `...` stands for
any text in between (a line of only `...` is ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
DOCS = REPOSITORY / "docs"
RUNNABLE = {"sh": "sh", "bash": "sh", "python": "python"}
OUTPUT_TITLE = "出力"

_FENCE = re.compile(r"^(?P<indent> {0,4})(?P<fence>```+|~~~+)\s*(?P<info>[^\n]*)$")
_MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<verb>skip|exit)\b\s*(?P<rest>.*?)\s*-->\s*$")
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_FILE_NAME = re.compile(r"^[\w.-]+\.(?:ya?ml|json|jsonl|csv|txt|md|py)$")


@dataclass
class Block:
    """One fenced block of a page."""

    page: Path
    line: int
    language: str
    title: str | None
    code: str
    skip: str | None = None
    exit_status: int = 0
    expected_output: list[str] = field(default_factory=list)

    @property
    def runnable(self) -> bool:
        return self.language in RUNNABLE and self.title != OUTPUT_TITLE

    @property
    def file_name(self) -> str | None:
        """The file this block defines, when its title is a plain file name."""
        if self.language in RUNNABLE or self.title is None:
            return None
        return self.title if _FILE_NAME.match(self.title) else None

    @property
    def location(self) -> str:
        return f"{self.page.relative_to(REPOSITORY)}:{self.line}"


def read_blocks(page: Path) -> list[Block]:
    """Fenced blocks of a Markdown page, with the markers that precede them and their expected output."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence, info = opening["indent"], opening["fence"], opening["info"].strip()
        language = info.split()[0].lstrip(".{").rstrip("}") if info else ""
        title_match = _TITLE.search(info)
        body: list[str] = []
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            body.append(lines[end][len(indent) :] if lines[end].startswith(indent) else lines[end])
            end += 1
        block = Block(
            page=page,
            line=index + 1,
            language=language,
            title=title_match["title"] if title_match else None,
            code="\n".join(body) + "\n",
        )
        marker = _MARKER.match(lines[index - 1]) if index > 0 else None
        if marker is not None:
            if marker["verb"] == "skip":
                block.skip = marker["rest"] or "理由が書かれていません"
            else:
                block.exit_status = int(marker["rest"])
        if block.title == OUTPUT_TITLE and blocks and blocks[-1].runnable:
            blocks[-1].expected_output = [
                line.strip() for line in body if line.strip() and line.strip() != "..."
            ]
        blocks.append(block)
        index = end + 1
    return blocks


def documentation_pages() -> list[Path]:
    """Hand-written pages (the reference pages are generated at build time and hold no examples)."""
    return sorted(path for path in DOCS.rglob("*.md") if "reference" not in path.relative_to(DOCS).parts)
