"""Export an incident's evidence as one ZIP a lawyer can verify and paste into a request.

The ZIP holds the artefacts under ``artefacts/``, ``manifest.json`` (every artefact's SHA-256, size, media
type, capture time in JST and UTC, source and final URL, author, post key), ``custody.json`` (the custody log up
to the export) and ``evidence_list.csv``: one row per captured post or page with the headers a 削除請求 or
発信者情報開示 request uses, UTF-8 with a BOM so Excel opens it in Japanese. The export itself goes into the
custody log with the ZIP's own SHA-256 (it cannot be inside the ZIP it hashes).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hikeshi.errors import ConflictError, InputError
from hikeshi.respond.evidence.records import (
    EVIDENCE_KIND_LABELS,
    PRIMARY_KINDS,
    CustodyEntry,
    Evidence,
    EvidenceKind,
    ExportReport,
    Manifest,
    ManifestArtefact,
    ManifestDocument,
)
from hikeshi.respond.evidence.store import EvidenceStore, clean_actor, sha256_hex
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store
from hikeshi.timezones import JST, utc_now

MANIFEST_FORMAT = "hikeshi-evidence/1"
MANIFEST = "manifest.json"
CUSTODY = "custody.json"
LAWYER_LIST = "evidence_list.csv"
LIST_HEADERS = ["番号", "投稿日時", "投稿者", "URL", "内容（抜粋）", "取得日時", "SHA-256"]
EXCERPT_CHARS = 120
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def artefact_path(evidence: Evidence) -> str:
    return f"artefacts/{evidence.id:05d}-{evidence.filename}"


def jst(value: dt.datetime | None) -> str | None:
    return value.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S JST") if value else None


def utc(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def export_zip(store: Store, incident_id: int, out: Path, actor: str) -> ExportReport:
    """Write the ZIP to `out` (replacing it atomically) and log the export with the ZIP's hash."""
    actor = clean_actor(actor)
    incident = IncidentStore(store).get(incident_id)
    evidence_store = EvidenceStore(store)
    artefacts = evidence_store.list(incident_id)
    if not artefacts:
        raise InputError(
            f"インシデント {incident_id} には保全した証拠がありません。先に `hikeshi evidence capture` で保全してください。"
        )
    if not out.parent.is_dir():
        raise InputError(f"書き出し先のフォルダ {out.parent} がありません。")
    if out.is_dir():
        raise InputError(f"{out} はフォルダです。ZIP ファイルの名前を指定してください。")
    exported_at = utc_now()
    custody = evidence_store.custody(incident_id)
    paths = {evidence.id: artefact_path(evidence) for evidence in artefacts}
    custody_bytes = _custody_json(custody, paths)
    list_bytes = _lawyer_list(artefacts)
    manifest = Manifest(
        format=MANIFEST_FORMAT,
        incident_id=incident.id,
        title=incident.title,
        watch=incident.watch,
        exported_at_utc=utc(exported_at) or "",
        exported_at_jst=jst(exported_at) or "",
        exported_by=actor,
        artefacts=[_manifest_entry(evidence, paths[evidence.id]) for evidence in artefacts],
        documents=[
            _document(CUSTODY, custody_bytes, "application/json"),
            _document(LAWYER_LIST, list_bytes, "text/csv; charset=utf-8"),
        ],
    )
    manifest_bytes = (manifest.model_dump_json(indent=2) + "\n").encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=".hikeshi-export-", suffix=".zip", dir=out.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for evidence in artefacts:
                content = evidence_store.content(evidence.id)
                if sha256_hex(content) != evidence.sha256:
                    raise ConflictError(
                        f"証拠 #{evidence.id}（{evidence.filename}）の内容が保全時の SHA-256 と一致しません。"
                        "データベースが変更された可能性があるため、書き出しを中止しました。"
                    )
                _write(archive, paths[evidence.id], content, evidence.captured_at, evidence.kind)
            _write(archive, CUSTODY, custody_bytes, exported_at)
            _write(archive, LAWYER_LIST, list_bytes, exported_at)
            _write(archive, MANIFEST, manifest_bytes, exported_at)
        digest = hashlib.sha256()
        with open(temporary, "rb") as written:
            for block in iter(lambda: written.read(1 << 20), b""):
                digest.update(block)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    zip_sha256 = digest.hexdigest()
    size = out.stat().st_size
    evidence_store.record_export(
        incident_id,
        actor,
        exported_at,
        {
            "file": out.name,
            "sha256": zip_sha256,
            "size": size,
            "artefacts": len(artefacts),
            "manifest_sha256": sha256_hex(manifest_bytes),
        },
        f"証拠を書き出しました: {out.name}（{len(artefacts)} 点、ZIP の SHA-256 {zip_sha256[:12]}…）",
    )
    return ExportReport(
        path=out,
        incident_id=incident_id,
        artefacts=len(artefacts),
        size=size,
        sha256=zip_sha256,
        exported_at=exported_at,
    )


