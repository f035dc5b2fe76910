"""`hikeshi docs init|build|check|clauses` end to end: files on disk, one Japanese line on failure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from typer.testing import CliRunner

from hikeshi.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "company_profile.yaml"
KINDS = ("sns_policy", "terms_of_use", "employee_rules", "sns_guideline", "crisis_manual")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "out"
    result = runner.invoke(
        app, ["docs", "build", str(EXAMPLE), "--out", str(out), "--format", "md,docx,pdf,html"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "ミナト住建株式会社の 5 文書を" in result.stdout
        and "（20 ファイル、次回見直し予定日 2027-04-01）" in result.stdout
    )
    assert "PDF を作成しています" in result.stderr
    return out


def test_build_writes_every_kind_in_every_format(built: Path) -> None:
    assert sorted(path.name for path in built.iterdir()) == sorted(
        f"{kind}.{fmt}" for kind in KINDS for fmt in ("md", "docx", "pdf", "html")
    )
    for kind in KINDS:
        markdown = (built / f"{kind}.md").read_text(encoding="utf-8")
        assert "ミナト住建株式会社" in markdown and "次回見直し予定日" in markdown
        word = Document(str(built / f"{kind}.docx"))
        assert word.paragraphs[1].text == "ミナト住建株式会社"
        text = "".join(page.extract_text() or "" for page in PdfReader(built / f"{kind}.pdf").pages)
        assert "ミナト住建株式会社" in text and "次回見直し予定日" in text and "第1.0版" in text
    manual = "".join(page.extract_text() or "" for page in PdfReader(built / "crisis_manual.pdf").pages)
    assert len(re.sub(r"\s", "", manual)) >= 4000


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_check_finds_nothing_missing_in_what_build_wrote(built: Path, kind: str, fmt: str) -> None:
    result = runner.invoke(
        app, ["docs", "check", str(built / f"{kind}.{fmt}"), "--kind", kind, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["kind"] == kind and report["missing"] == []
    assert all(set(clause) >= {"id", "title"} for clause in report["covered"])


def test_check_reports_the_removed_discipline_article(built: Path, tmp_path: Path) -> None:
    rules = (built / "employee_rules.md").read_text(encoding="utf-8")
    removed = re.sub(r"## 第\d+条（懲戒）\n.*?(?=\n## )", "", rules, flags=re.DOTALL)
    path = tmp_path / "rules.md"
    path.write_text(removed, encoding="utf-8")
    result = runner.invoke(app, ["docs", "check", str(path), "--kind", "employee_rules", "--format", "json"])
    report = json.loads(result.stdout)
    assert [(item["id"], item["title"]) for item in report["missing"]] == [("discipline", "懲戒")]
    assert report["missing"][0]["reason"]
    text = runner.invoke(app, ["docs", "check", str(path), "--strict"])
    assert text.exit_code == 1
    assert "足りない条項（1）:\n  ✗ 懲戒［discipline］" in text.stdout
    assert "として点検しました（種類は内容から推定しました" in text.stdout


def test_check_unreadable_word_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "policy.docx"
    path.write_bytes(b"PK\x03\x04broken")
    result = runner.invoke(app, ["docs", "check", str(path), "--kind", "sns_policy"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"エラー: {path} を Word 文書（.docx）として読めません")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["check", "x.md", "--kind", "policy"], "--kind は次のどれかです: sns_policy（SNSポリシー）"),
        (["check", "x.md", "--format", "xml"], "--format は text か json です"),
        (["check", "missing.md"], "missing.md が見つかりません。"),
        (
            ["build", "missing.yaml", "--out", "o"],
            "missing.yaml: ファイルが見つかりません。hikeshi docs init",
        ),
        (["build", str(EXAMPLE), "--out", "o", "--format", "md,rtf"], "--format には md,docx,pdf,html を"),
    ],
)
def test_bad_arguments_are_one_japanese_line(
    arguments: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["docs", *arguments])
    assert result.exit_code == 2
    assert result.stderr.startswith("エラー: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_bad_profile_names_its_file_and_line(tmp_path: Path) -> None:
    source = EXAMPLE.read_text(encoding="utf-8").replace("  name: ミナト住建株式会社\n", "", 1)
    profile = tmp_path / "profile.yaml"
    profile.write_text(source, encoding="utf-8")
    result = runner.invoke(app, ["docs", "build", str(profile), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert re.fullmatch(
        rf"エラー: {re.escape(str(profile))}:\d+: company\.name: 必須の項目がありません\n", result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_init_then_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["docs", "init", "company.yaml"])
    assert first.exit_code == 0 and "会社プロフィールの雛形を company.yaml に書き出しました。" in first.stdout
    again = runner.invoke(app, ["docs", "init", "company.yaml"])
    assert again.exit_code == 2 and "すでにファイルがあります。上書きするときは --force" in again.stderr
    assert runner.invoke(app, ["docs", "init", "company.yaml", "--force"]).exit_code == 0
    unfilled = runner.invoke(app, ["docs", "build", "company.yaml", "--out", "out", "--format", "md"])
    assert (
        unfilled.exit_code == 2
        and "company.yaml:" in unfilled.stderr
        and "第〇条（服務規律） のまま" in unfilled.stderr
    )
    profile = Path("company.yaml")
    profile.write_text(profile.read_text(encoding="utf-8").replace("第〇条", "第30条"), encoding="utf-8")
    result = runner.invoke(
        app, ["docs", "build", "company.yaml", "--out", "out", "--format", "md", "--kind", "employee_rules"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in Path("out").iterdir()) == ["employee_rules.md"]
    assert "注意: プロフィールに 〇〇 のままの項目があります: company.name" in result.stderr


def test_build_follows_the_configured_playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    playbook = tmp_path / "playbook.yaml"
    playbook.write_text(
        "name: 当社の手順\nopening_severity: 2\nphases:\n  - id: first\n    title: 立ち上げ\n    tasks:\n"
        "      - {id: convene, title: 招集, role: commander, due: 20m}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HIKESHI_PLAYBOOK", str(playbook))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["docs", "build", str(EXAMPLE), "--out", str(out), "--format", "md", "--kind", "crisis_manual"]
    )
    assert result.exit_code == 0, result.output
    manual = (out / "crisis_manual.md").read_text(encoding="utf-8")
    assert "プレイブック「当社の手順」" in manual and "| 20分以内 | 招集 | 責任者 |" in manual


def test_clauses_lists_the_catalogue() -> None:
    result = runner.invoke(app, ["docs", "clauses", "--kind", "employee_rules", "--format", "json"])
    assert result.exit_code == 0
    catalogue = json.loads(result.stdout)
    assert catalogue["title"] == "従業員ソーシャルメディア利用規程"
    discipline = next(clause for clause in catalogue["clauses"] if clause["id"] == "discipline")
    assert discipline["title"] == "懲戒" and "就業規則" in discipline["reason"]
    listing = runner.invoke(app, ["docs", "clauses"])
    assert all(f"{kind}: " in listing.stdout for kind in KINDS)
