"""HTML and Word from a built document: the control block, Japanese layout, page numbers, and escaped values."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from hikeshi.respond.documents import (
    BuiltDocument,
    DocumentKind,
    build_document,
    load_profile,
    to_docx,
    to_html,
)
from hikeshi.respond.documents.markdown import BlockKind, parse, plain, spans
from hikeshi.respond.documents.render import form_roles
from hikeshi.respond.playbooks import load_playbook
from tests.respond.documents.conftest import EXAMPLE


def test_word_has_the_control_block_headings_tables_and_page_numbers(
    documents: dict[DocumentKind, BuiltDocument],
) -> None:
    document = Document(io.BytesIO(to_docx(documents[DocumentKind.EMPLOYEE_RULES])))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "従業員ソーシャルメディア利用規程" and texts[1] == "ミナト住建株式会社"
    control = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert control["版数"] == "第1.0版" and control["次回見直し予定日"] == "2027年4月1日"
    assert control["所管部署（文書の責任者）"] == "人事部"
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert (
        headings[0] == "第1条（目的）"
        and "第10条（懲戒）" in headings
        and headings[-1] == "様式第1号（第11条関係）"
    )
    section = document.sections[0]
    assert "ミナト住建株式会社" in section.header.paragraphs[0].text
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    item = next(p for p in document.paragraphs if p.text.startswith("（1）秘密情報"))
    assert item.paragraph_format.first_line_indent is not None and item.paragraph_format.first_line_indent < 0
    assert document.core_properties.version == "1.0"
    assert "誓約書" in texts and any(text.startswith("氏名（自署）") for text in texts)


def test_html_is_a_printable_page_with_the_form_laid_out(
    documents: dict[DocumentKind, BuiltDocument],
) -> None:
    html = to_html(documents[DocumentKind.EMPLOYEE_RULES])
    assert html.startswith("<!doctype html>") and "@page" in html and "counter(pages)" in html
    assert '<td class="version">第1.0版</td>' in html
    assert '<p class="paragraph form-title">誓約書</p>' in html
    assert '<p class="paragraph signature">氏名（自署）' in html
    assert '<h2 class="newpage">様式第1号（第11条関係）</h2>' in html
    assert '<p class="item">（1）秘密情報' in html


def test_profile_values_are_text_never_markup(tmp_path: Path) -> None:
    source = EXAMPLE.read_text(encoding="utf-8").replace(
        "name: ミナト住建株式会社", "name: '<script>alert(1)</script>ミナト住建株式会社'"
    )
    path = tmp_path / "profile.yaml"
    path.write_text(source, encoding="utf-8")
    document = build_document(DocumentKind.SNS_POLICY, load_profile(path), load_playbook())
    html = to_html(document)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;ミナト住建株式会社" in html


def test_inline_marks_and_blocks() -> None:
    assert spans("a **b** `c` d") == [("a ", ""), ("b", "bold"), (" ", ""), ("c", "code"), (" d", "")]
    assert spans("odd ** mark") == [("odd ** mark", "")]
    assert plain("`--channel` と **読み手**") == "--channel と 読み手"
    blocks = parse(
        "## 第1条（目的）\n\n本文。\n\n2　第2項。\n\n（1）号。\n\n- 箇条\n- [ ] 確認\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```\nhikeshi check\n```"
    )
    assert [block.kind for block in blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.NUMBERED,
        BlockKind.ITEM,
        BlockKind.BULLET,
        BlockKind.CHECK,
        BlockKind.TABLE,
        BlockKind.CODE,
    ]
    assert blocks[6].rows == [["a", "b"], ["1", "2"]] and blocks[7].text == "hikeshi check"


def test_form_roles_only_inside_a_form() -> None:
    blocks = parse(
        "## 第1条（目的）\n\n誓約書\n\n## 様式第1号\n\n誓約書\n\n本文です。\n\n年　　月　　日\n\n氏名（自署）　＿＿"
    )
    assert form_roles(blocks) == ["", "", "", "form-title", "", "signature", "signature"]
