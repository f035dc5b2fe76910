"""Evidence: artefacts captured for an incident (posts, pages, screenshots), hashed, logged, exported, verified.

A 削除請求 or 発信者情報開示 request needs proof of what was posted, where, by whom and when, and that the proof was
not changed afterwards; this package captures it, keeps an append-only custody log, and exports a ZIP that can
be verified without hikeshi's database.
"""

from hikeshi.respond.evidence.capture import capture_post, capture_top, capture_url
from hikeshi.respond.evidence.export import export_zip
from hikeshi.respond.evidence.records import (
    CaptureError,
    CustodyAction,
    CustodyEntry,
    Evidence,
    EvidenceKind,
    ExportReport,
    VerifyLine,
    VerifyReport,
    VerifyStatus,
)
from hikeshi.respond.evidence.store import EvidenceStore
from hikeshi.respond.evidence.verify import verify_zip

__all__ = [
    "CaptureError",
    "CustodyAction",
    "CustodyEntry",
    "Evidence",
    "EvidenceKind",
    "EvidenceStore",
    "ExportReport",
    "VerifyLine",
    "VerifyReport",
    "VerifyStatus",
    "capture_post",
    "capture_top",
    "capture_url",
    "export_zip",
    "verify_zip",
]
