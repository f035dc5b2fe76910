"""`hikeshi statement …` end to end on a SQLite file in a temporary folder, as a PR manager would type it."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from hikeshi.cli import build_app
from tests.respond.statements.conftest import EXAMPLE

runner = CliRunner()


@pytest.fixture
def hikeshi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HIKESHI_DATABASE_URL", f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}")
    app = build_app()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result.output

    return run


def test_draft_every_format_without_a_database(hikeshi, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--kind", "statement", "--out", "owabi.md")
    assert "お詫びとお知らせを書き出しました: owabi.md" in out and "文面チェック: 問題なし" in out
    assert "## 再発防止策" in (tmp_path / "owabi.md").read_text(encoding="utf-8")
    hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--kind", "press_release", "--out", "release.docx")
    texts = [p.text for p in docx.Document(str(tmp_path / "release.docx")).paragraphs]
    assert "ミナト住建株式会社" in texts
    shown = hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--kind", "sns_x")
    assert "\n【お詫び】" in "\n" + shown  # the post on stdout; the lint summary went to stderr
    payload = json.loads(
        hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--kind", "qa", "--format", "json")
    )
    assert (
        payload["kind"] == "qa"
        and payload["lint"]["level"] == "ok"
        and "聞かれても言えない" in payload["text"]
    )
    assert not (tmp_path / "hikeshi.sqlite3").exists()


def test_drafts_are_consistent_and_a_changed_number_is_caught(hikeshi, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = []
    for kind in ("statement", "press_release", "qa", "call_script", "sns"):
        hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--kind", kind, "--out", f"{kind}.md")
        names.append(f"{kind}.md")
    out = hikeshi("statement", "consistency", "--facts", str(EXAMPLE), *names)
    assert "食い違いは見つかりませんでした" in out
    release = tmp_path / "press_release.md"
    release.write_text(
        release.read_text(encoding="utf-8").replace("お客様は3名", "お客様は5名"), encoding="utf-8"
    )
    out = hikeshi("statement", "consistency", "--facts", str(EXAMPLE), *names, code=1)
    assert "5" in out and "press_release.md" in out


def test_bad_input_is_one_clear_line(hikeshi, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    out = hikeshi("statement", "draft", "--facts", "empty.yaml", "--kind", "holding", code=2)
    assert "empty.yaml:1: ポジションペーパーが空です" in out and "Traceback" not in out
    out = hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--kind", "tweet", code=2)
    assert "--kind 'tweet' はありません" in out
    out = hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--out", "x.txt", code=2)
    assert "書き出せる形式は" in out
    out = hikeshi("statement", "draft", "--kind", "holding", code=2)
    assert "--facts" in out


def test_incident_flow_from_paper_to_timeline(hikeshi, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hikeshi("watch", "add", "ミナト住建", "--terms", "ミナト住建")
    assert hikeshi("incident", "open", "--watch", "ミナト住建", "--title", "営業の LINE").strip() == "1"
    assert "第 1 版を保存しました" in hikeshi(
        "statement", "paper", "save", "--incident", "1", str(EXAMPLE), "--by", "鈴木"
    )
    assert hikeshi("statement", "paper", "show", "--incident", "1").startswith("# 第 1 版（鈴木、")
    hikeshi(
        "statement",
        "inquiries",
        "add",
        "--incident",
        "1",
        "--question",
        "モデルハウスの見学は続けていますか",
        "--by",
        "相談室",
    )
    assert "モデルハウス" in hikeshi("statement", "inquiries", "list", "--incident", "1", "--format", "csv")
    out = hikeshi("statement", "draft", "--incident", "1", "--kind", "qa", "--by", "鈴木", "--out", "qa.md")
    assert "声明 #1（下書き）として保存しました" in out
    assert "モデルハウスの見学は続けていますか" in (tmp_path / "qa.md").read_text(encoding="utf-8")
    hikeshi("statement", "draft", "--incident", "1", "--kind", "holding", "--by", "鈴木")
    hikeshi("statement", "submit", "2", "--by", "鈴木")
    out = hikeshi("statement", "approve", "2", "--by", "鈴木", code=2)
    assert "承認できるのは管理者か、このインシデントの経営の担当（未割り当て）" in out
    hikeshi("incident", "role", "1", "executive", "港", "--by", "田中")
    assert "承認しました" in hikeshi("statement", "approve", "2", "--by", "港")
    hikeshi("statement", "publish", "2", "--channel", "x", "--at", "2026-03-13 00:05", "--by", "鈴木")
    out = hikeshi("statement", "publish", "2", "--channel", "fax", code=2)
    assert "--channel 'fax' はありません" in out
    listed = [
        json.loads(line)
        for line in hikeshi("statement", "list", "--incident", "1", "--format", "jsonl").splitlines()
    ]
    assert [(s["kind"], s["status"]) for s in listed] == [("qa", "draft"), ("holding", "published")]
    detail = json.loads(hikeshi("incident", "show", "1", "--format", "json"))
    [event] = [e for e in detail["events"] if e["kind"] == "statement"]
    assert event["data"] == {"statement_id": 2, "kind": "holding", "channel": "x"}
    assert event["at"].startswith("2026-03-12T15:05")  # 00:05 JST
    shown = hikeshi("statement", "show", "2")
    assert "公表: X（03/13 00:05、鈴木）" in shown and "第1版" in shown


def test_revise_from_a_file(hikeshi, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hikeshi("watch", "add", "ミナト住建", "--terms", "ミナト住建")
    hikeshi("incident", "open", "--watch", "ミナト住建", "--title", "営業の LINE")
    hikeshi("statement", "draft", "--facts", str(EXAMPLE), "--incident", "1", "--kind", "holding")
    (tmp_path / "fixed.md").write_text(
        "ご不快な思いをされた方がいらっしゃれば、お詫び申し上げます。\n", encoding="utf-8"
    )
    assert "修正しました" in hikeshi("statement", "revise", "1", "--file", "fixed.md", "--note", "短くした")
    shown = json.loads(hikeshi("statement", "show", "1", "--format", "json"))
    assert shown["version"] == 2 and shown["lint"]["level"] in ("caution", "danger")
    assert [v["note"] for v in shown["versions"]] == [None, "短くした"]
