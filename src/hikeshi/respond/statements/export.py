"""Writing a draft as Markdown, DOCX (python-docx) or PDF (headless Chromium printing the escaped HTML).

The PDF path prints the same HTML a browser would show, with Debian's Chromium through Playwright, the approach
the reports use; the reports package sits above `respond`, so this module prints for itself rather than import
it. The page is set from memory with scripts off and every request aborted: nothing in a statement can make
the printer fetch anything. Without Playwright or Chromium the user gets one Japanese sentence saying what to
install or which format still works, never a traceback.

Functions return bytes so the web can send a download without touching the disk; `export` writes a file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from hikeshi.errors import HikeshiError, InputError
from hikeshi.respond.statements.markup import parse, spans, to_html
from hikeshi.settings import Settings

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

FORMATS = (".md", ".docx", ".pdf")
BODY_FONT = "游明朝"
HEADING_FONT = "游ゴシック"
PDF_TIMEOUT_MS = 60_000


class ExportError(HikeshiError):
    """A format cannot be written on this machine (no Chromium for PDF); the message says what to do."""


def _east_asian_font(style_element: object, font: str) -> None:
    rpr = style_element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font)
    rfonts.set(qn("w:ascii"), font)
    rfonts.set(qn("w:hAnsi"), font)


def _runs(paragraph: Paragraph, text: str) -> None:
    for part, bold in spans(text):
        run = paragraph.add_run(part)
        run.bold = bold or None


def docx_bytes(markdown: str, title: str, *, author: str = "") -> bytes:
    """A Word document of the draft, with Japanese fonts set for East Asian text (Word picks them per script)."""
    document: DocxDocument = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    _east_asian_font(normal.element, BODY_FONT)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        _east_asian_font(document.styles[name].element, HEADING_FONT)
    document.core_properties.title = title
    document.core_properties.author = author
    for block in parse(markdown):
        if block.kind == "heading":
            _runs(document.add_heading(level=block.level), block.text)
        elif block.kind == "bullet":
            _runs(document.add_paragraph(style="List Bullet 2" if block.level else "List Bullet"), block.text)
        elif block.kind == "check":
            _runs(document.add_paragraph(), ("☑ " if block.checked else "☐ ") + block.text)
        elif block.kind == "table":
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=columns)
            table.style = document.styles["Table Grid"]
            for row_index, row in enumerate(block.rows):
                for column, cell in enumerate(row):
                    target = table.cell(row_index, column).paragraphs[0]
                    _runs(target, cell)
                    if row_index == 0:
                        for run in target.runs:
                            run.bold = True
        else:
            paragraph = document.add_paragraph()
            if block.level:
                paragraph.paragraph_format.left_indent = Pt(21 * block.level)
            _runs(paragraph, block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_missing(settings: Settings) -> str | None:
    """Why a PDF cannot be printed here (Japanese), or None when Playwright and Chromium are present."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "PDF の書き出しには Playwright が必要です（pip install playwright）。"
            "Markdown（.md）か Word（.docx）なら今すぐ書き出せます。"
        )
    if not Path(settings.statement_chromium_path).exists():
        return (
            f"PDF の書き出しには Chromium が必要ですが、{settings.statement_chromium_path} が見つかりません。"
            "Debian・Ubuntu なら apt-get install chromium でインストールするか、HIKESHI_STATEMENT_CHROMIUM_PATH "
            "にその場所を設定してください。Markdown（.md）か Word（.docx）なら今すぐ書き出せます。"
        )
    return None


def pdf_bytes(markdown: str, title: str, settings: Settings) -> bytes:
    """An A4 PDF with selectable Japanese text, printed by headless Chromium from the escaped HTML."""
    missing = pdf_missing(settings)
    if missing is not None:
        raise ExportError(missing)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    page_html = to_html(markdown, title)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=settings.statement_chromium_path,
                args=["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            try:
                context = browser.new_context(java_script_enabled=False, service_workers="block")
                page = context.new_page()
                page.route("**/*", lambda route: route.abort())
                page.set_content(page_html, wait_until="load", timeout=PDF_TIMEOUT_MS)
                return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()
    except PlaywrightError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ExportError(
            f"Chromium で PDF を作れませんでした（{first_line}）。Markdown（.md）か Word（.docx）で書き出してください。"
        ) from None


def render_bytes(markdown: str, title: str, suffix: str, settings: Settings) -> bytes:
    """The draft in the format named by `suffix` (.md, .docx or .pdf)."""
    suffix = suffix.lower()
    if suffix == ".md":
        return markdown.encode("utf-8")
    if suffix == ".docx":
        return docx_bytes(markdown, title)
    if suffix == ".pdf":
        return pdf_bytes(markdown, title, settings)
    raise InputError(
        f"書き出せる形式は {'・'.join(FORMATS)} です（{suffix or '拡張子なし'} が指定されました）。"
    )


def export(markdown: str, title: str, path: Path, settings: Settings) -> Path:
    """Write the draft to `path` in the format its extension names; nothing is written when that fails."""
    content = render_bytes(markdown, title, path.suffix, settings)
    try:
        path.write_bytes(content)
    except OSError as error:
        raise InputError(f"{path} に書き込めません: {error.strerror}") from None
    return path
