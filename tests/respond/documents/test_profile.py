"""The company profile: the example loads, bad files are reported at their line in Japanese, the template works."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.respond.documents import CompanyProfile, load_profile, write_profile_template
from hikeshi.respond.documents.profile import PROFILE_TEMPLATE, DocumentControl, DocumentKind
from tests.respond.documents.conftest import EXAMPLE


def test_the_example_is_a_whole_company(profile: CompanyProfile) -> None:
    assert profile.company.name == "ミナト住建株式会社"
    assert len(profile.official_accounts) >= 3
    assert {contact.role for contact in profile.escalation if contact.role} == {
        "commander",
        "pr",
        "legal",
        "support",
        "executive",
        "scribe",
    }
    assert profile.work_rules.discipline_types_article == "第62条（懲戒の種類）"
    assert profile.documents.owner_of(DocumentKind.EMPLOYEE_RULES) == "人事部"
    assert profile.placeholders() == []


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    source = EXAMPLE.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "profile.yaml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("  name: ミナト住建株式会社\n", "", "industry:", "company.name: 必須の項目がありません"),
        ("  name: ミナト住建株式会社", "  name: '  '", "name: '  '", "company.name: 空欄です"),
        (
            "  industry: 住宅建築・不動産",
            "  industy: 住宅建築・不動産",
            "industy",
            "company.industy: 知らない項目です",
        ),
        ("reply_policy: none", "reply_policy: sometimes", "sometimes", "次のどれかで書いてください"),
        ("第62条（懲戒の種類）", "62条", "62条", "条文番号 '62条' を読めません"),
        ("effective_date: 2026-04-01", "effective_date: 2026-02-30", "2026-02-30", "ありえない日付"),
        ("review_interval_months: 12", "review_interval_months: 60", "60", "36 以下の数で書いてください"),
        (
            "    phone: 0120-000-123\n    email: soudan@minato-jyuken.example.jp\n    url: https://www.minato-jyuken.example.jp/contact/\n",
            "",
            "name: お客様相談室",
            "電話・メール・URL のどれか一つ",
        ),
    ],
)
def test_a_bad_profile_names_its_line(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert caught.value.path == str(path)
    assert caught.value.line == _line_of(path, needle)
    assert message in caught.value.problem
    assert re.search(r"[ぁ-んァ-ヶ一-龯]", str(caught.value))  # Japanese, not pydantic's English


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ファイルが見つかりません。hikeshi docs init"):
        load_profile(tmp_path / "none.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"empty.yaml:1: プロフィールが空です"):
        load_profile(empty)
    broken = tmp_path / "broken.yaml"
    broken.write_text("company:\n  name: [ミナト\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken.yaml:\d+: YAML の書式が正しくありません"):
        load_profile(broken)


@pytest.mark.parametrize(
    ("effective", "months", "review"),
    [
        (dt.date(2026, 4, 1), 12, dt.date(2027, 4, 1)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2027, 12, 15), 6, dt.date(2028, 6, 15)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
    ],
)
def test_next_review_date(effective: dt.date, months: int, review: dt.date) -> None:
    control = DocumentControl(effective_date=effective, review_interval_months=months, owner="総務部")
    assert control.next_review == review


def test_the_template_is_written_once_and_asks_for_the_article_numbers(tmp_path: Path) -> None:
    target = tmp_path / "company_profile.yaml"
    write_profile_template(target)
    assert target.read_text(encoding="utf-8") == PROFILE_TEMPLATE.read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8").count("#") > 30  # commented for the person filling it in
    with pytest.raises(ConfigError, match="すでにファイルがあります。上書きするときは --force"):
        write_profile_template(target)
    target.write_text("edited", encoding="utf-8")
    write_profile_template(target, force=True)
    assert target.read_text(encoding="utf-8").startswith("# 会社プロフィール")
    with pytest.raises(ConfigError) as caught:
        load_profile(target)
    assert caught.value.line == _line_of(target, "conduct_article:")
    assert "第〇条（服務規律） のままです" in caught.value.problem


def test_the_filled_template_loads_and_lists_what_is_still_a_placeholder(tmp_path: Path) -> None:
    target = tmp_path / "company_profile.yaml"
    filled = PROFILE_TEMPLATE.read_text(encoding="utf-8").replace("第〇条", "第20条")
    target.write_text(filled, encoding="utf-8")
    profile = load_profile(target)
    assert profile.company.name == "株式会社〇〇"
    assert "company.name" in profile.placeholders()
