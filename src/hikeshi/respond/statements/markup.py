"""The small Markdown the statement templates write, read back as blocks for DOCX and HTML.

Drafts use headings (``#``–``###``), paragraphs (one per line: Japanese letters break lines where the writer
did), ``-`` lists, ``- [ ]`` checklists, ``|`` tables and ``**bold**``. Reading exactly that subset keeps the
DOCX and the PDF faithful to the Markdown a person reviewed, and `to_html` escapes every character of text, so
nothing in a paper's free text can become markup in the PDF.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*]\s+(?:\[( |x)\]\s+)?(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


@dataclass(frozen=True)
class Block:
    """One block: kind is heading, paragraph, bullet, check or table."""

    kind: str
    text: str = ""
    level: int = 0
    checked: bool = False
    rows: list[list[str]] = field(default_factory=list)


def parse(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    table: list[list[str]] = []

    def flush_table() -> None:
        if table:
            blocks.append(Block("table", rows=list(table)))
            table.clear()

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if line.startswith("|") and line.endswith("|"):
            if not _TABLE_RULE.match(line):
                table.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        flush_table()
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            blocks.append(Block("heading", heading.group(2).strip(), level=len(heading.group(1))))
        elif bullet:
            indent = len(bullet.group(1)) // 2
            if bullet.group(2) is not None:
                blocks.append(Block("check", bullet.group(3), level=indent, checked=bullet.group(2) == "x"))
            else:
                blocks.append(Block("bullet", bullet.group(3), level=indent))
        elif raw.startswith("  ") and blocks and blocks[-1].kind == "bullet":
            blocks.append(Block("paragraph", line.strip(), level=blocks[-1].level + 1))
        else:
            blocks.append(Block("paragraph", line.strip()))
    flush_table()
    return blocks


def spans(text: str) -> list[tuple[str, bool]]:
    """``a **b** c`` → [("a ", False), ("b", True), (" c", False)]; an odd ``**`` is kept as text."""
    parts = text.split("**")
    if len(parts) % 2 == 0:
        return [(text, False)]
    return [(part, index % 2 == 1) for index, part in enumerate(parts) if part]


def _inline_html(text: str) -> str:
    return "".join(
        f"<strong>{html.escape(part)}</strong>" if bold else html.escape(part) for part, bold in spans(text)
    )


def to_html(markdown: str, title: str) -> str:
    """A printable HTML page (Japanese fonts, A4 margins) with every text escaped."""
    body: list[str] = []
    list_open = False
    for block in parse(markdown):
        if block.kind in ("bullet", "check") and not list_open:
            body.append("<ul>")
            list_open = True
        elif (
            block.kind not in ("bullet", "check")
            and list_open
            and not (block.kind == "paragraph" and block.level)
        ):
            body.append("</ul>")
            list_open = False
        if block.kind == "heading":
            body.append(f"<h{block.level}>{_inline_html(block.text)}</h{block.level}>")
        elif block.kind == "bullet":
            body.append(f'<li class="l{block.level}">{_inline_html(block.text)}</li>')
        elif block.kind == "check":
            box = "☑" if block.checked else "☐"
            body.append(f'<li class="check">{box} {_inline_html(block.text)}</li>')
        elif block.kind == "table":
            rows = []
            for index, row in enumerate(block.rows):
                cell = "th" if index == 0 else "td"
                rows.append("<tr>" + "".join(f"<{cell}>{_inline_html(c)}</{cell}>" for c in row) + "</tr>")
            body.append("<table>" + "".join(rows) + "</table>")
        else:
            indent = ' class="sub"' if block.level else ""
            body.append(f"<p{indent}>{_inline_html(block.text)}</p>")
    if list_open:
        body.append("</ul>")
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


_CSS = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "Noto Serif CJK JP", "Noto Sans CJK JP", serif; font-size: 10.5pt; line-height: 1.75;
       color: #111; }
h1 { font-size: 15pt; text-align: center; margin: 1.2em 0 1em; }
h2 { font-size: 12pt; border-bottom: 1px solid #444; margin: 1.4em 0 0.4em; }
h3 { font-size: 11pt; margin: 1em 0 0.3em; }
p { margin: 0.2em 0; }
p.sub { margin-left: 2em; }
ul { margin: 0.2em 0 0.2em 1.2em; padding: 0; }
li.check { list-style: none; margin-left: -1.2em; }
li.l1 { margin-left: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #666; padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #eee; }
"""
