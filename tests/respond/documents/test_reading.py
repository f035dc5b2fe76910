"""Headings recognised by their shape in text and Word, whatever style the company used."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from hikeshi.respond.documents.reading import heading_title, paragraphs_from_text, read_document


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("第10条（懲戒）", "懲戒"),
        ("第十条（制裁）", "制裁"),
        ("第５条　禁止事項", "禁止事項"),
        ("1. 目的", "目的"),
        ("１．適用範囲", "適用範囲"),
        ("3.2 公式アカウントの開設", "公式アカウントの開設"),
        ("【禁止事項】", "禁止事項"),
        ("■ 投稿の削除について", "投稿の削除について"),
        ("第2章 体制", "体制"),
        ("## 4. 体制と役割", "体制と役割"),
    ],
)
def test_heading_titles_lose_their_numbering(line: str, title: str) -> None:
    assert heading_title(line) == title


@pytest.mark.parametrize(
    ("text", "headings"),
    [
        ("（目的）\n第1条　この規程は、…を目的とする。", ["第1条（目的）"]),
        ("第5条（禁止事項）従業員は、次の行為をしてはならない。\n（1）秘密情報の投稿", ["第5条（禁止事項）"]),
        ("1. 目的\n本方針は、…定めます。\n2. 適用範囲\n全社員に適用します。", ["1. 目的", "2. 適用範囲"]),
        ("■ 免責事項\n当社は責任を負いません。", ["■ 免責事項"]),
        ("- 法令に違反するもの\n・公序良俗に反するもの\n一　会社の機密情報", []),
        ("| 役割 | 担当 |\n| --- | --- |\n| 広報 | 広報部長 |", []),
    ],
)
def test_headings_in_text(text: str, headings: list[str]) -> None:
    paragraphs = paragraphs_from_text(text)
    assert [paragraph.text for paragraph in paragraphs if paragraph.heading] == headings


def test_word_without_heading_styles(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("社員のSNS利用規則")
    document.add_paragraph("（懲戒）")
    document.add_paragraph("第9条　違反した者は、就業規則第70条により懲戒処分とする。")
    document.add_heading("附則", level=2)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "連絡先"
    table.cell(0, 1).text = "内線 100"
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "rules.docx"
    path.write_bytes(buffer.getvalue())
    paragraphs = read_document(path)
    assert [(p.text, p.level) for p in paragraphs if p.heading] == [
        ("社員のSNS利用規則", 3),
        ("第9条（懲戒）", 2),
        ("附則", 2),
    ]
    assert any(p.text == "連絡先　内線 100" for p in paragraphs)
