"""The HTML pages over real HTTP (TestClient) with the bundled replay of a flame ingested and its signals detected.

One store per module (ingesting 3,822 posts costs about two seconds); tests that write use their own watch or
undo what they add.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hikeshi.detect import run_detectors
from hikeshi.ingest import ingest_file
from hikeshi.records import Signal, SignalKind, Watch
from hikeshi.report.signals import KIND_LABELS
from hikeshi.reports import signal_evidence
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.accounts import AccountStore, Role
from hikeshi.web import security
from hikeshi.web.app import create_app
from tests.web.conftest import form_csrf, log_in

REPLAY = Path(__file__).resolve().parents[2] / "data" / "replay" / "minato_flame.jsonl"
REPLAY_POSTS = sum(1 for line in REPLAY.read_text(encoding="utf-8").splitlines() if line.strip())
WATCH = Watch(name="ミナト住建", terms=["ミナト住建", "みなと住建", "ミナトホーム"])
BASE = "/watches/" + quote(WATCH.name, safe="")
JST = dt.timezone(dt.timedelta(hours=9))
ADMIN, ADMIN_PASSWORD = "suzuki", "pages-admin-pass"
POST_TIME = re.compile(r'<time datetime="([^"]+)"')


@dataclass(frozen=True)
class Flame:
    settings: Settings
    store: Store
    signals: list[Signal]
    tokens: dict[Role, str]


@pytest.fixture(scope="module")
def flame(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flame]:
    folder = tmp_path_factory.mktemp("pages")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'hikeshi.sqlite3'}",
        allow_private_urls=True,
        _env_file=None,  # type: ignore[call-arg]
    )
    with Store.open(settings) as store:
        store.add_watch(WATCH)
        ingest_file(store, WATCH.name, str(REPLAY))
        signals = run_detectors(WATCH, store.iter_analyzed_posts(WATCH.name))
        store.save_signals(signals)
        accounts = AccountStore(store)
        security.create_user(accounts, ADMIN, Role.ADMIN, ADMIN_PASSWORD)
        tokens = {role: security.create_token(accounts, f"pages-{role.value}", role)[1] for role in Role}
        yield Flame(settings, store, signals, tokens)


@pytest.fixture(scope="module")
def flame_app(flame: Flame) -> FastAPI:
    return create_app(flame.settings, flame.store)


def _client(app: FastAPI, secret: str) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, headers={"Authorization": f"Bearer {secret}"}) as client:
        yield client


@pytest.fixture(scope="module")
def admin(flame_app: FastAPI, flame: Flame) -> Iterator[TestClient]:
    yield from _client(flame_app, flame.tokens[Role.ADMIN])


@pytest.fixture(scope="module")
def viewer(flame_app: FastAPI, flame: Flame) -> Iterator[TestClient]:
    yield from _client(flame_app, flame.tokens[Role.VIEWER])


@pytest.fixture(scope="module")
def signed_in(flame_app: FastAPI) -> Iterator[TestClient]:
    """A browser session (cookie + CSRF token), as a person who logged in."""
    with TestClient(flame_app, follow_redirects=False) as client:
        log_in(client, ADMIN, ADMIN_PASSWORD)
        yield client


def _signal_path(signal: Signal) -> str:
    return f"{BASE}/signals/{signal.kind.value}/{int(signal.window_start.timestamp())}"


def _chart(html: str) -> dict[str, list[object]]:
    found = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)
    assert found is not None
    chart: dict[str, list[object]] = json.loads(found.group(1))
    return chart


# --- who may see what -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", BASE, BASE + "/posts", "/guard", "/settings/watches", "/settings/alerts", "/settings/users"]
)
def test_pages_send_anonymous_browsers_to_login(flame_app: FastAPI, path: str) -> None:
    with TestClient(flame_app, follow_redirects=False) as anonymous:
        answer = anonymous.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), (BASE, 200), (BASE + "/posts", 200), ("/guard", 403), ("/settings/watches", 403)],
)
def test_a_viewer_token_reads_pages_but_cannot_check_or_configure(
    viewer: TestClient, path: str, status: int
) -> None:
    answer = viewer.get(path)
    assert answer.status_code == status
    if status == 403:
        assert "権限が必要です" in answer.text


# --- overview and dashboard -----------------------------------------------------------------------------------


def test_overview_shows_the_level_and_the_last_signal(admin: TestClient, flame: Flame) -> None:
    html = admin.get("/").text
    assert f'href="{BASE}"' in html
    last = max(flame.signals, key=lambda signal: signal.detected_at)
    assert f'<a href="{_signal_path(last)}">{KIND_LABELS[last.kind]}</a>' in html
    if last.kind == SignalKind.CALMED:  # the flame is over: the watch is back to normal
        assert '<span class="badge level-0">平常</span>' in html and "に沈静化" in html
    assert f"{REPLAY_POSTS:,}" in html


def test_dashboard_chart_counts_every_post_of_the_period(admin: TestClient, flame: Flame) -> None:
    signals = flame.signals
    html = admin.get(BASE + "?period=all").text
    chart = _chart(html)
    assert sum(chart["posts"]) == REPLAY_POSTS  # type: ignore[arg-type]
    assert [a + b for a, b in zip(chart["negative"], chart["other"], strict=True)] == chart["posts"]
    assert len(chart["signals"]) == len(signals)
    assert "6 時間ごと" in html
    severe = [s for s in signals if s.severity == 4]
    assert severe and all(_signal_path(s) in html for s in severe)


@pytest.mark.parametrize(
    ("period", "bucket", "hours"),
    [
        ("1d", "15 分", 24),
        ("3d", "1 時間", 72),
        ("7d", "1 時間", 168),
        ("30d", "6 時間", 720),
        ("xx", "1 時間", 168),
    ],
)
def test_dashboard_periods_end_at_the_newest_post(
    admin: TestClient, flame: Flame, period: str, bucket: str, hours: int
) -> None:
    html = admin.get(f"{BASE}?period={period}").text
    assert f"{bucket}ごと" in html
    chart = _chart(html)
    minutes = int(bucket.split()[0]) * (1 if "分" in bucket else 60)
    newest = flame.store.watch_summary(WATCH.name).last_post_at
    assert newest is not None
    first, last = (
        dt.datetime.strptime(str(x), "%Y-%m-%d %H:%M").replace(tzinfo=JST)
        for x in chart["x"][:: len(chart["x"]) - 1]
    )
    assert last <= newest < last + dt.timedelta(minutes=minutes)
    assert first <= newest - dt.timedelta(hours=hours) < first + dt.timedelta(minutes=minutes)
    assert len(chart["x"]) == hours * 60 // minutes + 1


def test_dashboard_lists_negative_posts_by_reactions(admin: TestClient) -> None:
    html = admin.get(BASE).text
    section = html.split('id="top-title"', 1)[1].split("</section>", 1)[0]
    reactions = [int(n.replace(",", "")) for n in re.findall(r"反応 計 ([\d,]+)", section)]
    assert len(reactions) == 10
    assert reactions == sorted(reactions, reverse=True)
    assert section.count("否定的（否定") == 10


def test_dashboard_shows_rising_terms_and_angles(admin: TestClient, flame: Flame) -> None:
    html = admin.get(BASE).text
    rising = html.split('id="rising-title"', 1)[1].split("</section>", 1)[0]
    boycott = {
        term for s in flame.signals if s.kind == SignalKind.NEGATIVITY_RISE for term in s.evidence.terms
    }
    assert boycott and all(f"<bdi>{term}</bdi>" in rising for term in boycott)
    angles = html.split('id="angles-title"', 1)[1].split("</section>", 1)[0]
    assert angles.count("詳細") == len([s for s in flame.signals if s.kind == SignalKind.NEW_ANGLE])


def test_unknown_watch_is_404(admin: TestClient) -> None:
    assert admin.get("/watches/" + quote("ない会社"), headers={"accept": "text/html"}).status_code == 404


# --- explorer ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=社長", "社長"),
        ("q=社長+謝罪", "謝罪"),
        ("q=不買", "不買"),
        ("source=review", None),
    ],
)
def test_explorer_filters(admin: TestClient, query: str, expected: str | None) -> None:
    html = admin.get(f"{BASE}/posts?{query}").text
    texts = re.findall(r'<p class="text" dir="auto">(.*?)</p>', html, re.S)
    assert texts
    if expected is not None:
        assert all(expected in text for text in texts)
    else:
        assert set(re.findall(r'<span class="source">(\w+)</span>', html)) == {"review"}


def test_explorer_time_window_and_paging(admin: TestClient) -> None:
    query = "since=2026-03-13T09:00&until=2026-03-13T10:00"
    first = admin.get(f"{BASE}/posts?{query}").text
    times = [dt.datetime.fromisoformat(t) for t in POST_TIME.findall(first)]
    assert len(times) == 50
    assert all(
        dt.datetime(2026, 3, 13, 9, tzinfo=JST) <= t < dt.datetime(2026, 3, 13, 10, tzinfo=JST) for t in times
    )
    assert times == sorted(times, reverse=True)
    assert "古い投稿 →" in first
    second = admin.get(f"{BASE}/posts?{query}&page=2").text
    later = [dt.datetime.fromisoformat(t) for t in POST_TIME.findall(second)]
    assert later and max(later) <= min(times)
    assert "← 新しい投稿" in second


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=昨日", "開始の日時「昨日」を読めません"),
        ("since=2026-03-14T00:00&until=2026-03-13T00:00", "終了の日時は開始より後"),
        ("sentiment=angry", "感情の指定が正しくありません"),
    ],
)
def test_explorer_explains_bad_filters(admin: TestClient, query: str, message: str) -> None:
    answer = admin.get(f"{BASE}/posts?{query}")
    assert answer.status_code == 422
    assert message in answer.text


# --- signal detail ----------------------------------------------------------------------------------------------


def test_every_signal_has_a_detail_page_with_its_reason_and_evidence(admin: TestClient, flame: Flame) -> None:
    for signal in flame.signals:
        html = admin.get(_signal_path(signal)).text
        summary = re.search(r'<p id="signal-summary" dir="auto">(.*?)</p>', html, re.S)
        assert summary is not None and summary.group(1).startswith(signal.summary[:15])
        evidence = html.split('id="evidence-title"', 1)[1].split("</section>", 1)[0]
        groups = signal_evidence(flame.store, signal)
        assert evidence.count('<article class="post">') == len(groups)
        assert (len(groups) > 0) == bool(signal.evidence.post_ids or signal.evidence.terms)


def test_a_boycott_signal_shows_the_posts_that_say_so_first(admin: TestClient, flame: Flame) -> None:
    """The severity-4 negativity signal cites 不買/解約します: its page must open with posts that say so."""
    boycott = next(s for s in flame.signals if s.kind == SignalKind.NEGATIVITY_RISE and s.evidence.terms)
    html = admin.get(_signal_path(boycott)).text
    evidence = html.split('id="evidence-title"', 1)[1].split("</section>", 1)[0]
    first_post = evidence.split('<article class="post">', 2)[1]
    assert any(term in first_post for term in boycott.evidence.terms)


def test_signal_detail_shows_metrics_in_japanese(admin: TestClient, flame: Flame) -> None:
    rise = next(s for s in flame.signals if s.kind == SignalKind.NEGATIVITY_RISE and s.severity == 4)
    html = admin.get(_signal_path(rise)).text
    assert "否定的な投稿の割合" in html and "平常時の否定的な割合" in html
    assert f"{rise.evidence.metrics['negative_share']:.0%}" in html
    assert "前:" in html and "次:" in html


def test_unknown_signal_is_404(admin: TestClient) -> None:
    assert admin.get(f"{BASE}/signals/volume_spike/12345", headers={"accept": "text/html"}).status_code == 404


# --- guard ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "channel", "audience", "marked", "level"),
    [
        ("先にわかっていたら会社や私も無駄な時間は使わない", "line", "customer", "無駄な時間", "危険"),
        ("二度と来ないでください。", "review_reply", "customer", "二度と来", "危険"),
        ("本日はご来店ありがとうございました。", "", "", None, "問題なし"),
    ],
)
def test_guard_marks_risky_spans(
    signed_in: TestClient, draft: str, channel: str, audience: str, marked: str | None, level: str
) -> None:
    token = form_csrf(signed_in.get("/guard").text)
    answer = signed_in.post(
        "/guard", data={"text": draft, "channel": channel, "audience": audience, "csrf_token": token}
    )
    assert answer.status_code == 200
    assert f'id="verdict-level">{level}</span>' in answer.text
    marks = re.findall(r"<mark [^>]*>(.*?)<sup>", answer.text)
    if marked is None:
        assert marks == []
    else:
        assert any(marked in text for text in marks), marks
        assert "理由:" in answer.text


def test_guard_form_needs_the_csrf_token(signed_in: TestClient) -> None:
    answer = signed_in.post(
        "/guard", data={"text": "二度と来ないでください"}, headers={"accept": "text/html"}
    )
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"text": "  "}, "チェックする文面を入力してください"),
        ({"text": "こんにちは", "channel": "fax"}, "チャネル・相手・日付の指定が正しくありません"),
        ({"text": "こんにちは", "date": "3月11日"}, "チャネル・相手・日付の指定が正しくありません"),
    ],
)
def test_guard_explains_bad_input(signed_in: TestClient, form: dict[str, str], message: str) -> None:
    token = form_csrf(signed_in.get("/guard").text)
    answer = signed_in.post("/guard", data={**form, "csrf_token": token})
    assert answer.status_code == 422
    assert message in answer.text


# --- settings ---------------------------------------------------------------------------------------------------


def test_admin_adds_and_removes_a_watch(signed_in: TestClient) -> None:
    token = form_csrf(signed_in.get("/settings/watches").text)
    form = {
        "name": "しろくま製菓",
        "terms": "しろくま製菓、しろくまのプリン\nもちもちプリン",
        "csrf_token": token,
    }
    added = signed_in.post("/settings/watches", data=form)
    assert added.status_code == 303
    page = signed_in.get(added.headers["location"]).text
    assert "ウォッチ「しろくま製菓」を追加しました。" in page
    assert "<bdi>しろくまのプリン</bdi>" in page and "<bdi>もちもちプリン</bdi>" in page
    again = signed_in.post("/settings/watches", data=form)
    assert again.status_code == 422 and "既にあります" in again.text
    removed = signed_in.post(f"/settings/watches/{quote('しろくま製菓')}/delete", data={"csrf_token": token})
    assert removed.status_code == 303
    assert "しろくまのプリン" not in signed_in.get("/settings/watches").text


def test_admin_adds_a_webhook_and_sees_its_key_once(signed_in: TestClient) -> None:
    token = form_csrf(signed_in.get("/settings/alerts").text)
    form = {"watch": WATCH.name, "kind": "webhook", "url": "http://127.0.0.1:9/hook", "csrf_token": token}
    page = signed_in.post("/settings/alerts", data=form).text
    assert "を追加しました: Webhook 127.0.0.1:9" in page
    secret = re.search(r'<p class="secret">([0-9a-f]{64})</p>', page)
    assert secret is not None
    listing = signed_in.get("/settings/alerts").text
    assert secret.group(1) not in listing and "Webhook 127.0.0.1:9" in listing
    channel_id = re.search(r'action="/settings/alerts/(\d+)/delete"', listing)
    assert channel_id is not None
    signed_in.post(f"/settings/alerts/{channel_id.group(1)}/delete", data={"csrf_token": token})
    assert "Webhook 127.0.0.1:9" not in signed_in.get("/settings/alerts").text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "slack", "url": "ftp://example.com"}, "http:// または https://"),
        ({"kind": "email", "smtp_host": "smtp.example.jp"}, "SMTP サーバー、差出人、宛先が必要です"),
        ({"kind": "sms"}, "slack・teams・webhook・email のいずれか"),
    ],
)
def test_alert_form_explains_bad_settings(signed_in: TestClient, form: dict[str, str], message: str) -> None:
    token = form_csrf(signed_in.get("/settings/alerts").text)
    answer = signed_in.post("/settings/alerts", data={"watch": WATCH.name, **form, "csrf_token": token})
    assert answer.status_code == 422
    assert message in answer.text


@pytest.mark.parametrize(
    ("name", "role", "password", "outcome"),
    [
        ("yamada", "analyst", "yamada-pass-1", "ユーザー「yamada」（分析担当）を追加しました。"),
        ("kato", "viewer", "short", "パスワードは 8 文字以上にしてください。"),
        ("ito", "owner", "ito-pass-123", "権限の指定が正しくありません"),
        ("山田 太郎", "viewer", "yamada-pass-1", "空白を含まない"),
    ],
)
def test_admin_adds_users(signed_in: TestClient, name: str, role: str, password: str, outcome: str) -> None:
    token = form_csrf(signed_in.get("/settings/users").text)
    answer = signed_in.post(
        "/settings/users", data={"name": name, "role": role, "password": password, "csrf_token": token}
    )
    assert outcome in answer.text
    assert answer.status_code == (200 if "追加しました" in outcome else 422)


def test_plotly_is_served_from_the_installed_package(viewer: TestClient) -> None:
    answer = viewer.get("/assets/plotly.min.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.text.startswith("/**\n* plotly.js v")


def test_a_watch_without_posts_has_an_empty_dashboard(browser: TestClient) -> None:
    """The shared fixtures' watch 「ナミキ住宅」 has no posts and no signals yet."""
    assert "なし" in browser.get("/").text
    html = browser.get("/watches/" + quote("ナミキ住宅")).text
    assert "この期間の投稿はありません。" in html
    assert 'id="chart-data"' not in html and "/assets/plotly.min.js" not in html
    assert "検知されたシグナルはありません" in html
    assert "条件に合う投稿はありません。" in browser.get("/watches/" + quote("ナミキ住宅") + "/posts").text


def test_viewers_do_not_see_links_they_cannot_use(viewer: TestClient) -> None:
    html = viewer.get("/").text
    assert 'href="/guard"' not in html and 'href="/settings/watches"' not in html
    assert "ログアウト" not in html  # a token, not a browser session
