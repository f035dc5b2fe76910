"""Records of the evidence domain: a captured artefact, the custody log, and what export and verify report.

An artefact is immutable once captured: its bytes, their SHA-256 and the capture time are the evidence a lawyer
relies on in a 削除請求 or 発信者情報開示 request, so a correction is a new capture, never an edit.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.errors import HikeshiError


class CaptureError(HikeshiError):
    """A page could not be captured (unreachable, refused, too large); nothing was stored."""


class EvidenceKind(StrEnum):
    POST = "post"
    HTML = "html"
    TEXT = "text"
    HEADERS = "headers"
    SCREENSHOT = "screenshot"


EVIDENCE_KIND_LABELS = {
    EvidenceKind.POST: "投稿",
    EvidenceKind.HTML: "ページ（取得したまま）",
    EvidenceKind.TEXT: "本文テキスト",
    EvidenceKind.HEADERS: "HTTP 応答ヘッダー",
    EvidenceKind.SCREENSHOT: "スクリーンショット",
}

PRIMARY_KINDS = frozenset({EvidenceKind.POST, EvidenceKind.HTML})
"""The artefact that stands for a capture in the lawyer's list (the post itself, or the page as received)."""


class CustodyAction(StrEnum):
    CAPTURE = "capture"
    EXPORT = "export"


CUSTODY_ACTION_LABELS = {CustodyAction.CAPTURE: "保全", CustodyAction.EXPORT: "書き出し"}


class NewArtefact(BaseModel):
    """An artefact about to be stored: its bytes and what is known about where they came from."""

    model_config = ConfigDict(frozen=True)

    kind: EvidenceKind
    content: bytes
    media_type: str
    filename: str
    source_url: str | None = None
    final_url: str | None = None
    post_key: str | None = None
    author: str | None = None
    posted_at: AwareDatetime | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class Evidence(BaseModel):
    """One stored artefact; its content is read separately (`EvidenceStore.content`), it may be megabytes."""

    model_config = ConfigDict(frozen=True)

    id: int
    incident_id: int
    capture_id: str = Field(description="artefacts captured together (a page's HTML, text, headers, PNG)")
    kind: EvidenceKind
    source_url: str | None = None
    final_url: str | None = Field(default=None, description="after redirects")
    post_key: str | None = Field(default=None, description="source:source_id, as Post.key")
    author: str | None = None
    posted_at: AwareDatetime | None = None
    captured_at: AwareDatetime
    captured_by: str
    media_type: str
    filename: str
    size: int
    sha256: str
    meta: dict[str, Any] = Field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return EVIDENCE_KIND_LABELS[self.kind]

    @property
    def duplicate_of(self) -> int | None:
        """An earlier artefact of this incident with the same origin and the same bytes (a repeat capture)."""
        value = self.meta.get("duplicate_of")
        return value if isinstance(value, int) else None

    @property
    def http_status(self) -> int | None:
        value = self.meta.get("http_status")
        return value if isinstance(value, int) else None


class CustodyEntry(BaseModel):
    """One line of the append-only custody log: who did what to which artefact, and when."""

    model_config = ConfigDict(frozen=True)

    id: int
    incident_id: int
    evidence_id: int | None
    action: CustodyAction
    actor: str
    at: AwareDatetime
    detail: dict[str, Any] = Field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return CUSTODY_ACTION_LABELS[self.action]


class ManifestArtefact(BaseModel):
    """One artefact as `manifest.json` lists it (times in both UTC and JST: lawyers in Japan read JST)."""

    path: str
    evidence_id: int
    capture_id: str
    kind: EvidenceKind
    filename: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    media_type: str
    captured_at_utc: str
    captured_at_jst: str
    captured_by: str
    source_url: str | None = None
    final_url: str | None = None
    author: str | None = None
    post_key: str | None = None
    posted_at_utc: str | None = None
    posted_at_jst: str | None = None
    http_status: int | None = None
    truncated: bool = False
    duplicate_of: int | None = None
    note: str | None = None


class ManifestDocument(BaseModel):
    """A supporting file of the export (custody log, lawyer's list), hashed like the artefacts."""

    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    media_type: str


class Manifest(BaseModel):
    format: str
    incident_id: int
    title: str
    watch: str
    exported_at_utc: str
    exported_at_jst: str
    exported_by: str
    artefacts: list[ManifestArtefact]
    documents: list[ManifestDocument] = Field(default_factory=list)


class ExportReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path
    incident_id: int
    artefacts: int
    size: int
    sha256: str = Field(description="the ZIP's own hash, also written to the custody log")
    exported_at: AwareDatetime


class VerifyStatus(StrEnum):
    OK = "OK"
    NG = "NG"
    MISSING = "MISSING"
    EXTRA = "EXTRA"
    ERROR = "ERROR"


class VerifyLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: VerifyStatus
    path: str
    detail: str

    def render(self) -> str:
        return f"{self.status.value:<7} {self.path}  {self.detail}".rstrip()


class VerifyReport(BaseModel):
    """Each artefact's result, plus problems with the ZIP itself (corrupt, no manifest, unsafe names)."""

    model_config = ConfigDict(frozen=True)

    path: Path
    lines: list[VerifyLine]
    incident_id: int | None = None

    @property
    def ok(self) -> bool:
        return bool(self.lines) and all(line.status == VerifyStatus.OK for line in self.lines)

    @property
    def checked(self) -> int:
        return sum(1 for line in self.lines if line.status in (VerifyStatus.OK, VerifyStatus.NG))

    @property
    def failures(self) -> list[VerifyLine]:
        return [line for line in self.lines if line.status != VerifyStatus.OK]
