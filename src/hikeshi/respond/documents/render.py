"""A built document as HTML (for the browser and for printing to PDF) and as Word (DOCX).

HR and legal teams edit rules in Word, so the DOCX is a real document: Japanese fonts set for East Asian text,
black headings, 号 with a hanging indent, a header with the company and the title, and page numbers (「3 / 9」)
in the footer. The HTML is a self-contained A4 page (inline CSS, autoescaped: a profile value is text, never
markup) that the reports layer prints to PDF with WeasyPrint; `respond` does not print PDF itself because the
printer lives above it (`hikeshi.reports.pdf`).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from markupsafe import Markup, escape

from hikeshi.respond.documents.builder import BuiltDocument
from hikeshi.respond.documents.catalogue import load_catalogue
from hikeshi.respond.documents.markdown import Block, BlockKind, parse, spans

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

TEMPLATES = Path(__file__).with_name("data") / "templates"
BODY_FONT = "游明朝"
HEADING_FONT = "游ゴシック"
CODE_FONT = "ＭＳ ゴシック"
_NEW_PAGE = ("様式", "付録")
_SIGNATURE = re.compile(r"^(\s*年\s*月\s*日|(所属|氏名|住所|部署)[（(\s　])")

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def inline(text: str) -> Markup:
    """Escaped text with ``**bold**`` and ```code``` as tags: the only markup a document's Markdown may carry."""
    tags = {"bold": Markup("<strong>{}</strong>"), "code": Markup("<code>{}</code>")}
    return Markup("").join(tags[style].format(part) if style else escape(part) for part, style in spans(text))


def form_roles(blocks: list[Block]) -> list[str]:
    """How a form (様式) lays out its lines: its name centred, the date and the signature lines on the right.

    Markdown has no alignment, so a form's layout is read from its lines: the first short line after a
    「様式…」 heading is the form's name, 「年　月　日」 and 「所属」「氏名」 lines are where the signer writes.
    """
    roles: list[str] = []
    in_form = False
    previous: Block | None = None
    for block in blocks:
        role = ""
        if block.kind == BlockKind.HEADING:
            in_form = block.text.startswith("様式")
        elif in_form and block.kind == BlockKind.PARAGRAPH:
            text = block.text
            if previous is not None and previous.kind == BlockKind.HEADING and len(text) <= 12:
                role = "form-title"
            elif _SIGNATURE.match(text):
                role = "signature"
        roles.append(role)
        previous = block
    return roles


def to_html(document: BuiltDocument) -> str:
    """A self-contained, printable A4 page of the document."""
    template = _ENVIRONMENT.get_template("document.html.j2")
    blocks = parse(document.body)
    return template.render(
        meta=document.meta,
        blocks=blocks,
        roles=form_roles(blocks),
        style=load_catalogue(document.kind).style.value,
        inline=inline,
    )


# --- Word ----------------------------------------------------------------------------------------------------


def _fonts(style_element: object, font: str) -> None:
    rpr = style_element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        rfonts.set(qn(attribute), font)


def _runs(paragraph: Paragraph, text: str) -> None:
    for part, style in spans(text):
        run = paragraph.add_run(part)
        if style == "bold":
            run.bold = True
        elif style == "code":
            run.font.name = CODE_FONT


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


def _styles(document: DocxDocument) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    _fonts(normal.element, BODY_FONT)
    for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 10.5), ("Title", 17)):
        style = document.styles[name]
        _fonts(style.element, HEADING_FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = True


def _page(document: DocxDocument, built: BuiltDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(22)
    section.left_margin = section.right_margin = Mm(20)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run(f"{built.meta.company}　{built.meta.title}　第{built.meta.version}版")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(paragraph, "PAGE")
        paragraph.add_run(" / ")
        _field(paragraph, "NUMPAGES")


def _control_block(document: DocxDocument, built: BuiltDocument) -> None:
    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(built.meta.title)
    company = document.add_paragraph()
    company.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    company.add_run(built.meta.company)
    rows = built.meta.rows()
    table = document.add_table(rows=len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    for (label, value), row in zip(rows, table.rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(value)
    document.add_paragraph()


def _table(document: DocxDocument, block: Block) -> None:
    columns = max(len(row) for row in block.rows)
    table = document.add_table(rows=len(block.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    for row_index, row in enumerate(block.rows):
        for column, text in enumerate(row):
            target = table.cell(row_index, column).paragraphs[0]
            _runs(target, text)
            for run in target.runs:
                run.font.size = Pt(9.5)
                if row_index == 0:
                    run.bold = True


def _block(document: DocxDocument, block: Block, role: str = "") -> None:
    if block.kind == BlockKind.HEADING:
        heading = document.add_heading(level=max(2, min(block.level, 3)))
        if block.text.startswith(_NEW_PAGE):
            heading.paragraph_format.page_break_before = True
        _runs(heading, block.text)
    elif block.kind in (BlockKind.BULLET, BlockKind.CHECK):
        paragraph = document.add_paragraph(style="List Bullet" if block.kind == BlockKind.BULLET else None)
        _runs(paragraph, ("☐ " if block.kind == BlockKind.CHECK else "") + block.text)
    elif block.kind == BlockKind.TABLE:
        _table(document, block)
    elif block.kind == BlockKind.CODE:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(10.5)
        for index, line in enumerate(block.text.splitlines()):
            if index:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            run = paragraph.add_run(line)
            run.font.size = Pt(9)
            run.font.name = CODE_FONT
    else:
        paragraph = document.add_paragraph()
        layout = paragraph.paragraph_format
        if block.kind == BlockKind.ITEM:
            layout.left_indent, layout.first_line_indent = Pt(31.5), Pt(-26.25)
        elif block.kind == BlockKind.NUMBERED:
            layout.left_indent, layout.first_line_indent = Pt(10.5), Pt(-10.5)
        elif role == "form-title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            layout.space_before, layout.space_after = Pt(12), Pt(12)
        elif role == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            layout.space_before = Pt(12)
        else:
            layout.first_line_indent = Pt(10.5)
        _runs(paragraph, block.text)
        if role == "form-title":
            for run in paragraph.runs:
                run.font.size, run.bold = Pt(16), True


def to_docx(built: BuiltDocument) -> bytes:
    """The document as Word bytes (A4, Japanese fonts, header, page numbers)."""
    document: DocxDocument = Document()
    _styles(document)
    _page(document, built)
    properties = document.core_properties
    properties.title = built.meta.title
    properties.author = built.meta.owner
    properties.subject = built.meta.company
    properties.version = built.meta.version
    properties.comments = f"次回見直し予定日 {built.meta.next_review.isoformat()}"
    _control_block(document, built)
    blocks = parse(built.body)
    for block, role in zip(blocks, form_roles(blocks), strict=True):
        _block(document, block, role)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
