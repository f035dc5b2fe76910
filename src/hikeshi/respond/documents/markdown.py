"""The small Markdown the document templates write, read back as blocks for HTML, DOCX and the guard.

Japanese rules are not set like English prose: a 項 starts 「2　」 and a 号 starts 「（1）」, each with a hanging
indent, so those paragraphs are their own kinds here and every output indents them the same way. Besides
that: headings (``#``–``###``), paragraphs separated by blank lines, ``-`` lists, ``- [ ]`` checklists,
``|`` tables, fenced code and ``**bold**``. Every text stays plain text; the HTML template escapes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*]\s+(?:\[( |x)\]\s+)?(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_ITEM = re.compile(r"^[（(][0-9０-９]{1,3}[)）]")  # （1） a 号
_PARAGRAPH_NUMBER = re.compile(r"^[0-9０-９]{1,3}　")  # 2　 a 項


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    NUMBERED = "numbered"  # 2　… (a 項 of an article, or a numbered step)
    ITEM = "item"  # （1）… (a 号)
    BULLET = "bullet"
    CHECK = "check"
    TABLE = "table"
    CODE = "code"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)

    def texts(self) -> list[str]:
        """The plain texts of the block, one per paragraph or table cell row, bold marks removed."""
        if self.kind == BlockKind.TABLE:
            return ["　".join(plain(cell) for cell in row) for row in self.rows]
        return [plain(self.text)]


def _paragraph(text: str) -> Block:
    if _ITEM.match(text):
        return Block(BlockKind.ITEM, text)
    if _PARAGRAPH_NUMBER.match(text):
        return Block(BlockKind.NUMBERED, text)
    return Block(BlockKind.PARAGRAPH, text)


def parse(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    table: list[list[str]] = []
    code: list[str] | None = None
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if code is not None:
            if line.strip().startswith("```"):
                blocks.append(Block(BlockKind.CODE, "\n".join(code)))
                code = None
            else:
                code.append(line)
            continue
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            if not _TABLE_RULE.match(line):
                table.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if table:
            blocks.append(Block(BlockKind.TABLE, rows=list(table)))
            table.clear()
        if line.strip().startswith("```"):
            code = []
            continue
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            blocks.append(Block(BlockKind.HEADING, heading.group(2).strip(), level=len(heading.group(1))))
        elif bullet:
            kind = BlockKind.CHECK if bullet.group(2) is not None else BlockKind.BULLET
            blocks.append(Block(kind, bullet.group(3).strip(), level=len(bullet.group(1)) // 2))
        else:
            blocks.append(_paragraph(line.strip()))
    if table:
        blocks.append(Block(BlockKind.TABLE, rows=list(table)))
    if code is not None:
        blocks.append(Block(BlockKind.CODE, "\n".join(code)))
    return blocks


_INLINE = re.compile(r"(\*\*.+?\*\*|`[^`]+`)")


def spans(text: str) -> list[tuple[str, str]]:
    """Inline styles: ``a **b** `c` `` → [("a ", ""), ("b", "bold"), (" ", ""), ("c", "code")].

    An odd ``**`` or a lone backtick stays as text.
    """
    result: list[tuple[str, str]] = []
    for part in _INLINE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            result.append((part[2:-2], "bold"))
        elif part.startswith("`") and part.endswith("`") and len(part) > 2:
            result.append((part[1:-1], "code"))
        else:
            result.append((part, ""))
    return result


def plain(text: str) -> str:
    """The text a reader sees, without the inline marks."""
    return "".join(part for part, _ in spans(text))


def cell(value: object) -> str:
    """A value that is safe inside a Markdown table cell: no pipe, no line break."""
    return " ".join(str(value).split()).replace("|", "｜")
