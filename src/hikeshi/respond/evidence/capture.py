"""Capturing evidence for an incident: a stored post, a web page, or the posts with the widest reach.

What is preserved is what a lawyer needs for a 削除請求 or 発信者情報開示 request: the content exactly as it was
obtained, where it came from (URL, final URL after redirects, HTTP status and headers), who wrote it and when,
and when and by whom it was captured, each artefact hashed with SHA-256 at capture.

A page that answers 404 or 410 is preserved too, and said to be: a page that is gone is evidence that it was
deleted at that time. A page that cannot be reached, a private address, or a page over the size cap stores
nothing and says why; nothing already captured is touched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import trafilatura

from hikeshi.errors import HikeshiError, InputError
from hikeshi.respond.evidence.posts import find_post, top_reach_posts
from hikeshi.respond.evidence.records import CaptureError, Evidence, EvidenceKind, NewArtefact
from hikeshi.respond.evidence.screenshot import render
from hikeshi.respond.evidence.store import EvidenceStore, safe_filename, sha256_hex
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.settings import Settings
from hikeshi.sources.http import FetchError, HttpResponse, SafeHttpClient, UnsafeUrlError
from hikeshi.store import Store, StoredPost
from hikeshi.timezones import utc_now

MAX_TOP = 100
LOOKBACK_WITHOUT_ONSET = dt.timedelta(hours=24)
GONE_STATUSES = frozenset({404, 410})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/json": ".json",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON (sorted keys, fixed indentation): the same post always hashes the same, and a
    lawyer can still read it in a text editor."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def post_document(stored: StoredPost, watch: str) -> dict[str, Any]:
    """The post as hikeshi stored it, with its analysis; no capture time, so a repeat capture hashes the same."""
    post = stored.post
    return {
        "post_key": post.key,
        "source": post.source,
        "source_id": post.source_id,
        "url": post.url,
        "author": post.author,
        "followers": post.author_followers,
        "text": post.text,
        "created_at": post.created_at.isoformat(),
        "fetched_at": post.fetched_at.isoformat() if post.fetched_at else None,
        "metrics": post.metrics.model_dump(mode="json"),
        "parent_id": post.parent_id,
        "quote_id": post.quote_id,
        "language": post.language,
        "watch": watch,
        "analysis": stored.analysis.model_dump(mode="json") if stored.analysis else None,
    }


def capture_post(store: Store, incident_id: int, post_key: str, actor: str) -> list[Evidence]:
    """Preserve one stored post (`source:source_id`, as Post.key) of the incident's watch as canonical JSON."""
    incident = IncidentStore(store).get(incident_id)
    stored = find_post(store, incident.watch, post_key)
    post = stored.post
    content = canonical_json(post_document(stored, incident.watch))
    artefact = NewArtefact(
        kind=EvidenceKind.POST,
        content=content,
        media_type="application/json",
        filename=safe_filename(f"post-{post.key}", ".json"),
        source_url=post.url,
        post_key=post.key,
        author=post.author,
        posted_at=post.created_at,
        meta={"origin": "hikeshi store (as ingested)", "text_excerpt": post.text[:200]},
    )
    summary = f"投稿を保全しました: {post.key}（{post.author or '投稿者不明'}、SHA-256 {sha256_hex(content)[:12]}…）"
    return EvidenceStore(store).add_capture(incident_id, [artefact], actor, summary)


