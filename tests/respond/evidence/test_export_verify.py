"""capture → export → verify on the minato flame, and every way an exported ZIP can be damaged or tampered with."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from hikeshi.errors import ConflictError, InputError
from hikeshi.respond.evidence import (
    CustodyAction,
    EvidenceStore,
    VerifyStatus,
    capture_top,
    capture_url,
    export_zip,
    verify_zip,
)
from hikeshi.respond.incidents.models import EvidenceRow
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from tests.respond.evidence.conftest import Flame
from tests.sources.loopback import Reply, serving

PAGE = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ミナト住建の件</title></head><body>'
    "<article><p>ミナト住建の営業の LINE、先にわかっていたら会社や私も無駄な時間は使わない、だそうです。</p>"
    "<p>契約しなかった客にこの言い方はひどい。</p></article></body></html>"
)


@pytest.fixture
def exported(minato: Flame, tmp_path: Path) -> Path:
    capture_top(minato.store, minato.incident_id, 5, "広報 田中")
    with serving() as server:
        url = server.route("/post/1", Reply(200, PAGE, content_type="text/html; charset=utf-8"))
        capture_url(minato.store, minato.settings, minato.incident_id, url, "法務 鈴木", screenshot=False)
    out = tmp_path / "evidence.zip"
    export_zip(minato.store, minato.incident_id, out, "法務 鈴木")
    return out


def test_the_whole_chain_verifies_and_the_export_is_in_the_custody_log(minato: Flame, tmp_path: Path) -> None:
    capture_top(minato.store, minato.incident_id, 5, "広報 田中")
    out = tmp_path / "top5.zip"
    report = export_zip(minato.store, minato.incident_id, out, "法務 鈴木")
    assert report.artefacts == 5 and report.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    verified = verify_zip(out)
    assert verified.ok and verified.checked == 7 and verified.incident_id == minato.incident_id
    custody = EvidenceStore(minato.store).custody(minato.incident_id)
    assert custody[-1].action == CustodyAction.EXPORT and custody[-1].actor == "法務 鈴木"
    assert custody[-1].detail["sha256"] == report.sha256 and custody[-1].evidence_id is None
    event = IncidentStore(minato.store).events(minato.incident_id, kinds=[EventKind.EVIDENCE])[-1]
    assert event.data["action"] == "export" and report.sha256[:12] in event.summary


def test_the_manifest_names_every_artefact_with_times_in_jst_and_utc(minato: Flame, exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    assert manifest["incident_id"] == minato.incident_id and manifest["watch"] == "ミナト住建"
    assert manifest["title"].startswith("ミナト住建: ") and manifest["exported_by"] == "法務 鈴木"
    artefacts = manifest["artefacts"]
    assert len(artefacts) == 8 and {entry["path"] for entry in artefacts} <= names
    top = artefacts[0]
    assert top["post_key"] == "x:x-002695" and top["author"] == "kaji_mama_blog"
    assert (
        top["posted_at_jst"] == "2026-03-13 12:40:00 JST" and top["posted_at_utc"] == "2026-03-13T03:40:00Z"
    )
    assert top["captured_at_jst"].endswith(" JST") and top["captured_at_utc"].endswith("Z")
    page = next(entry for entry in artefacts if entry["kind"] == "html")
    assert (
        page["final_url"] == page["source_url"] and page["http_status"] == 200 and page["truncated"] is False
    )
    assert {document["path"] for document in manifest["documents"]} == {"custody.json", "evidence_list.csv"}


def test_the_lawyers_list_is_utf8_with_bom_and_japanese_headers(exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        raw = archive.read("evidence_list.csv")
        custody = json.loads(archive.read("custody.json"))
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["番号", "投稿日時", "投稿者", "URL", "内容（抜粋）", "取得日時", "SHA-256"]
    assert len(rows) == 7  # five posts and one page
    assert rows[1][:4] == ["1", "2026-03-13 12:40:00", "kaji_mama_blog", "https://example.invalid/x/002695"]
    assert rows[1][4].startswith("ミナト住建の件、社長が出てこないのがすべて") and len(rows[1][6]) == 64
    assert rows[6][4].startswith("[ページ（取得したまま）] ") and "無駄な時間は使わない" in rows[6][4]
    assert [entry["action"] for entry in custody] == ["capture"] * 8
    assert {entry["actor"] for entry in custody} == {"広報 田中", "法務 鈴木"}


def _rewrite(source: Path, target: Path, change: Callable[[str, bytes], tuple[str, bytes] | None]) -> None:
    """Copy a ZIP member by member through `change` (None drops the member); CRCs are recomputed, as a
    careful forger would."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            changed = change(info.filename, old.read(info.filename))
            if changed is not None:
                new.writestr(zipfile.ZipInfo(changed[0], date_time=info.date_time), changed[1])


def _flip(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]


FIRST = "artefacts/00001-post-x_x-002695.json"


def _tamper(name: str, content: bytes) -> tuple[str, bytes] | None:
    return (name, _flip(content) if name == FIRST else content)


def _drop(name: str, content: bytes) -> tuple[str, bytes] | None:
    return None if name == FIRST else (name, content)


def _broken_manifest(name: str, content: bytes) -> tuple[str, bytes] | None:
    return (name, b'{"format": "hikeshi-evidence/1", "artefacts": [' if name == "manifest.json" else content)


def _no_manifest(name: str, content: bytes) -> tuple[str, bytes] | None:
    return None if name == "manifest.json" else (name, content)


