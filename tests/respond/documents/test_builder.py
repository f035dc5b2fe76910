"""The five documents from the example profile: each names the company and its control block, and the crisis
manual's phases, roles and due times are the playbook's (change the playbook, the manual follows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hikeshi.respond.documents import (
    BuiltDocument,
    CompanyProfile,
    DocumentKind,
    build_document,
    load_catalogue,
)
from hikeshi.respond.documents.markdown import BlockKind, parse
from hikeshi.respond.playbooks import DEFAULT_PLAYBOOK, Playbook, load_playbook


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_each_document_names_the_company_and_its_control_block(
    documents: dict[DocumentKind, BuiltDocument], kind: DocumentKind
) -> None:
    markdown = documents[kind].markdown
    assert markdown.startswith(f"# {load_catalogue(kind).title}\n\nミナト住建株式会社\n")
    assert "| 版数 | 第1.0版 |" in markdown
    assert "| 制定日 | 2026年4月1日 |" in markdown
    assert "| 次回見直し予定日 | 2027年4月1日 |" in markdown
    owner = {"employee_rules": "人事部"}.get(kind.value, "広報部")
    assert f"| 所管部署（文書の責任者） | {owner} |" in markdown
    assert "{{" not in markdown and "{%" not in markdown and "}}" not in markdown


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_section_of_the_catalogue_is_a_heading(
    documents: dict[DocumentKind, BuiltDocument], kind: DocumentKind
) -> None:
    headings = [block.text for block in parse(documents[kind].body) if block.kind == BlockKind.HEADING]
    for clause in load_catalogue(kind).sections():
        assert any(clause.title in heading or (clause.heading and "様式" in heading) for heading in headings)


def test_rules_are_numbered_as_articles_and_cross_references_follow(
    documents: dict[DocumentKind, BuiltDocument],
) -> None:
    body = documents[DocumentKind.EMPLOYEE_RULES].body
    articles = re.findall(r"^## 第(\d+)条（(.+?)）$", body, re.MULTILINE)
    assert [int(number) for number, _ in articles] == list(range(1, len(articles) + 1))
    numbers = {title: number for number, title in articles}
    assert f"第{numbers['禁止事項']}条の規定を守らない理由とはならない" in body
    assert f"## 様式第1号（第{numbers['教育及び誓約']}条関係）" in body
    assert body.index("## 附則") < body.index("## 様式第1号")
    discipline = body.split(f"第{numbers['懲戒']}条（懲戒）")[1].split("\n## ")[0]
    assert "就業規則第63条（懲戒の事由）" in discipline and "同規則第62条（懲戒の種類）" in discipline
    assert "けん責、減給、出勤停止、降格、諭旨解雇又は懲戒解雇の懲戒処分" in discipline


def test_the_terms_list_every_official_account_with_its_policies(
    documents: dict[DocumentKind, BuiltDocument], profile: CompanyProfile
) -> None:
    markdown = documents[DocumentKind.TERMS_OF_USE].markdown
    for account in profile.official_accounts:
        assert f"| {account.platform} | {account.handle} | {account.operator} |" in markdown
        assert f"- {account.platform}（{account.handle}）: {account.hours}" in markdown
    assert "| LINE 公式アカウント（@minato-jyuken） | 原則として行います | 受け付けます |" in markdown
    for criterion in (
        "法令",
        "公序良俗",
        "誹謗中傷",
        "プライバシー",
        "知的財産",
        "営利",
        "宗教",
        "虚偽",
        "差別",
    ):
        assert criterion in markdown.split("（投稿の削除）")[1].split("\n## ")[0]


def test_the_manual_is_long_enough_and_uses_the_profile_people(
    documents: dict[DocumentKind, BuiltDocument],
) -> None:
    manual = documents[DocumentKind.CRISIS_MANUAL].markdown
    assert len(manual) >= 4000
    assert "| 責任者 | 管理本部長（取締役） | 総務部長 |" in manual
    assert "代表取締役社長を本部長とする対策本部" in manual
    assert "炎上の兆候に気付いてから1時間以内に" in manual
    assert "| 1時間以内 | 証拠保全 | 記録係 |" in manual
    assert "| 翌営業日18時まで |" in manual
    assert "深刻度3以上のシグナルを検知すると" in manual
    assert "沈静化シグナルの後、12時間の間" in manual


def _custom_playbook(tmp_path: Path) -> Playbook:
    source = DEFAULT_PLAYBOOK.read_text(encoding="utf-8")
    replacements = [
        ("opening_severity: 3", "opening_severity: 2"),
        ("  hours: 12 ", "  hours: 6 "),
        ("title: 初動（1〜3 時間）", "title: 立ち上げ（2 時間以内）"),
        ("        role: commander\n        due: 60m", "        role: commander\n        due: 30m"),
        (
            "  - id: response\n",
            "      - id: internal_notice\n        title: 全社への周知と取材対応の一本化\n        role: pr\n"
            "        due: 90m\n        description: 取材や問い合わせは広報に回すよう全社に知らせます。\n"
            "  - id: response\n",
        ),
    ]
    for old, new in replacements:
        assert old in source
        source = source.replace(old, new, 1)
    path = tmp_path / "playbook.yaml"
    path.write_text(source, encoding="utf-8")
    return load_playbook(path)


def test_the_manual_follows_the_playbook(tmp_path: Path, profile: CompanyProfile) -> None:
    default = build_document(DocumentKind.CRISIS_MANUAL, profile, load_playbook()).markdown
    changed = build_document(DocumentKind.CRISIS_MANUAL, profile, _custom_playbook(tmp_path)).markdown
    assert "| 30分以内 | 責任者を決めて招集 | 責任者 |" in changed
    assert "| 1時間30分以内 | 全社への周知と取材対応の一本化 | 広報 |" in changed
    assert "炎上の兆候に気付いてから30分以内に" in changed
    assert "（プレイブックの「立ち上げ（2 時間以内）」）" in changed
    assert "深刻度2以上のシグナルを検知すると" in changed
    assert (
        "| 2（要注意） | 否定的な投稿の割合が平常より高くなっている | インシデントとして対応を開始し"
        in changed
    )
    assert "沈静化シグナルの後、6時間の間" in changed
    for text in ("| 1時間以内 | 責任者を決めて招集 |", "初動（1〜3 時間）", "深刻度3以上のシグナル"):
        assert text in default and text not in changed


def test_a_playbook_without_the_usual_tasks_still_reads(tmp_path: Path, profile: CompanyProfile) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(
        "name: 小規模プレイブック\nphases:\n  - id: only\n    title: 対応\n    tasks:\n"
        "      - {id: call, title: 担当者の招集, role: commander, due: 45m}\n",
        encoding="utf-8",
    )
    manual = build_document(DocumentKind.CRISIS_MANUAL, profile, load_playbook(path)).markdown
    assert "プレイブック「小規模プレイブック」" in manual
    assert "炎上の兆候に気付いてから45分以内に" in manual
    assert "できるだけ早く、次の内容を公表します" in manual  # no holding-statement task: no invented deadline
    assert "| 45分以内 | 担当者の招集 | 責任者 |" in manual
