"""Export: Markdown as is, a DOCX python-docx can open, a PDF printed by Chromium, a clear error without it."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import docx
import pytest

from hikeshi.errors import InputError
from hikeshi.respond.statements.drafts import draft
from hikeshi.respond.statements.export import ExportError, docx_bytes, export, pdf_bytes
from hikeshi.respond.statements.markup import parse, to_html
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import DraftKind
from hikeshi.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.parametrize("kind", [DraftKind.STATEMENT, DraftKind.PRESS_RELEASE, DraftKind.PRESS_KIT])
def test_docx_opens_and_keeps_the_structure(paper: PositionPaper, kind: DraftKind, tmp_path: Path) -> None:
    result = draft(paper, kind)
    path = export(result.text, result.title, tmp_path / "out.docx", Settings())
    document = docx.Document(str(path))
    texts = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(paper.company.name in text for text in texts + cells)
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings[0] == next(line[2:] for line in result.text.splitlines() if line.startswith("# "))
    assert document.core_properties.title == result.title
    if kind == DraftKind.PRESS_RELEASE:
        assert "会社概要" in headings and "代表取締役社長 港 一郎" in cells
    for word in paper.negative_words:
        assert all(word not in text for text in texts + cells)


def test_markdown_is_written_as_drafted(paper: PositionPaper, tmp_path: Path) -> None:
    result = draft(paper, DraftKind.HOLDING)
    path = export(result.text, result.title, tmp_path / "hold.md", Settings())
    assert path.read_text(encoding="utf-8") == result.text


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.md・\.docx・\.pdf"):
        export("# 題\n", "題", tmp_path / "out.txt", Settings())
    assert not (tmp_path / "out.txt").exists()


def test_missing_chromium_is_one_japanese_sentence(tmp_path: Path) -> None:
    settings = Settings(statement_chromium_path=str(tmp_path / "no-chromium"))
    with pytest.raises(ExportError, match=r"Chromium が必要です.*Word（\.docx）なら今すぐ書き出せます"):
        export("# 題\n", "題", tmp_path / "out.pdf", settings)
    assert not (tmp_path / "out.pdf").exists()


def test_html_escapes_every_text() -> None:
    page = to_html(
        "# <b>題</b>\n- <script>alert(1)</script>\n| a | <i>x</i> |\n| --- | --- |\n| **強調** | c&d |\n",
        "<t>",
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>題</b>" not in page and "<strong>強調</strong>" in page and "c&amp;d" in page
    assert "<title>&lt;t&gt;</title>" in page


def test_markup_blocks() -> None:
    blocks = parse("# 題\n\n本文\n- 項目\n  補足\n- [ ] 確認\n| a | b |\n| --- | --- |\n| 1 | 2 |\n")
    assert [(block.kind, block.text) for block in blocks] == [
        ("heading", "題"),
        ("paragraph", "本文"),
        ("bullet", "項目"),
        ("paragraph", "補足"),
        ("check", "確認"),
        ("table", ""),
    ]
    assert blocks[-1].rows == [["a", "b"], ["1", "2"]]


def test_docx_bytes_without_a_file() -> None:
    content = docx_bytes("# 題\n本文\n", "題", author="広報部")
    assert docx.Document(io.BytesIO(content)).core_properties.author == "広報部"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium がありません")
def test_pdf_is_printed_by_chromium(paper: PositionPaper) -> None:
    result = draft(paper, DraftKind.HOLDING)
    content = pdf_bytes(result.text, result.title, Settings())
    assert content.startswith(b"%PDF-")
    pypdf = pytest.importorskip("pypdf")
    text = unicodedata.normalize(
        "NFKC", "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    )
    assert "ミナト住建株式会社" in text and "お詫び申し上げます" in text  # selectable Japanese text
