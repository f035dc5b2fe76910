"""`docs check` on the generated documents (nothing missing) and on documents companies write themselves."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document

from hikeshi.errors import InputError
from hikeshi.respond.documents import BuiltDocument, DocumentKind, check_document, check_paragraphs, to_docx
from hikeshi.respond.documents.checker import guess_kind
from hikeshi.respond.documents.reading import paragraphs_from_text


def _ids(clauses: list[object]) -> set[str]:
    return {clause.id for clause in clauses}  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_nothing_is_missing_in_the_generated_markdown_and_word(
    tmp_path: Path, documents: dict[DocumentKind, BuiltDocument], kind: DocumentKind
) -> None:
    markdown = tmp_path / f"{kind.value}.md"
    markdown.write_text(documents[kind].markdown, encoding="utf-8")
    word = tmp_path / f"{kind.value}.docx"
    word.write_bytes(to_docx(documents[kind]))
    for path in (markdown, word):
        report = check_document(path)  # the kind is guessed from the title
        assert report.kind == kind and report.kind_guessed
        assert report.missing == []
        assert report.covered


def _without_discipline(markdown: str) -> str:
    removed = re.sub(r"## 第\d+条（懲戒）\n.*?(?=\n## )", "", markdown, flags=re.DOTALL)
    assert removed != markdown
    return removed


def test_removing_the_discipline_article_is_reported(
    tmp_path: Path, documents: dict[DocumentKind, BuiltDocument]
) -> None:
    path = tmp_path / "rules.md"
    path.write_text(_without_discipline(documents[DocumentKind.EMPLOYEE_RULES].markdown), encoding="utf-8")
    report = check_document(path, DocumentKind.EMPLOYEE_RULES)
    assert [(clause.id, clause.title) for clause in report.missing] == [("discipline", "懲戒")]
    assert "就業規則" in report.missing[0].reason


def test_removing_the_discipline_paragraphs_from_word_is_reported(
    tmp_path: Path, documents: dict[DocumentKind, BuiltDocument]
) -> None:
    document = Document(io.BytesIO(to_docx(documents[DocumentKind.EMPLOYEE_RULES])))
    body = document.element.body
    removing = False
    for paragraph in list(document.paragraphs):
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            removing = "懲戒" in paragraph.text
        if removing:
            body.remove(paragraph._element)
    path = tmp_path / "rules.docx"
    document.save(str(path))
    report = check_document(path, DocumentKind.EMPLOYEE_RULES)
    assert _ids(report.missing) == {"discipline"}


# Documents as companies write them: captions above articles, kanji item numbers, ■ headings, no Markdown.
CAPTION_RULES = """社員のソーシャルメディア利用に関する規則

（趣旨）
第一条　本規則は、社員がソーシャルメディアを利用する際の遵守事項を定めるものとする。
（適用）
第二条　本規則は、業務上の利用のほか、社員の私的な利用にも適用する。
（遵守事項）
第三条　社員は、次の行為をしてはならない。
一　会社の機密情報を書き込むこと
二　顧客の個人情報や写真を掲載すること
三　就業時間中に私的にSNSを閲覧すること
四　会社の名誉又は信用を毀損する投稿をすること
（制裁）
第四条　本規則に違反した者は、就業規則第70条に基づき懲戒処分とする。
"""

TERMS_WITH_MARKS = """みなと食堂 公式SNSアカウント運用ポリシー

■ 運用について
当社公式アカウントは、株式会社みなと食堂 広報室が運用しています。商品に関するお問い合わせは、お客様窓口（0120-000-000）までご連絡ください。

■ 投稿の削除について
以下に該当するコメントは、予告なく削除する場合があります。
・法令に違反するもの
・他の方を誹謗中傷するもの
・個人情報を含むもの
・営利目的の宣伝やスパム

■ 著作権について
当アカウントに掲載している写真・文章の著作権は当社に帰属します。無断転載はご遠慮ください。

