"""Consistency between the release, the Q&A, the script, the SNS posts and the position paper."""

from __future__ import annotations

from pathlib import Path

import docx  # python-docx: drafts are exported as .docx and PR teams edit them in Word
import pytest

from hikeshi.errors import InputError
from hikeshi.respond.statements.lint import LintFacts, MismatchKind
from hikeshi.respond.statements.lint.consistency import check_consistency
from hikeshi.respond.statements.lint.documents import Document, read_document

RELEASE = """2026年3月13日
湊ベーカリー株式会社
代表取締役社長 湊 健一

当社が令和8年3月10日から販売した「湊クリームパン」に、卵のアレルギー表示が漏れていたことが判明しました。
対象の商品は1,200個で、ご連絡をいただいたお客様は5名です。
原因は調査中で、2026年3月31日までに調査結果をご報告します。
お問い合わせ: お客様相談室 0120-555-010
"""
QA = """Q. 何個売れましたか。
A. 対象の商品は１，２００個です。
Q. 連絡してきたお客様は何人ですか。
A. ご連絡をいただいたお客様は５名です。
Q. いつから販売しましたか。
A. 3/10 に販売を開始しました。
Q. 原因はいつわかりますか。
A. 3月31日までにご報告します。
"""


def doc(name: str, text: str) -> Document:
    return Document(name, text.splitlines())


def test_the_same_facts_written_differently_agree(facts: LintFacts) -> None:
    assert check_consistency([doc("release.md", RELEASE), doc("qa.md", QA)], facts) == []
    assert check_consistency([doc("release.md", RELEASE), doc("qa.md", QA)]) == []


def test_a_number_changed_in_the_release_is_caught(facts: LintFacts) -> None:
    changed = RELEASE.replace("お客様は5名", "お客様は6名")
    mismatches = check_consistency([doc("release.md", changed), doc("qa.md", QA)], facts)
    assert [(m.kind, m.expected) for m in mismatches] == [(MismatchKind.COUNT, "5名")]
    assert [(m.file, m.line, m.value) for m in mismatches[0].mentions] == [("release.md", 6, "6名")]
    # without the paper the two documents still disagree, and both places are shown
    between = check_consistency([doc("release.md", changed), doc("qa.md", QA)])
    assert [m.kind for m in between] == [MismatchKind.COUNT]
    assert {(m.file, m.value) for m in between[0].mentions} == {("release.md", "6名"), ("qa.md", "5名")}


def test_counts_are_compared_by_what_they_count() -> None:
    first = doc("a.md", "お客様3名に直接お詫びしました。社員1名を処分しました。")
    second = doc("b.md", "3名のお客様にお詫びしました。処分した社員は2名です。")
    mismatches = check_consistency([first, second])
    assert [m.subject for m in mismatches] == ["名（社員）"]


def test_a_sub_count_is_not_a_contradiction() -> None:
    first = doc("a.md", "お客様3名に直接お詫びしました。")
    second = doc("b.md", "お客様3名のうち、お客様1名には電話でお詫びしました。")
    assert check_consistency([first, second]) == []


@pytest.mark.parametrize(
    ("one", "other", "agree"),
    [
        ("約1,200個", "1,180個", True),  # 約 allows 10 %
        ("1,200個", "1,180個", False),
        ("1200個以上", "1,300個", True),
    ],
)
def test_approximate_counts(one: str, other: str, agree: bool) -> None:
    first = doc("a.md", f"対象の商品は{one}です。")
    second = doc("b.md", f"対象の商品は{other}です。")
    assert (check_consistency([first, second]) == []) is agree


def test_dates_are_compared_by_their_event(facts: LintFacts) -> None:
    changed = QA.replace("3/10 に販売を開始", "3/11 に販売を開始")
    mismatches = check_consistency([doc("release.md", RELEASE), doc("qa.md", changed)], facts)
    assert [(m.kind, m.subject, m.expected) for m in mismatches] == [
        (MismatchKind.DATE, "販売の日付", "2026-03-10")
    ]
    deadline = check_consistency([doc("qa.md", QA.replace("3月31日までに", "4月3日までに"))], facts)
    assert [(m.subject, m.expected) for m in deadline] == [("報告の期日", "2026-03-31")]


def test_names_contacts_and_the_negative_list(facts: LintFacts) -> None:
    text = "代表取締役社長 湊 健二\nお問い合わせ: 0120-555-011\nお客様の田中花子様にお詫びしました。\n"
    mismatches = check_consistency([doc("script.md", text)], facts)
    kinds = {m.kind: m for m in mismatches}
    assert set(kinds) == {MismatchKind.NAME, MismatchKind.CONTACT, MismatchKind.NEGATIVE_LIST}
    assert kinds[MismatchKind.NAME].mentions[0].value == "湊健二"
    assert kinds[MismatchKind.CONTACT].mentions[0].value == "0120-555-011"
    assert kinds[MismatchKind.NEGATIVE_LIST].mentions[0].line == 3


def test_titled_and_quoted_names_between_documents() -> None:
    first = doc("a.md", "代表取締役社長 湊 健一\n「湊クリームパン」を回収します。")
    second = doc("b.md", "代表取締役社長 湊 健二\n「湊クリームバン」を回収します。")
    subjects = sorted(m.subject for m in check_consistency([first, second]))
    assert subjects == ["「」内の名称", "代表取締役社長の氏名"]


def test_reading_documents(tmp_path: Path) -> None:
    path = tmp_path / "release.md"
    path.write_text("\ufeff対象は５件です。\n", encoding="utf-8")
    assert read_document(path).lines == ["対象は５件です。"]
    with pytest.raises(InputError, match="見つかりません"):
        read_document(tmp_path / "none.md")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match=r"\.md・\.txt・\.docx"):
        read_document(tmp_path / "scan.pdf")
    (tmp_path / "sjis.txt").write_bytes("対象".encode("shift_jis"))
    with pytest.raises(InputError, match="UTF-8"):
        read_document(tmp_path / "sjis.txt")


def test_word_documents_are_compared_too(tmp_path: Path, facts: LintFacts) -> None:
    document = docx.Document()
    document.add_paragraph("当社が令和8年3月10日から販売した「湊クリームパン」について")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "ご連絡をいただいたお客様"
    table.rows[0].cells[1].text = "お客様は6名"
    path = tmp_path / "release.docx"
    document.save(str(path))
    read = read_document(path)
    assert read.lines[0].startswith("当社が令和8年3月10日")
    mismatches = check_consistency([read], facts)
    assert [(m.kind, m.mentions[0].line) for m in mismatches] == [(MismatchKind.COUNT, 2)]
    (tmp_path / "broken.docx").write_bytes(b"PK not really a zip")
    with pytest.raises(InputError, match="Word"):
        read_document(tmp_path / "broken.docx")