def _traversal(name: str, content: bytes) -> tuple[str, bytes] | None:
    return ("../x" if name == FIRST else name, content)


def _manifest_traversal(name: str, content: bytes) -> tuple[str, bytes] | None:
    if name == "manifest.json":
        return (name, content.replace(FIRST.encode(), b"../../etc/passwd"))
    return (name, content)


@pytest.mark.parametrize(
    ("change", "status", "path", "detail"),
    [
        (_tamper, VerifyStatus.NG, FIRST, "SHA-256 が一致しません"),
        (_drop, VerifyStatus.MISSING, FIRST, "ZIP にありません"),
        (_broken_manifest, VerifyStatus.ERROR, "manifest.json", "JSON として読めません"),
        (_no_manifest, VerifyStatus.ERROR, "manifest.json", "manifest.json がありません"),
        (_traversal, VerifyStatus.ERROR, "../x", "フォルダの外を指す危険な名前"),
        (_manifest_traversal, VerifyStatus.ERROR, "../../etc/passwd", "manifest の名前が危険"),
    ],
)
def test_a_damaged_or_tampered_export_fails_naming_what_is_wrong(
    exported: Path,
    tmp_path: Path,
    change: Callable[[str, bytes], tuple[str, bytes] | None],
    status: VerifyStatus,
    path: str,
    detail: str,
) -> None:
    damaged = tmp_path / "damaged.zip"
    _rewrite(exported, damaged, change)
    report = verify_zip(damaged)
    assert not report.ok
    assert any(line.status == status and line.path == path and detail in line.detail for line in report.lines)
    if change is _tamper:  # only the changed artefact fails; the others still prove themselves
        assert [line.path for line in report.failures] == [FIRST] and report.checked == 10


def test_an_added_file_is_reported_as_extra(exported: Path, tmp_path: Path) -> None:
    added = tmp_path / "added.zip"
    _rewrite(exported, added, lambda name, content: (name, content))
    with zipfile.ZipFile(added, "a") as archive:
        archive.writestr("artefacts/99999-post-x_fake.json", '{"text": "捏造した投稿"}')
    report = verify_zip(added)
    assert [(line.status, line.path) for line in report.failures] == [
        (VerifyStatus.EXTRA, "artefacts/99999-post-x_fake.json")
    ]


def test_one_byte_flipped_in_the_file_itself_names_the_artefact(exported: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        info = archive.getinfo(FIRST)
    raw = bytearray(exported.read_bytes())
    header = 30 + len(info.filename.encode()) + len(info.extra)
    raw[info.header_offset + header + info.compress_size // 2] ^= 0x01
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(raw))
    report = verify_zip(flipped)
    assert [(line.status, line.path) for line in report.failures] == [(VerifyStatus.NG, FIRST)]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"", "ZIP として読めません"),
        (b"PK\x03\x04 this is not really a zip", "ZIP として読めません"),
        ("証拠一覧.txt".encode(), "ZIP として読めません"),
    ],
)
def test_a_file_that_is_not_a_zip_fails(tmp_path: Path, content: bytes, detail: str) -> None:
    path = tmp_path / "not.zip"
    path.write_bytes(content)
    report = verify_zip(path)
    assert not report.ok and len(report.lines) == 1 and detail in report.lines[0].detail


def test_a_truncated_zip_fails(exported: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.zip"
    cut.write_bytes(exported.read_bytes()[: exported.stat().st_size // 2])
    report = verify_zip(cut)
    assert not report.ok and report.lines[0].status == VerifyStatus.ERROR


def test_a_missing_file_fails(tmp_path: Path) -> None:
    report = verify_zip(tmp_path / "nowhere.zip")
    assert not report.ok and report.lines[0].detail == "ファイルがありません"


def test_export_refuses_an_incident_without_evidence_or_a_missing_folder(
    minato: Flame, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="保全した証拠がありません"):
        export_zip(minato.store, minato.incident_id, tmp_path / "empty.zip", "田中")
    capture_top(minato.store, minato.incident_id, 1, "田中")
    with pytest.raises(InputError, match=r"フォルダ .* がありません"):
        export_zip(minato.store, minato.incident_id, tmp_path / "no" / "such" / "dir.zip", "田中")
    assert not (tmp_path / "empty.zip").exists()


def test_export_refuses_evidence_changed_in_the_database(minato: Flame, tmp_path: Path) -> None:
    evidence = capture_top(minato.store, minato.incident_id, 2, "田中")[1]
    with minato.store.writer.begin() as connection:
        connection.execute(
            update(EvidenceRow)
            .where(EvidenceRow.id == evidence.id)
            .values(content='{"text": "書き換え"}'.encode())
        )
    out = tmp_path / "evidence.zip"
    with pytest.raises(ConflictError, match=f"証拠 #{evidence.id}.*一致しません"):
        export_zip(minato.store, minato.incident_id, out, "田中")
    assert not out.exists() and list(tmp_path.glob("*.zip")) == []


def test_a_second_export_carries_the_first_in_its_custody_log(
    minato: Flame, exported: Path, tmp_path: Path
) -> None:
    first_hash = hashlib.sha256(exported.read_bytes()).hexdigest()
    again = tmp_path / "again.zip"
    export_zip(minato.store, minato.incident_id, again, "弁護士 山本")
    with zipfile.ZipFile(again) as archive:
        custody = json.loads(archive.read("custody.json"))
    assert custody[-1]["action"] == "export" and custody[-1]["detail"]["sha256"] == first_hash
    assert verify_zip(again).ok
