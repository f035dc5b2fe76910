"""PDF engines for the incident report: WeasyPrint (what `hikeshi report` uses) against headless Chromium
(Playwright `page.pdf()` on /usr/bin/chromium).

    .venv/bin/python bench/report_pdf.py [--runs 3]

Ingests the bundled minato replay (data/replay/minato_flame.jsonl, 2,696 posts) into a temporary SQLite
store, opens its incident, adds the 17:00 apology as a statement, renders the incident report's HTML once,
and prints for each engine the median time to turn that HTML into a PDF (browser start included: that is
what one `hikeshi report incident --format pdf` would pay), the PDF's size and pages, the font types it
embeds, whether the watch name and a chart caption extract as text (pypdf), and how many extracted
characters are Kangxi/CJK radicals (U+2E80–U+2FDF) that stand in for ordinary kanji (「⽇本」 for 「日本」).
Ratios are WeasyPrint / Chromium. Chromium is optional (Playwright and /usr/bin/chromium). Figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hikeshi.ingest import ingest_file
from hikeshi.ingest.incidents import detect_and_respond
from hikeshi.records import Watch
from hikeshi.reports.incident import build_incident_report
from hikeshi.reports.pdf import html_to_pdf
from hikeshi.reports.render import render
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import load_playbook
from hikeshi.store import Store
from hikeshi.timezones import JST

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay" / "minato_flame.jsonl"
WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建", "ミナトホーム"])
STATEMENT_AT = dt.datetime(2026, 3, 13, 17, 0, tzinfo=JST)
CAPTION = "図1 投稿数の推移"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def incident_html(directory: Path) -> str:
    with Store(f"sqlite:///{directory / 'bench.sqlite3'}") as store:
        store.add_watch(WATCH)
        ingest_file(store, WATCH.name, str(REPLAY))
        outcome = detect_and_respond(store, WATCH.name, load_playbook())
        incident = outcome.incidents.opened[0]
        IncidentStore(store).add_event(
            incident.id, EventKind.STATEMENT, "お詫びを公表（X・自社サイト）", "広報", at=STATEMENT_AT
        )
        started = time.perf_counter()
        report = build_incident_report(store, incident.id)
        html = render("incident.html", report=report)
        print(
            f"HTML: {time.perf_counter() - started:.2f} s to build and render, {len(html.encode()):,} bytes"
        )
        return html


def measure(name: str, convert: Callable[[str], bytes], html: str, runs: int) -> tuple[float, int]:
    from pypdf import PdfReader

    times, pdf = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        pdf = convert(html)
        times.append(time.perf_counter() - started)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    radicals = sum(1 for char in text if 0x2E80 <= ord(char) <= 0x2FDF)
    fonts = sorted(
        {
            str(font.get_object().get("/Subtype"))
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
    )
    median = statistics.median(times)
    print(
        f"{name:<10} {median:6.2f} s (median of {runs})  {len(pdf) / 1024:6.0f} KiB  {len(reader.pages):2d} pages  "
        f"fonts {','.join(fonts)}  watch name: {'yes' if WATCH.name in text else 'no'}  caption: "
        f"{'yes' if CAPTION in text else 'no'}  radicals: {radicals}/{len(text)} chars"
    )
    return median, len(pdf)


def chromium_or_none() -> Callable[[str], bytes] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        print(f"Chromium: not measured ({error}); pip install playwright")
        return None
    if not CHROMIUM.exists():
        print(f"Chromium: not measured ({CHROMIUM} is missing); apt-get install chromium")
        return None

    def convert(html: str) -> bytes:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.set_content(html, wait_until="load")
                return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()

    return convert


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        html = incident_html(Path(directory))
    weasy_time, weasy_size = measure("WeasyPrint", html_to_pdf, html, args.runs)
    chromium = chromium_or_none()
    if chromium is None:
        return
    chromium_time, chromium_size = measure("Chromium", chromium, html, args.runs)
    print(
        f"WeasyPrint / Chromium: time {weasy_time / chromium_time:.2f}x, size {weasy_size / chromium_size:.2f}x"
    )


if __name__ == "__main__":
    main()