def capture_url(
    store: Store,
    settings: Settings,
    incident_id: int,
    url: str,
    actor: str,
    *,
    screenshot: bool = True,
) -> list[Evidence]:
    """Preserve a page: the body as received, its extracted text, the HTTP status and headers, a screenshot."""
    IncidentStore(store).get(incident_id)
    requested = url.strip()
    if not requested:
        raise InputError("URL が空です。")
    response = _fetch(settings, requested)
    fetched_at = utc_now()
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower() or "application/octet-stream"
    host = urlsplit(response.url).hostname or "page"
    stem = f"page-{host}"
    is_html = media_type in _HTML_TYPES
    page_meta: dict[str, Any] = {
        "http_status": response.status_code,
        "requested_url": requested,
        "content_type": content_type,
        "encoding": response.encoding,
        "truncated": False,
        "fetched_at": fetched_at.isoformat(),
    }
    if response.status_code in GONE_STATUSES:
        page_meta["note"] = (
            f"HTTP {response.status_code}: 取得時点でページが削除されていた（または存在しない）証拠"
        )
    elif response.status_code >= 400:
        page_meta["note"] = f"HTTP {response.status_code}: 取得時点でサーバーがエラーを返した記録"
    artefacts = [_headers_artefact(requested, response, fetched_at, stem)]
    extracted = _extract(response) if is_html else None
    if extracted is not None:
        text, found = extracted
        page_meta.update(found)
        artefacts.append(
            NewArtefact(
                kind=EvidenceKind.TEXT,
                content=text.encode("utf-8"),
                media_type="text/plain; charset=utf-8",
                filename=safe_filename(f"{stem}-text", ".txt"),
                source_url=requested,
                final_url=response.url,
                meta={"extracted_by": f"trafilatura {trafilatura.__version__}", "text_excerpt": text[:200]},
            )
        )
        page_meta["text_excerpt"] = text[:200]
    elif is_html:
        page_meta["text_note"] = "本文を抽出できませんでした"
    if screenshot and is_html:
        shot = render(
            settings, response.url, response.content, content_type or "text/html", status=response.status_code
        )
        if shot.png is not None:
            artefacts.append(
                NewArtefact(
                    kind=EvidenceKind.SCREENSHOT,
                    content=shot.png,
                    media_type="image/png",
                    filename=safe_filename(f"{stem}-screenshot", ".png"),
                    source_url=requested,
                    final_url=response.url,
                    meta=shot.meta(),
                )
            )
            page_meta["screenshot"] = "taken"
        else:
            page_meta["screenshot"] = "skipped"
            page_meta["screenshot_reason"] = shot.skipped_reason
    else:
        page_meta["screenshot"] = "skipped"
        page_meta["screenshot_reason"] = (
            "HTML ではないため、スクリーンショットは取得していません"
            if screenshot
            else "--no-screenshot が指定されたため、スクリーンショットは取得していません"
        )
    page = NewArtefact(
        kind=EvidenceKind.HTML,
        content=response.content,
        media_type=media_type,
        filename=safe_filename(stem, _EXTENSIONS.get(media_type, ".bin")),
        source_url=requested,
        final_url=response.url,
        meta=page_meta,
    )
    summary = f"ページを保全しました: {requested}（HTTP {response.status_code}、{len(artefacts) + 1} 点）"
    if response.status_code in GONE_STATUSES:
        summary += "。取得時点で削除済み（または存在しない）ことの記録です"
    return EvidenceStore(store).add_capture(incident_id, [page, *artefacts], actor, summary, at=fetched_at)


