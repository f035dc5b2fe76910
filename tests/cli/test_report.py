"""`hikeshi report incident|weekly`: files written whole, one Japanese line on success or failure (real SQLite)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from hikeshi.cli import app
from hikeshi.ingest.incidents import detect_and_respond
from hikeshi.respond.playbooks import load_playbook
from hikeshi.store import Store
from tests.detect.streams import JST, WATCH, flame_stream

runner = CliRunner()
ONSET = dt.datetime(2026, 3, 5, 21, 0, tzinfo=JST)


@pytest.fixture()
def incident_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    stream = flame_stream(0, ONSET, days=4, hours=6.0)
    with Store(url) as store:
        store.add_watch(WATCH)
        store.add_posts(WATCH.name, [item[0] for item in stream], [item[1] for item in stream])
        outcome = detect_and_respond(store, WATCH.name, load_playbook())
    return outcome.incidents.opened[0].id


def test_incident_html_is_written_with_a_one_line_result(incident_id: int, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "incident", str(incident_id), "--out", "report.html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith(
        f"インシデント {incident_id} の報告書を report.html に書き出しました（HTML、"
    )
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "インシデント報告書：ナミキ住宅" in html and "<svg" in html


def test_incident_html_to_stdout(incident_id: int) -> None:
    result = runner.invoke(app, ["report", "incident", str(incident_id), "--format", "html", "--out", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!doctype html>")


def test_pdf_is_chosen_by_format_or_extension(incident_id: int, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "incident", str(incident_id), "--out", "report.pdf"])
    assert result.exit_code == 0, result.output
    assert "（PDF、" in result.stdout and "PDF を作成しています" in result.stderr
    text = "".join(page.extract_text() or "" for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "ナミキ住宅" in text and "図1 投稿数の推移" in text


def test_weekly_html(incident_id: int, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "weekly", "--week", "2026-03-02", "--out", "week.html"])
    assert result.exit_code == 0, result.output
    assert "2026-03-02 からの週次報告を week.html に書き出しました" in result.stdout
    html = (tmp_path / "week.html").read_text(encoding="utf-8")
    assert "ナミキ住宅" in html and f"#{incident_id}" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["incident", "999", "--out", "x.html"], "インシデント 999 はありません"),
        (["incident", "1", "--format", "docx", "--out", "x.docx"], "--format は html か pdf です"),
        (["incident", "1", "--format", "pdf", "--out", "-"], "PDF は標準出力に書き出せません"),
        (
            ["incident", "1", "--out", "no-such-folder/x.html"],
            "書き出し先のフォルダー no-such-folder がありません",
        ),
        (["weekly", "--week", "2026/03/02", "--out", "w.html"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_japanese_line(
    incident_id: int, args: list[str], message: str, tmp_path: Path
) -> None:
    before = {path.name for path in tmp_path.iterdir()}
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("エラー: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert {path.name for path in tmp_path.iterdir()} == before