■ 免責事項
当アカウントの利用によって生じたトラブルについて、当社は一切の責任を負いません。
"""


@pytest.mark.parametrize(
    ("text", "kind", "covered", "missing"),
    [
        (
            CAPTION_RULES,
            DocumentKind.EMPLOYEE_RULES,
            {
                "purpose",
                "scope",
                "prohibitions",
                "prohibited_confidential",
                "prohibited_personal_info",
                "prohibited_work_hours",
                "prohibited_reputation",
                "discipline",
            },
            {"definitions", "reporting", "takedown", "account_management", "personal_opinion", "pledge"},
        ),
        (
            TERMS_WITH_MARKS,
            DocumentKind.TERMS_OF_USE,
            {
                "operator",
                "removal",
                "removal_illegal",
                "removal_defamation",
                "removal_privacy",
                "removal_commercial",
                "copyright",
                "disclaimer",
            },
            # 著作権 is in its own section, not among the removal criteria; nothing on politics or discrimination
            {"removal_ip", "removal_political_religious", "removal_discrimination", "impersonation", "hours"},
        ),
        (
            "（懲戒）\n第十条　従業員が本規程に違反したときは、就業規則第62条に定める懲戒処分を行う。",
            DocumentKind.EMPLOYEE_RULES,
            {"discipline"},
            {"purpose"},
        ),
        (
            "第8条（違反した場合の措置）\n会社は、規程に違反した者を、けん責、減給又は出勤停止とすることがある。",
            DocumentKind.EMPLOYEE_RULES,
            {"discipline"},
            {"pledge"},
        ),
        (
            "5. 緊急連絡網\n炎上に気付いた社員は、直ちに広報部へ報告する。\n\n6. 記者会見\n記者会見の要否は社長が判断する。",
            DocumentKind.CRISIS_MANUAL,
            {"reporting_flow", "statements"},
            {"calm", "review", "call_centre"},
        ),
        (
            "【ステマの禁止】\n当社は、広告であることを隠した宣伝を行いません。\n【お客様情報の保護】\n顧客の個人情報は投稿しません。",
            DocumentKind.SNS_POLICY,
            {"transparency", "customer_data"},
            {"scope", "corrections"},
        ),
    ],
)
def test_headings_written_differently_are_recognised(
    text: str, kind: DocumentKind, covered: set[str], missing: set[str]
) -> None:
    report = check_paragraphs(paragraphs_from_text(text), kind)
    assert covered <= _ids(report.covered), _ids(report.missing) & covered
    assert missing <= _ids(report.missing), _ids(report.covered) & missing


def test_a_mention_elsewhere_is_not_the_clause() -> None:
    # 懲戒 named only in the pledge, without the sanctions or the 就業規則 article, is no discipline clause
    text = "第1条（目的）\nこの規程は、SNSの利用について定めることを目的とする。\n\n誓約書\n違反した場合は懲戒処分を受けることを誓約します。\n氏名"
    report = check_paragraphs(paragraphs_from_text(text), DocumentKind.EMPLOYEE_RULES)
    assert "discipline" in _ids(report.missing)
    assert {"purpose", "pledge"} <= _ids(report.covered)


@pytest.mark.parametrize(
    ("opening", "kind"),
    [
        ("ソーシャルメディアポリシー", DocumentKind.SNS_POLICY),
        ("公式SNSアカウント運用方針", DocumentKind.TERMS_OF_USE),
        ("従業員ソーシャルメディア利用規程", DocumentKind.EMPLOYEE_RULES),
        ("SNS利用規則", DocumentKind.EMPLOYEE_RULES),
        ("SNS利用ガイドライン", DocumentKind.SNS_GUIDELINE),
        ("ネット炎上対応マニュアル", DocumentKind.CRISIS_MANUAL),
    ],
)
def test_the_kind_is_guessed_from_the_title(opening: str, kind: DocumentKind) -> None:
    assert guess_kind(paragraphs_from_text(f"{opening}\n\n本文です。")) == kind


def test_shift_jis_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "rules.txt"
    path.write_bytes(CAPTION_RULES.encode("cp932"))
    assert "discipline" in _ids(check_document(path, DocumentKind.EMPLOYEE_RULES).covered)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word 文書（.docx）として読めません"),
        ("text.docx", "ただのテキスト".encode(), "Word 文書（.docx）として読めません"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "古い Word 形式（.doc）です"),
        ("policy.pdf", b"%PDF-1.7", "PDF です"),
        ("policy.rtf", b"{\\rtf1}", "形式（.rtf）は読めません"),
        ("empty.md", b"\n\n", "本文がありません"),
        ("latin1.txt", b"\x81\xff\xfe", "文字コードを読めません"),
    ],
)
def test_unreadable_files_are_one_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        check_document(path, DocumentKind.SNS_POLICY)
    assert "\n" not in str(caught.value)
