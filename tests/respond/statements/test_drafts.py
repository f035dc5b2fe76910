"""Drafts from the example paper: every kind, every section, no negative-list word, X within its limit."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from hikeshi.respond.statements.drafts import (
    PRESS_HEADINGS,
    REDACTED,
    STATEMENT_HEADINGS,
    draft,
    draft_all,
    redact_negative,
)
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.qa import BUCKET_LABELS, Bucket, build_qa
from hikeshi.respond.statements.records import PUBLIC_KINDS, DraftKind, Inquiry
from hikeshi.respond.statements.xcount import X_LIMIT, x_length
from hikeshi.settings import Settings
from hikeshi.timezones import JST


@pytest.mark.parametrize("kind", list(DraftKind))
def test_every_kind_drafts(paper: PositionPaper, kind: DraftKind) -> None:
    result = draft(paper, kind)
    assert result.kind == kind and result.text.strip()
    if kind != DraftKind.SNS_X:  # posted from the company's own account, where every character counts
        assert paper.company.name in result.text
    assert result.public == (kind in PUBLIC_KINDS)
    assert result.warnings == []
    assert "{{" not in result.text and "{%" not in result.text


@pytest.mark.parametrize("kind", [DraftKind.STATEMENT, DraftKind.PRESS_RELEASE])
def test_full_statement_and_release_have_every_section(paper: PositionPaper, kind: DraftKind) -> None:
    text = draft(paper, kind).text
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    expected = (
        [heading for key, heading in STATEMENT_HEADINGS.items() if key not in ("apology", "contact")]
        + [PRESS_HEADINGS["customer_contact"], "会社概要", PRESS_HEADINGS["press_contact"]]
        if kind == DraftKind.PRESS_RELEASE
        else list(STATEMENT_HEADINGS.values())
    )
    assert headings == expected
    assert "お詫び申し上げます" in text  # the apology itself (the release has it in its lead)


def test_press_release_layout(paper: PositionPaper) -> None:
    lines = draft(paper, DraftKind.PRESS_RELEASE).text.splitlines()
    assert lines[0] == "報道関係者各位"
    head = lines[:6]
    assert "2026年3月14日" in head and "ミナト住建株式会社" in head
    assert f"# {paper.incident_title}" in head
    lead = lines[lines.index(f"# {paper.incident_title}") + 2]
    assert lead.startswith("このたび、") and "3名" in lead  # the lead says what, to whom, and how many
    text = "\n".join(lines)
    assert "| 代表者 | 代表取締役社長 港 一郎 |" in text
    assert paper.contacts.press.phone in text.split("報道関係者からのお問い合わせ先")[1]


@pytest.mark.parametrize("kind", list(DraftKind))
def test_negative_list_never_appears(paper: PositionPaper, kind: DraftKind) -> None:
    text = re.sub(r"\s", "", draft(paper, kind).text)
    for word in paper.negative_words:
        assert re.sub(r"\s", "", word) not in text


def test_a_leaked_name_is_redacted_with_a_warning(paper: PositionPaper) -> None:
    leaked = paper.model_copy(
        update={"summary": "当社の山岸翔太が、佐々木 美咲様に不適切なメッセージを送信しました"}
    )
    result = draft(leaked, DraftKind.HOLDING)
    assert "山岸" not in result.text and "佐々木" not in result.text
    assert f"当社の{REDACTED}が、{REDACTED}" in result.text
    topics = [warning for warning in result.warnings if "聞かれても言えないこと" in warning]
    assert len(topics) == 2 and all("山岸" not in warning for warning in topics)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("担当の山 岸翔太より", f"担当の{REDACTED}より"),  # spacing inside a name
        ("青葉区さつきが丘の現場", f"{REDACTED}の現場"),
        ("山岸地区の工事", f"{REDACTED}地区の工事"),  # a listed variant is redacted wherever it appears
        ("お客様に深くお詫び申し上げます", "お客様に深くお詫び申し上げます"),
    ],
)
def test_redact_negative(paper: PositionPaper, text: str, expected: str) -> None:
    assert redact_negative(text, paper)[0] == expected


def test_x_post_fits_and_links(paper: PositionPaper) -> None:
    text = draft(paper, DraftKind.SNS_X).text
    assert x_length(text) <= X_LIMIT
    assert paper.statement_url in text
    assert len(text) > 100  # the longest candidate that fits, not the shortest


def test_x_post_falls_back_to_a_shorter_candidate(paper: PositionPaper) -> None:
    long_summary = "当社の営業担当者が、" + "お客様への配慮を欠いた" * 12 + "メッセージを送信しました"
    result = draft(paper.model_copy(update={"summary": long_summary}), DraftKind.SNS_X)
    assert x_length(result.text) <= X_LIMIT
    assert paper.incident_title in result.text and result.warnings == []


def test_investigating_facts_name_the_next_date(paper: PositionPaper) -> None:
    for kind in (
        DraftKind.HOLDING,
        DraftKind.STATEMENT,
        DraftKind.PRESS_RELEASE,
        DraftKind.SNS,
        DraftKind.QA,
    ):
        text = draft(paper, kind).text
        assert "調査" in text and "3月31日（火）までに" in text, kind


def test_holding_statement_says_known_unknown_and_next_update(paper: PositionPaper) -> None:
    text = draft(paper, DraftKind.HOLDING).text
    assert "## 現在確認できている事実" in text and "## 現在確認中のこと" in text
    assert "2026年3月31日 17時までに、当社ウェブサイトで続報をお知らせします。" in text
    assert paper.contacts.public.phone in text and paper.contacts.press.phone not in text


def test_affected_count_is_the_same_in_every_document(paper: PositionPaper) -> None:
    for kind in (
        DraftKind.STATEMENT,
        DraftKind.PRESS_RELEASE,
        DraftKind.SNS,
        DraftKind.QA,
        DraftKind.CALL_SCRIPT,
        DraftKind.PRESS_KIT,
    ):
        text = draft(paper, kind).text
        counts = set(re.findall(r"(\d+)名", text))
        assert counts == {"3"}, (kind, counts)


def test_internal_timeline_entries_stay_internal(paper: PositionPaper) -> None:
    text = draft(paper, DraftKind.STATEMENT).text
    assert "ポジションペーパー初版" not in text
    assert "2026年3月12日 21時10分" in text


def test_qa_buckets_cover_topics_and_time_frames(paper: PositionPaper) -> None:
    qa = build_qa(paper)
    assert {entry.bucket for entry in qa} == set(Bucket)
    assert {entry.topic for entry in qa} >= {"facts", "risk", "cause", "responsibility", "prevention"}
    assert {entry.frame for entry in qa} == {"past", "present", "future"}
    cannot = [entry for entry in qa if entry.bucket == Bucket.CANNOT]
    assert [entry.question for entry in cannot[:2]] == [
        "お客様のお名前を教えてください。",
        "当該営業担当者の氏名を教えてください。",
    ]
    text = draft(paper, DraftKind.QA).text
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")][1:] == list(
        BUCKET_LABELS.values()
    )


def test_inquiries_feed_the_qa(paper: PositionPaper) -> None:
    at = dt.datetime(2026, 3, 14, 10, 5, tzinfo=JST)
    inquiries = [
        Inquiry(at=at, question="ミナト住建で建てた家の保証は続きますか？"),
        Inquiry(at=at, question="ミナト住建で建てた家の保証は続きますか", repeat=True),  # same question again
        Inquiry(at=at, question="問い合わせはどこにすればよいですか？"),  # already in the Q&A
        Inquiry(at=at, question="担当者は変えてもらえますか", answer="ご希望に応じて担当を変更いたします。"),
    ]
    added = [entry for entry in build_qa(paper, inquiries) if entry.topic == "inquiry"]
    assert [entry.question for entry in added] == [
        "ミナト住建で建てた家の保証は続きますか？",
        "担当者は変えてもらえますか",
    ]
    assert added[0].to_complete and not added[1].to_complete
    text = draft(paper, DraftKind.QA, inquiries=inquiries).text
    assert (
        "ミナト住建で建てた家の保証は続きますか？" in text and "【要回答作成: お問い合わせから追加】" in text
    )
    assert (
        "ご希望に応じて担当を変更いたします。"
        in draft(paper, DraftKind.CALL_SCRIPT, inquiries=inquiries).text
    )


def test_call_script_and_press_kit_sections(paper: PositionPaper) -> None:
    script = draft(paper, DraftKind.CALL_SCRIPT).text
    for heading in (
        "第一声",
        "キーメッセージ",
        "よくあるご質問",
        "言ってはいけないこと",
        "エスカレーション",
        "通話を終えるとき",
        "カスハラ",
        "問い合わせ記録の様式",
    ):
        assert heading in script
    assert "お客様のお名前（お客様の個人情報のため）" in script
    kit = draft(paper, DraftKind.PRESS_KIT).text
    for heading in ("キーメッセージ", "冒頭発言", "想定問答", "役割", "チェックリスト"):
        assert heading in kit
    assert "代表取締役社長の港 一郎" in kit and "- [ ] " in kit


def test_company_templates_override_the_bundled_ones(paper: PositionPaper, tmp_path: Path) -> None:
    (tmp_path / "holding.md.j2").write_text(
        "# {{ paper.company.name }} 第一報\n{{ paper.summary }}\n次回: {{ paper.next_update | jdatetime }}\n",
        encoding="utf-8",
    )
    settings = Settings(statement_templates_dir=tmp_path)
    text = draft(paper, DraftKind.HOLDING, settings=settings).text
    assert text.startswith("# ミナト住建株式会社 第一報\n") and "次回: 2026年3月31日 17時" in text
    # kinds the company did not override still come from the bundled templates
    assert "## お詫び" in draft(paper, DraftKind.STATEMENT, settings=settings).text


def test_broken_company_template_is_a_clear_error(paper: PositionPaper, tmp_path: Path) -> None:
    from hikeshi.errors import ConfigError

    (tmp_path / "sns.md.j2").write_text("{{ paper.company.name }\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="テンプレートの書式が正しくありません"):
        draft(paper, DraftKind.SNS, settings=Settings(statement_templates_dir=tmp_path))
    (tmp_path / "sns.md.j2").write_text("{{ paper.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="知らない値"):
        draft(paper, DraftKind.SNS, settings=Settings(statement_templates_dir=tmp_path))


def test_draft_all_is_every_kind(paper: PositionPaper) -> None:
    assert [result.kind for result in draft_all(paper)] == list(DraftKind)


@pytest.mark.parametrize("kind", list(DraftKind))
def test_every_kind_passes_its_own_linter(paper: PositionPaper, kind: DraftKind) -> None:
    lint = draft(paper, kind).lint
    assert lint.level == "ok", lint.result
    assert lint.result["missing"] == []
