"""PDF output (WeasyPrint): Japanese text that extracts as written, so it is selectable and searchable, and a
clear Japanese message, never a traceback, when what PDF needs is not installed."""

from __future__ import annotations

import datetime as dt
import io
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from hikeshi.cli import app
from hikeshi.reports import PdfUnavailableError, html_to_pdf, render_incident_pdf, render_weekly_pdf
from tests.reports.conftest import Minato
from tests.sources.loopback import Reply, serving


def _text(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() or "" for page in reader.pages), reader


def test_incident_pdf_text_names_the_company_and_the_charts(minato: Minato) -> None:
    pdf = render_incident_pdf(minato.store, minato.incident.id, now=dt.datetime(2026, 3, 16, tzinfo=dt.UTC))
    assert pdf.startswith(b"%PDF-")
    text, reader = _text(pdf)
    assert len(reader.pages) >= 5
    assert "インシデント報告書：ミナト住建" in text
    assert "図1 投稿数の推移" in text and "図2 否定的な投稿の割合の推移" in text
    assert "二次炎上の兆し" in text
    joined = "".join(text.split())  # lines wrap anywhere in Japanese
    assert "先にわかっていたら会社や私も無駄な時間は使わない" in joined  # the first post, as text
    assert "日本時間" in text
    # Every kanji extracts as itself, not as a look-alike Kangxi radical (「⽇本」), and fonts are embedded
    # as CID fonts rather than Type 3 drawings.
    assert not [char for char in text if unicodedata.name(char, "").startswith(("KANGXI", "CJK RADICAL"))]
    subtypes = {
        str(font.get_object()["/Subtype"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert subtypes == {"/Type0"}
    assert f"1 / {len(reader.pages)}" in text  # page numbers in the footer


def test_weekly_pdf_text_names_each_watch(minato: Minato) -> None:
    text, _ = _text(render_weekly_pdf(minato.store, dt.date(2026, 3, 9)))
    assert "週次報告" in text and "ミナト住建" in text


def test_pdf_never_fetches_what_a_page_points_at(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }", encoding="utf-8")
    with serving() as server:
        image = server.route("/x.png", Reply(200, b"\x89PNG", content_type="image/png"))
        sheet = server.route("/x.css", Reply(200, "p { color: red }", content_type="text/css"))
        html = (
            f'<link rel="stylesheet" href="{sheet}"><link rel="stylesheet" href="file://{secret}">'
            f'<p>社外の画像</p><img src="{image}"><img src="file:///etc/hostname">'
        )
        text, _ = _text(html_to_pdf(html))
        assert server.requests == []
    assert "社外の画像" in text


def test_missing_weasyprint_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # the package is not installed
    with pytest.raises(PdfUnavailableError, match="pip install weasyprint"):
        html_to_pdf("<p>テスト</p>")


def test_cli_without_weasyprint_fails_with_one_japanese_line(
    minato: Minato, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HIKESHI_DATABASE_URL", minato.database)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    out = f"{tmp_path}/report.pdf"
    result = CliRunner().invoke(
        app, ["report", "incident", str(minato.incident.id), "--format", "pdf", "--out", out]
    )
    assert result.exit_code == 2
    assert "PDF の作成には WeasyPrint と Pango が必要です" in result.stderr
    assert "fonts-noto-cjk" in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing half-written