def capture_top(
    store: Store,
    incident_id: int,
    n: int,
    actor: str,
    *,
    settings: Settings | None = None,
    pages: bool = False,
    screenshot: bool = True,
    on_page_error: Callable[[str, HikeshiError], None] | None = None,
) -> list[Evidence]:
    """Preserve the `n` posts with the widest reach behind the incident (and their pages, when asked).

    Candidates are the posts the incident's signals named and the negative posts of its window (from the
    earliest signal's window start to its close). A page that cannot be captured does not stop the others:
    it goes to `on_page_error`, or, without one, is reported in a CaptureError after every post is stored.
    """
    if not 1 <= n <= MAX_TOP:
        raise InputError(f"--top は 1〜{MAX_TOP} で指定してください（{n}）。")
    incidents = IncidentStore(store)
    incident = incidents.get(incident_id)
    signal_keys: list[str] = []
    for event in incidents.events(incident_id, kinds=[EventKind.SIGNAL]):
        keys = event.data.get("post_ids")
        if isinstance(keys, list):
            signal_keys.extend(str(key) for key in keys)
    since = incident.onset_at or incident.opened_at - LOOKBACK_WITHOUT_ONSET
    posts = top_reach_posts(
        store,
        incident.watch,
        since=since,
        until=incident.closed_at,
        signal_keys=list(dict.fromkeys(signal_keys)),
        limit=n,
    )
    if not posts:
        raise InputError(
            f"インシデント {incident_id} の期間に保全できる投稿がありません（シグナルの投稿・否定的な投稿がありません）。"
        )
    captured: list[Evidence] = []
    failures: list[str] = []
    for stored in posts:
        captured.extend(capture_post(store, incident_id, stored.post.key, actor))
        if not pages or not stored.post.url:
            continue
        try:
            captured.extend(
                capture_url(
                    store, settings or Settings(), incident_id, stored.post.url, actor, screenshot=screenshot
                )
            )
        except HikeshiError as error:
            if on_page_error is None:
                failures.append(f"{stored.post.url}（{error}）")
            else:
                on_page_error(stored.post.url, error)
    if failures:
        raise CaptureError(
            f"投稿 {len(posts)} 件は保全しましたが、次のページは保全できませんでした: " + " / ".join(failures)
        )
    return captured


def _fetch(settings: Settings, url: str) -> HttpResponse:
    try:
        with SafeHttpClient(settings, max_bytes=settings.evidence_max_bytes) as client:
            return client.get(url)
    except httpx.InvalidURL as error:
        raise CaptureError(
            f"URL の形式が正しくありません（{error}）: {url}。何も保存していません。"
        ) from None
    except UnsafeUrlError as error:
        raise CaptureError(f"保全しませんでした（何も保存していません）: {error}") from None
    except FetchError as error:
        message = f"保全できませんでした（何も保存していません）: {str(error).rstrip('。')}。"
        if "大きすぎ" in str(error):
            message += (
                f"上限は {settings.evidence_max_bytes:,} バイトです。途中で切った不完全な保全はしないため、"
                "必要なら HIKESHI_EVIDENCE_MAX_BYTES を増やしてやり直してください。"
            )
        raise CaptureError(message) from None


def _headers_artefact(
    requested: str, response: HttpResponse, fetched_at: dt.datetime, stem: str
) -> NewArtefact:
    document = {
        "requested_url": requested,
        "final_url": response.url,
        "status": response.status_code,
        # As sent, in order, with their original case and repeats (HTTP header bytes are Latin-1).
        "headers": [
            [name.decode("latin-1"), value.decode("latin-1")] for name, value in response.headers.raw
        ],
        "fetched_at": fetched_at.isoformat(),
        "body_size": len(response.content),
        "body_sha256": sha256_hex(response.content),
    }
    return NewArtefact(
        kind=EvidenceKind.HEADERS,
        content=canonical_json(document),
        media_type="application/json",
        filename=safe_filename(f"{stem}-headers", ".json"),
        source_url=requested,
        final_url=response.url,
        meta={"http_status": response.status_code},
    )


def _extract(response: HttpResponse) -> tuple[str, dict[str, Any]] | None:
    """The page's main text (trafilatura) and what its metadata says about title, author and date."""
    html = response.text
    text = trafilatura.extract(html, include_comments=True, favor_recall=True)
    if not text:
        return None
    found: dict[str, Any] = {}
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None:
        # Not the author: trafilatura normalises names (kaji_mama_blog → Kaji Mama Blog), and a changed name
        # has no place in evidence; the raw HTML keeps the page's own author markup.
        for name, key in (("title", "page_title"), ("date", "page_date")):
            value = getattr(metadata, name, None)
            if isinstance(value, str) and value.strip():
                found[key] = value.strip()[:500]
    return str(text), found
