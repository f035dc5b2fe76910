"""The incident report as HTML: every section on the minato replay, and untrusted text always escaped."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from hikeshi.records import Post, PostMetrics
from hikeshi.reports import build_incident_report, render_incident_html
from hikeshi.respond.evidence import capture_post
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.playbooks import load_playbook
from hikeshi.store import Store
from hikeshi.timezones import JST
from tests.detect.streams import WATCH, analysis
from tests.reports.conftest import Minato

NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=JST)


def test_report_has_every_section_with_charts_marked(minato: Minato) -> None:
    html = render_incident_html(minato.store, minato.incident.id, now=NOW)
    for heading in (
        "1. 概要",
        "2. 対応の時間",
        "3. 投稿の推移",
        "4. 声明とその効果",
        "5. 切り口の変化",
        "6. 火元と拡散経路",
        "7. タイムライン",
        "8. タスク",
        "9. 保全した証拠",
    ):
        assert heading in html
    assert "インシデント報告書：ミナト住建" in html
    assert html.count("<svg") == 2
    assert "図1 投稿数の推移（1 時間ごと" in html and "図2 否定的な投稿の割合の推移" in html
    volume_svg = html[html.index("<svg") : html.index("</svg>")]
    assert ">声明</text>" in volume_svg
    assert ">18</text>" in volume_svg, "every signal of the incident is numbered on the chart"
    assert "二次炎上の兆し" in html and "「謝罪文」" in html
    assert "最初の投稿（火元）" in html and "最初のニュース" in html
    assert "期限切れ" in html
    assert "<script" not in html.lower()
    assert "Content-Security-Policy" in html


def test_report_model_numbers_signals_and_marks_tasks(minato: Minato) -> None:
    report = build_incident_report(minato.store, minato.incident.id, now=NOW)
    assert [item.number for item in report.signals] == list(range(1, 19))
    boycott = report.angles[3]
    assert boycott.signal.signal.evidence.terms == ["不買", "ノルマ", "ニュース"]
    assert all(group.matched_terms for angle in report.angles for group in angle.posts)
    states = {line.task.key: line.state for line in report.tasks}
    assert (states["convene"], states["calm_decision"], states["review"]) == ("overdue", "open", "open")
    assert report.metrics.first_statement_at is not None
    assert report.evidence == []


def _hostile_store(path: Path) -> tuple[Store, int]:
    store = Store(f"sqlite:///{path / 'hostile.sqlite3'}")
    store.add_watch(WATCH)
    start = dt.datetime(2026, 3, 5, 21, 0, tzinfo=JST)
    rng = random.Random(3)
    texts = [
        '<script>alert("炎上")</script>ナミキ住宅の対応は最悪',
        "ナミキ住宅 <img src=x onerror=alert(1)> ひどい",
        "ナミキ住宅の件、普通に残念",
    ]
    posts = [
        Post(
            source="x",
            source_id=f"h{index}",
            url=f"https://example.invalid/h{index}",
            author='"><script>steal()</script>',
            author_followers=50_000,
            text=text,
            created_at=start + dt.timedelta(minutes=5 * index),
            metrics=PostMetrics(views=1000 * (index + 1)),
        )
        for index, text in enumerate(texts)
    ]
    store.add_posts(WATCH.name, posts, [analysis("negative", rng, 0.0) for _ in posts])
    incidents = IncidentStore(store)
    incident = incidents.open(
        WATCH.name, "<b>タイトル</b>", playbook=load_playbook(), severity=3, opened_at=start
    )
    incidents.add_event(incident.id, EventKind.STATEMENT, "<script>x()</script>謝罪", "広報", at=start)
    incidents.note(incident.id, "<iframe src=//evil></iframe>", "<u>記録係</u>")
    incidents.complete_task(incident.id, "convene", "田中", at=start + dt.timedelta(minutes=20))
    capture_post(store, incident.id, "x:h0", "<i>広報</i>")
    return store, incident.id


def test_untrusted_text_is_escaped_everywhere(tmp_path: Path) -> None:
    store, incident_id = _hostile_store(tmp_path)
    with store:
        html = render_incident_html(store, incident_id, now=dt.datetime(2026, 3, 6, 9, 0, tzinfo=JST))
    lowered = html.lower()
    for tag in ("<script", "<img", "<iframe", "<b>タイトル", "<u>", "<i>"):
        assert tag not in lowered
    assert "&lt;script&gt;alert(&#34;炎上&#34;)&lt;/script&gt;ナミキ住宅の対応は最悪" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert (
        "&lt;script&gt;x()&lt;/script&gt;謝罪" in html
    )  # the statement, in the text and the chart's tooltip
    assert re.search(r"<title>&lt;script&gt;x\(\)&lt;/script&gt;謝罪</title>", html)
    assert "&#34;&gt;&lt;script&gt;steal()&lt;/script&gt;" in html  # the author, in posts and evidence
    assert "&lt;i&gt;広報&lt;/i&gt;" in html  # who captured the evidence
    assert html.count('<td class="hash">') == 1
    assert '<td class="done">完了（3/5(木) 21:20、田中）</td>' in html
    assert '<td class="overdue">期限切れ' in html
