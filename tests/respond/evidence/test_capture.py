"""Capturing posts and pages for the minato flame: hashes, custody, timeline, and every bad input losing nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import socket

import pytest

from hikeshi.errors import InputError, NotFoundError
from hikeshi.respond.evidence import (
    CaptureError,
    CustodyAction,
    EvidenceKind,
    EvidenceStore,
    capture_post,
    capture_top,
    capture_url,
)
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from tests.respond.evidence.conftest import Flame, settings_for, timeline_length
from tests.sources.loopback import Reply, serving

PAGE_TEXT = "先にわかっていたら会社や私も無駄な時間は使わない、と営業担当から LINE が届きました。"


def _page(body_text: str, charset: str) -> bytes:
    html = (
        f'<!doctype html><html lang="ja"><head><meta charset="{charset}"><title>ミナト住建の営業の LINE</title>'
        f"</head><body><article><h1>ミナト住建の営業の LINE</h1><p>{body_text}</p>"
        "<p>契約しなかっただけなのに、この言い方はひどいと思います。私たちもプロとして成功報酬で仕事をしている、"
        "とも書かれていました。</p></article></body></html>"
    )
    return html.encode(charset)


@pytest.mark.parametrize(
    ("post_id", "key", "author", "text_start"),
    [
        ("x:x-002695", "x:x-002695", "kaji_mama_blog", "ミナト住建の件、社長が出てこないのがすべて"),
        ("x-002694", "x:x-002694", "sumai_no_sensei", "ミナト住建の営業のLINE、家づくりの相談"),
    ],
)
def test_a_post_is_stored_as_canonical_json_with_hash_custody_and_timeline_event(
    minato: Flame, post_id: str, key: str, author: str, text_start: str
) -> None:
    captured = capture_post(minato.store, minato.incident_id, post_id, "広報 田中")
    assert [evidence.kind for evidence in captured] == [EvidenceKind.POST]
    evidence = captured[0]
    content = EvidenceStore(minato.store).content(evidence.id)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest() and evidence.size == len(content)
    document = json.loads(content)
    assert document["post_key"] == key and document["author"] == author
    assert document["text"].startswith(text_start)
    assert document["followers"] > 100_000 and document["metrics"]["views"] > 900_000
    assert document["url"].startswith("https://example.invalid/x/")
    assert document["analysis"]["sentiment"]["negative"] > 0.5
    assert (evidence.post_key, evidence.author, evidence.captured_by) == (key, author, "広報 田中")
    assert evidence.posted_at == dt.datetime.fromisoformat(document["created_at"])
    custody = EvidenceStore(minato.store).custody(minato.incident_id)
    assert [(entry.action, entry.evidence_id, entry.actor) for entry in custody] == [
        (CustodyAction.CAPTURE, evidence.id, "広報 田中")
    ]
    assert custody[0].detail["sha256"] == evidence.sha256
    event = IncidentStore(minato.store).events(minato.incident_id, kinds=[EventKind.EVIDENCE])[-1]
    assert event.data["evidence_ids"] == [evidence.id] and key in event.summary and event.actor == "広報 田中"


def test_a_repeat_capture_is_kept_and_marked_as_the_same_content(minato: Flame) -> None:
    first = capture_post(minato.store, minato.incident_id, "x:x-002695", "田中")[0]
    again = capture_post(minato.store, minato.incident_id, "x:x-002695", "佐藤")[0]
    assert again.id != first.id and again.sha256 == first.sha256
    assert first.duplicate_of is None and again.duplicate_of == first.id
    events = IncidentStore(minato.store).events(minato.incident_id, kinds=[EventKind.EVIDENCE])
    assert f"#{first.id} と同一内容の再取得" in events[-1].summary
    assert [entry.actor for entry in EvidenceStore(minato.store).custody(minato.incident_id)] == [
        "田中",
        "佐藤",
    ]


@pytest.mark.parametrize(
    ("incident", "post_id", "error", "message"),
    [
        (None, "x:x-999999", NotFoundError, "投稿「x:x-999999」はウォッチ「ミナト住建」にありません"),
        (None, "rss:https://example.invalid/none", NotFoundError, "ありません"),
        (999, "x:x-002695", NotFoundError, "インシデント 999 はありません"),
    ],
)
def test_an_unknown_post_or_incident_is_one_clear_line_and_changes_nothing(
    minato: Flame, incident: int | None, post_id: str, error: type[Exception], message: str
) -> None:
    capture_post(minato.store, minato.incident_id, "x:x-002695", "田中")
    before = timeline_length(minato)
    with pytest.raises(error, match=message):
        capture_post(minato.store, incident or minato.incident_id, post_id, "田中")
    assert len(EvidenceStore(minato.store).list(minato.incident_id)) == 1
    assert timeline_length(minato) == before


@pytest.mark.parametrize("charset", ["utf-8", "shift_jis"])
def test_a_page_is_kept_byte_for_byte_with_text_headers_and_final_url(minato: Flame, charset: str) -> None:
    body = _page(PAGE_TEXT, charset)
    with serving() as server:
        server.route("/old", Reply(301, b"", headers={"Location": "/blog/line"}))
        server.route("/blog/line", Reply(200, body, content_type=f"text/html; charset={charset}"))
        captured = capture_url(
            minato.store,
            minato.settings,
            minato.incident_id,
            server.base_url + "/old",
            "法務 鈴木",
            screenshot=False,
        )
        final = server.base_url + "/blog/line"
    by_kind = {evidence.kind: evidence for evidence in captured}
    assert set(by_kind) == {EvidenceKind.HTML, EvidenceKind.TEXT, EvidenceKind.HEADERS}
    assert len({evidence.capture_id for evidence in captured}) == 1
    store = EvidenceStore(minato.store)
    page = by_kind[EvidenceKind.HTML]
    assert store.content(page.id) == body and page.media_type == "text/html"
    assert page.final_url == final and page.source_url.endswith("/old") and page.http_status == 200
    assert page.meta["screenshot"] == "skipped" and "--no-screenshot" in page.meta["screenshot_reason"]
    assert PAGE_TEXT in store.content(by_kind[EvidenceKind.TEXT].id).decode("utf-8")
    headers = json.loads(store.content(by_kind[EvidenceKind.HEADERS].id))
    assert headers["status"] == 200 and headers["final_url"] == final
    assert ["Content-Type", f"text/html; charset={charset}"] in headers["headers"]
    assert headers["body_sha256"] == page.sha256
    custody = store.custody(minato.incident_id)
    assert {entry.evidence_id for entry in custody} == {evidence.id for evidence in captured}
    assert "HTTP 200" in IncidentStore(minato.store).events(minato.incident_id)[-1].summary


@pytest.mark.parametrize(
    ("status", "note"),
    [
        (404, "削除されていた（または存在しない）証拠"),
        (410, "削除されていた"),
        (500, "サーバーがエラーを返した記録"),
    ],
)
def test_an_error_page_is_still_preserved_and_says_what_it_proves(
    minato: Flame, status: int, note: str
) -> None:
    with serving() as server:
        url = server.route(
            "/deleted",
            Reply(
                status,
                "<html><body><p>このページは削除されました</p></body></html>",
                content_type="text/html; charset=utf-8",
            ),
        )
        captured = capture_url(
            minato.store, minato.settings, minato.incident_id, url, "田中", screenshot=False
        )
    page = next(evidence for evidence in captured if evidence.kind == EvidenceKind.HTML)
    assert page.http_status == status and note in page.meta["note"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_dead_url_stores_nothing_and_keeps_the_timeline(minato: Flame) -> None:
    before = timeline_length(minato)
    with pytest.raises(
        CaptureError,
        match=re.escape("保全できませんでした（何も保存していません）: 127.0.0.1 に接続できません"),
    ):
        capture_url(
            minato.store, minato.settings, minato.incident_id, f"http://127.0.0.1:{_closed_port()}/", "田中"
        )
    assert EvidenceStore(minato.store).list(minato.incident_id) == []
    assert timeline_length(minato) == before


def test_a_private_address_is_refused_unless_allowed(minato: Flame) -> None:
    guarded = settings_for(minato.database, allow_private_urls=False)
    with serving() as server:
        url = server.route("/internal", Reply(200, "<p>社内</p>", content_type="text/html"))
        with pytest.raises(CaptureError, match="HIKESHI_ALLOW_PRIVATE_URLS"):
            capture_url(minato.store, guarded, minato.incident_id, url, "田中")
        assert server.seen("/internal") == []
    assert EvidenceStore(minato.store).list(minato.incident_id) == []


def test_a_50_mb_page_is_refused_whole_with_the_cap_named(minato: Flame) -> None:
    before = timeline_length(minato)
    huge = b"<html><body>" + "炎上".encode() * (50 * 1024 * 1024 // 6) + b"</body></html>"
    with serving() as server:
        url = server.route("/huge", Reply(200, huge, content_type="text/html; charset=utf-8"))
        with pytest.raises(CaptureError, match=r"上限は 20,971,520 バイトです.*HIKESHI_EVIDENCE_MAX_BYTES"):
            capture_url(minato.store, minato.settings, minato.incident_id, url, "田中", screenshot=False)
    assert EvidenceStore(minato.store).list(minato.incident_id) == []
    assert timeline_length(minato) == before


def test_the_cap_is_a_setting(minato: Flame) -> None:
    small = settings_for(minato.database, evidence_max_bytes=200)
    with serving() as server:
        url = server.route("/page", Reply(200, _page(PAGE_TEXT, "utf-8"), content_type="text/html"))
        with pytest.raises(CaptureError, match="上限は 200 バイトです"):
            capture_url(minato.store, small, minato.incident_id, url, "田中", screenshot=False)


def test_top_five_are_the_widest_reach_behind_the_incident(minato: Flame) -> None:
    captured = capture_top(minato.store, minato.incident_id, 5, "広報 田中")
    assert len(captured) == 5 and all(evidence.kind == EvidenceKind.POST for evidence in captured)
    store = EvidenceStore(minato.store)
    documents = [json.loads(store.content(evidence.id)) for evidence in captured]
    views = [document["metrics"]["views"] for document in documents]
    assert views == sorted(views, reverse=True)
    assert documents[0]["author"] == "kaji_mama_blog" and views[0] == 2_303_572
    assert len({document["post_key"] for document in documents}) == 5
    assert all(document["analysis"]["sentiment"]["negative"] > 0.5 for document in documents)
    assert len(store.custody(minato.incident_id)) == 5
    assert len(IncidentStore(minato.store).events(minato.incident_id, kinds=[EventKind.EVIDENCE])) == 5


@pytest.mark.parametrize("n", [0, -1, 101])
def test_top_n_out_of_range_is_refused(minato: Flame, n: int) -> None:
    with pytest.raises(InputError, match="1〜100"):
        capture_top(minato.store, minato.incident_id, n, "田中")


def test_top_with_pages_keeps_the_posts_when_a_page_cannot_be_reached(minato: Flame) -> None:
    failed: list[str] = []
    guarded = settings_for(minato.database, allow_private_urls=False)
    captured = capture_top(
        minato.store,
        minato.incident_id,
        2,
        "田中",
        settings=guarded,
        pages=True,
        on_page_error=lambda url, _error: failed.append(url),
    )
    assert [evidence.post_key for evidence in captured] == ["x:x-002695", "x:x-002694"]
    assert failed == ["https://example.invalid/x/002695", "https://example.invalid/x/002694"]