def _write(
    archive: zipfile.ZipFile,
    name: str,
    content: bytes,
    when: dt.datetime,
    kind: EvidenceKind | None = None,
) -> None:
    local = when.astimezone(JST)
    info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED if kind == EvidenceKind.SCREENSHOT else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, content)


def _manifest_entry(evidence: Evidence, path: str) -> ManifestArtefact:
    note = evidence.meta.get("note")
    return ManifestArtefact(
        path=path,
        evidence_id=evidence.id,
        capture_id=evidence.capture_id,
        kind=evidence.kind,
        filename=evidence.filename,
        sha256=evidence.sha256,
        size=evidence.size,
        media_type=evidence.media_type,
        captured_at_utc=utc(evidence.captured_at) or "",
        captured_at_jst=jst(evidence.captured_at) or "",
        captured_by=evidence.captured_by,
        source_url=evidence.source_url,
        final_url=evidence.final_url,
        author=evidence.author,
        post_key=evidence.post_key,
        posted_at_utc=utc(evidence.posted_at),
        posted_at_jst=jst(evidence.posted_at),
        http_status=evidence.http_status,
        truncated=bool(evidence.meta.get("truncated", False)),
        duplicate_of=evidence.duplicate_of,
        note=note if isinstance(note, str) else None,
    )


def _document(path: str, content: bytes, media_type: str) -> ManifestDocument:
    return ManifestDocument(path=path, sha256=sha256_hex(content), size=len(content), media_type=media_type)


def _custody_json(entries: list[CustodyEntry], paths: dict[int, str]) -> bytes:
    rows: list[dict[str, Any]] = [
        {
            "id": entry.id,
            "at_utc": utc(entry.at),
            "at_jst": jst(entry.at),
            "action": entry.action.value,
            "action_label": entry.action_label,
            "actor": entry.actor,
            "evidence_id": entry.evidence_id,
            "path": paths.get(entry.evidence_id) if entry.evidence_id is not None else None,
            "detail": entry.detail,
        }
        for entry in entries
    ]
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(value: str | None) -> str:
    """Untrusted text must not become an Excel formula (a post that starts with 「=HYPERLINK(」)."""
    text = " ".join((value or "").split())
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _lawyer_list(artefacts: list[Evidence]) -> bytes:
    """One row per captured post or page (repeat captures of the same bytes are left to the manifest)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LIST_HEADERS)
    number = 0
    for evidence in artefacts:
        if evidence.kind not in PRIMARY_KINDS or evidence.duplicate_of is not None:
            continue
        number += 1
        excerpt = str(evidence.meta.get("text_excerpt") or evidence.meta.get("page_title") or "")
        excerpt = excerpt[:EXCERPT_CHARS] + ("…" if len(excerpt) > EXCERPT_CHARS else "")
        status = evidence.http_status
        if status is not None and status >= 400:
            excerpt = (
                f"（HTTP {status}: {'削除済み・存在しない' if status in (404, 410) else 'エラー'}）{excerpt}"
            )
        kind = "" if evidence.kind == EvidenceKind.POST else f"[{EVIDENCE_KIND_LABELS[evidence.kind]}] "
        writer.writerow(
            [
                str(number),
                (jst(evidence.posted_at) or "").removesuffix(" JST"),
                _cell(evidence.author),
                _cell(evidence.source_url),
                _cell(kind + excerpt),
                (jst(evidence.captured_at) or "").removesuffix(" JST"),
                evidence.sha256,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
