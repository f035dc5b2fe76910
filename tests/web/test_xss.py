"""Attacker-controlled text through ingest, signals, suggest snapshots, alert settings and user names, then every
page: nothing may come out as markup, script, event handler, non-http link or evaluated template.

The posts go in through `ingest_file` (the path `hikeshi ingest` takes); the signals and snapshots are stored as
the detectors and the suggest watch would store them, with the payloads where post text and terms end up.
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from hikeshi.alerts import AlertBook, SlackConfig
from hikeshi.ingest import ingest_file
from hikeshi.records import Signal, SignalEvidence, SignalKind, Watch
from hikeshi.settings import Settings
from hikeshi.store import Store, SuggestSnapshot
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from tests.web.conftest import form_csrf

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CLOSE_SCRIPT = "</script><script>alert(document.cookie)</script>"
TEMPLATE = "{{7*7}}{% if true %}x{% endif %}"
RLO = "\u202egnp.exe"
PAYLOADS = [SCRIPT, IMG, CLOSE_SCRIPT, TEMPLATE, RLO, "javascript:alert(1)", "<svg/onload=alert(1)>"]
BAD_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    'https://example.com/"><script>alert(1)</script>',
]
RAW_MARKUP = ["<script>alert", "<img src=x", "<svg/onload", "onerror=alert(1)>"]
WATCH_NAME = f"{SCRIPT}ミナト{RLO}{TEMPLATE}"
ALLOWED_SCRIPTS = {"/static/hikeshi.js", "/static/dashboard.js", "/assets/plotly.min.js"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ISOLATING = {"bdi", "title", "option", "textarea", "script"}
T0 = dt.datetime(2026, 3, 12, 12, 0, tzinfo=dt.UTC)


class PageAudit(HTMLParser):
    """Collects what would be dangerous in a browser: scripts, handlers, links, and bidi overrides that leak."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.problems: list[str] = []
        self.json_blocks: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and not _safe_link(value):
                self.problems.append(f"unsafe {name}={value!r} on <{tag}>")
        if tag in ("img", "svg", "iframe", "object", "embed", "base"):
            self.problems.append(f"unexpected <{tag}>")
        if tag == "script":
            if values.get("type") == "application/json":
                self._in_json = True
            elif values.get("src") not in ALLOWED_SCRIPTS:
                self.problems.append(f"unexpected script {values}")
        if tag not in VOID:
            isolated = tag in ISOLATING or "dir" in values or (self.stack and self.stack[-1][1])
            self.stack.append((tag, bool(isolated)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json = False
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_blocks.append(data)
        elif "\u202e" in data and not (self.stack and self.stack[-1][1]):
            path = "/".join(tag for tag, _ in self.stack)
            self.problems.append(f"right-to-left override outside an isolating element: {path}")


def _safe_link(value: str) -> bool:
    if value.startswith("/") and not value.startswith("//"):
        return True
    return value.startswith(("https://", "http://", "#")) or value == "data:,"


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    for raw in RAW_MARKUP:
        if raw in html:
            parser.problems.append(f"raw markup {raw!r} in the page")
    for block in parser.json_blocks:
        json.loads(block)  # a </script> inside the data would have cut it short
    return parser


@pytest.fixture
def hostile(settings: Settings, store: Store, tmp_path: Path, accounts: AccountStore) -> str:
    """A watch whose name, posts, signals, suggestions, alert channel and a user name are all payloads."""
    store.add_watch(Watch(name=WATCH_NAME, terms=["ミナト"], risk_terms=[IMG]))
    lines = []
    for index, payload in enumerate(PAYLOADS):
        for variant, url in enumerate(BAD_URLS):
            lines.append(
                {
                    "source": "x",
                    "source_id": f"{index}-{variant}",
                    "url": url,
                    "author": payload,
                    "author_followers": 480_000,
                    "text": f"ミナトの営業の態度が最悪 {payload} 不買します",
                    "created_at": (T0 + dt.timedelta(minutes=index * 7 + variant)).isoformat(),
                    "metrics": {"likes": 10 + index, "reposts": 5, "replies": 1, "views": 1000},
                }
            )
    source = tmp_path / "hostile.jsonl"
    source.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8"
    )
    report = ingest_file(store, WATCH_NAME, str(source))
    assert report.inserted == len(lines)
    keys = [f"x:{line['source_id']}" for line in lines]
    quoted = "」「".join(PAYLOADS)
    store.save_signals(
        [
            Signal(
                watch=WATCH_NAME,
                kind=SignalKind.VOLUME_SPIKE,
                window_start=T0,
                detected_at=T0 + dt.timedelta(minutes=30),
                severity=4,
                evidence=SignalEvidence(
                    post_ids=keys[:20], terms=PAYLOADS, metrics={"authors": 40.0, f"authors:{SCRIPT}": 3.0}
                ),
                summary=f"直近 30 分に 40 人が投稿しました。不買・離反を示す言葉（「{quoted}」）。",
            ),
            Signal(
                watch=WATCH_NAME,
                kind=SignalKind.INFLUENCER_POST,
                window_start=T0 + dt.timedelta(minutes=10),
                detected_at=T0 + dt.timedelta(minutes=10),
                severity=3,
                evidence=SignalEvidence(post_ids=keys[20:21], metrics={"followers": 480000.0}),
                summary=f"フォロワー 48.0万 人のアカウント（{IMG}）が否定的な投稿をしました: 「{CLOSE_SCRIPT}」。",
            ),
            Signal(
                watch=WATCH_NAME,
                kind=SignalKind.NEW_ANGLE,
                window_start=T0 + dt.timedelta(minutes=5),
                detected_at=T0 + dt.timedelta(minutes=40),
                severity=2,
                evidence=SignalEvidence(post_ids=keys[-5:], terms=[TEMPLATE, RLO, SCRIPT]),
                summary=f"話題の切り口が変わりつつあります: 「{TEMPLATE}」「{RLO}」に触れる投稿が増えています。",
            ),
        ]
    )
    for offset, suggestions in enumerate(
        [["ミナト 評判"], ["ミナト 評判", f"ミナト {SCRIPT}", f"ミナト {IMG}"]]
    ):
        store.save_suggest_snapshot(
            SuggestSnapshot(
                watch=WATCH_NAME,
                engine="google",
                query=f"ミナト {RLO}",
                taken_at=T0 + dt.timedelta(hours=offset),
                suggestions=suggestions,
            )
        )
    AlertBook(store).add_channel(
        WATCH_NAME, SlackConfig(webhook_url=f"https://hooks.example.com{IMG}/T/B/x"), T0
    )
    security.create_user(accounts, SCRIPT, Role.VIEWER, "viewer-password-1")
    return WATCH_NAME


def _pages(store: Store, name: str) -> list[str]:
    quoted = "/watches/" + _segment(name)
    signals = store.list_signals(name)
    return [
        "/",
        quoted,
        quoted + "?period=all",
        quoted + "?period=1d",
        quoted + "/posts",
        quoted + "/posts?q=alert(1)&sentiment=negative",
        quoted + "/posts?q=" + _segment(SCRIPT) + "&page=2",
        quoted + "/posts?since=bad-date",
        *(
            f"{quoted}/signals/{signal.kind.value}/{int(signal.window_start.timestamp())}"
            for signal in signals
        ),
        "/guard",
        "/settings/watches",
        "/settings/alerts",
        "/settings/users",
    ]


def _segment(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def test_every_page_escapes_hostile_text(browser: TestClient, store: Store, hostile: str) -> None:
    assert len(store.list_signals(hostile)) == 3
    pages = _pages(store, hostile)
    shown_somewhere = {payload: False for payload in (SCRIPT, IMG, CLOSE_SCRIPT, TEMPLATE)}
    for path in pages:
        answer = browser.get(path)
        assert answer.status_code in (200, 422), (path, answer.status_code, answer.text[:300])
        found = audit(answer.text)
        assert found.problems == [], (path, found.problems)
        for payload in shown_somewhere:
            if str(escape(payload)) in answer.text:
                shown_somewhere[payload] = True
    # The payloads were really rendered, as text (the template payload literally, never evaluated to 49).
    assert all(shown_somewhere.values()), shown_somewhere


@pytest.mark.parametrize("payload", [SCRIPT, IMG, CLOSE_SCRIPT, TEMPLATE, RLO])
def test_guard_result_escapes_the_draft(browser: TestClient, payload: str) -> None:
    page = browser.get("/guard")
    draft = f"{payload}先にわかっていたら会社や私も無駄な時間は使わない。{payload}またよろしくお願いします。"
    answer = browser.post(
        "/guard",
        data={"text": draft, "channel": "line", "audience": "customer", "csrf_token": form_csrf(page.text)},
    )
    assert answer.status_code == 200
    assert audit(answer.text).problems == []
    assert "<mark" in answer.text
    assert str(escape(payload)) in answer.text


def test_chart_data_keeps_the_quoted_post_intact(browser: TestClient, hostile: str) -> None:
    """`</script>` inside a summary must stay inside the JSON block (|tojson escapes < > & ')."""
    answer = browser.get("/watches/" + _segment(hostile) + "?period=all")
    found = audit(answer.text)
    assert len(found.json_blocks) == 1
    chart = json.loads(found.json_blocks[0])
    summaries = " ".join(marker["summary"] for marker in chart["signals"])
    assert CLOSE_SCRIPT in summaries
    assert "\\u003c/script\\u003e" in found.json_blocks[0]


def test_links_only_for_http_urls(browser: TestClient, hostile: str) -> None:
    answer = browser.get("/watches/" + _segment(hostile) + "/posts")
    targets = [href.split('"', 1)[0] for href in answer.text.split('href="')[1:]]
    external = [target for target in targets if not target.startswith("/") and target != "data:,"]
    assert external == ["https://example.com/&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"] * 7
