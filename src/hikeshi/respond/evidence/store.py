"""`EvidenceStore`: every read and write of captured artefacts and their custody log.

A capture is one transaction: the artefacts, one custody entry per artefact and the incident's `evidence`
timeline event are written together, so a crash never leaves evidence without custody or a timeline entry
pointing at nothing. Rows are only ever inserted; the custody log is append-only.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from hikeshi.errors import InputError, NotFoundError
from hikeshi.respond.evidence.records import (
    PRIMARY_KINDS,
    CustodyAction,
    CustodyEntry,
    Evidence,
    EvidenceKind,
    NewArtefact,
)
from hikeshi.respond.incidents.models import CustodyRow, EvidenceRow
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.store import Store
from hikeshi.timezones import utc_now

MAX_ACTOR = 100
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def safe_filename(stem: str, extension: str, limit: int = 120) -> str:
    """An ASCII file name that is safe in a ZIP on any system (`x:1234/5` → ``x_1234_5``)."""
    cleaned = _UNSAFE_FILENAME.sub("_", stem).strip("._") or "artefact"
    return f"{cleaned[:limit]}{extension}"


def clean_actor(actor: str) -> str:
    name = actor.strip()
    if not name:
        raise InputError("保全した人の名前が空です（--by で指定してください）。")
    if len(name) > MAX_ACTOR or any(ord(ch) < 0x20 for ch in name):
        raise InputError(f"保全した人の名前は制御文字を含まない {MAX_ACTOR} 文字以内にしてください。")
    return name


class EvidenceStore:
    """Artefacts on the installation's database, next to the incidents they belong to."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.incidents = IncidentStore(store)

    # --- reading ----------------------------------------------------------------------------------------------

    def list(self, incident_id: int) -> list[Evidence]:
        """The incident's artefacts in capture order (an unknown incident is a NotFoundError, not [])."""
        self.incidents.get(incident_id)
        with Session(self.store.engine) as session:
            rows = session.execute(
                select(*_EVIDENCE_COLUMNS)
                .where(EvidenceRow.incident_id == incident_id)
                .order_by(EvidenceRow.captured_at, EvidenceRow.id)
            )
            return [_evidence(row._mapping) for row in rows]

    def get(self, evidence_id: int) -> Evidence:
        with Session(self.store.engine) as session:
            row = session.execute(select(*_EVIDENCE_COLUMNS).where(EvidenceRow.id == evidence_id)).first()
        if row is None:
            raise NotFoundError(
                f"証拠 #{evidence_id} はありません。`hikeshi evidence list` で確認してください。"
            )
        return _evidence(row._mapping)

    def content(self, evidence_id: int) -> bytes:
        with Session(self.store.engine) as session:
            content = session.scalar(select(EvidenceRow.content).where(EvidenceRow.id == evidence_id))
        if content is None:
            raise NotFoundError(
                f"証拠 #{evidence_id} はありません。`hikeshi evidence list` で確認してください。"
            )
        return bytes(content)

    def custody(self, incident_id: int) -> builtins.list[CustodyEntry]:
        self.incidents.get(incident_id)
        with Session(self.store.engine) as session:
            rows = session.scalars(
                select(CustodyRow)
                .where(CustodyRow.incident_id == incident_id)
                .order_by(CustodyRow.at, CustodyRow.id)
            )
            return [
                CustodyEntry(
                    id=row.id,
                    incident_id=row.incident_id,
                    evidence_id=row.evidence_id,
                    action=CustodyAction(row.action),
                    actor=row.actor,
                    at=row.at,
                    detail=dict(row.detail or {}),
                )
                for row in rows
            ]

    # --- writing ----------------------------------------------------------------------------------------------

    def add_capture(
        self,
        incident_id: int,
        artefacts: Sequence[NewArtefact],
        actor: str,
        summary: str,
        *,
        at: dt.datetime | None = None,
    ) -> builtins.list[Evidence]:
        """Store one capture: hash every artefact, log custody, add the timeline event, all in one transaction.

        A repeat capture of an origin (post key or URL) whose bytes equal an earlier artefact of the same kind
        is stored again but marked `duplicate_of`: the second observation time is itself a fact (the post was
        still up and unchanged at 23:40), which a silent de-duplication would lose.
        """
        if not artefacts:
            raise InputError("保全する内容がありません。")
        actor = clean_actor(actor)
        captured_at = at or utc_now()
        capture_id = uuid.uuid4().hex
        ids: builtins.list[int] = []
        with self.store.writer.begin() as connection:
            self.incidents._require(connection, incident_id)
            repeats: builtins.list[int] = []
            for artefact in artefacts:
                digest = sha256_hex(artefact.content)
                meta = dict(artefact.meta)
                earlier = _same_bytes(connection, incident_id, artefact, digest)
                if earlier is not None:
                    meta["duplicate_of"] = earlier
                    if artefact.kind in PRIMARY_KINDS:
                        repeats.append(earlier)
                evidence_id = connection.execute(
                    insert(EvidenceRow)
                    .values(
                        incident_id=incident_id,
                        capture_id=capture_id,
                        kind=artefact.kind.value,
                        source_url=artefact.source_url,
                        final_url=artefact.final_url,
                        post_key=artefact.post_key,
                        author=artefact.author,
                        posted_at=artefact.posted_at,
                        captured_at=captured_at,
                        captured_by=actor,
                        media_type=artefact.media_type,
                        filename=artefact.filename,
                        size=len(artefact.content),
                        sha256=digest,
                        content=artefact.content,
                        meta=meta,
                    )
                    .returning(EvidenceRow.id)
                ).scalar_one()
                ids.append(evidence_id)
                self._custody(
                    connection,
                    incident_id,
                    evidence_id,
                    CustodyAction.CAPTURE,
                    actor,
                    captured_at,
                    {"capture_id": capture_id, "kind": artefact.kind.value, "sha256": digest},
                )
            if repeats:
                summary += f"（#{repeats[0]} と同一内容の再取得）"
            self.incidents._event(
                connection,
                incident_id,
                EventKind.EVIDENCE,
                summary,
                actor,
                at=captured_at,
                data={"action": "capture", "capture_id": capture_id, "evidence_ids": ids},
            )
        return [self.get(evidence_id) for evidence_id in ids]

    def record_export(
        self, incident_id: int, actor: str, at: dt.datetime, detail: dict[str, Any], summary: str
    ) -> CustodyEntry:
        """Log an export (the ZIP's own hash is in `detail`) in the custody log and on the timeline."""
        actor = clean_actor(actor)
        with self.store.writer.begin() as connection:
            self.incidents._require(connection, incident_id)
            self._custody(connection, incident_id, None, CustodyAction.EXPORT, actor, at, detail)
            self.incidents._event(
                connection,
                incident_id,
                EventKind.EVIDENCE,
                summary,
                actor,
                at=at,
                data={"action": "export", **detail},
            )
        return self.custody(incident_id)[-1]

    def _custody(
        self,
        connection: Connection,
        incident_id: int,
        evidence_id: int | None,
        action: CustodyAction,
        actor: str,
        at: dt.datetime,
        detail: dict[str, Any],
    ) -> None:
        connection.execute(
            insert(CustodyRow).values(
                incident_id=incident_id,
                evidence_id=evidence_id,
                action=action.value,
                actor=actor,
                at=at,
                detail=detail,
            )
        )


def _same_bytes(connection: Connection, incident_id: int, artefact: NewArtefact, digest: str) -> int | None:
    """The earliest artefact of this incident with the same kind, origin and hash, if any."""
    statement = select(EvidenceRow.id).where(
        EvidenceRow.incident_id == incident_id,
        EvidenceRow.kind == artefact.kind.value,
        EvidenceRow.sha256 == digest,
    )
    if artefact.post_key is not None:
        statement = statement.where(EvidenceRow.post_key == artefact.post_key)
    elif artefact.source_url is not None:
        statement = statement.where(EvidenceRow.source_url == artefact.source_url)
    found = connection.scalar(statement.order_by(EvidenceRow.id).limit(1))
    return int(found) if found is not None else None


_EVIDENCE_COLUMNS = [column for column in EvidenceRow.__table__.c if column.name != "content"]


def _evidence(row: Any) -> Evidence:
    return Evidence(
        id=row["id"],
        incident_id=row["incident_id"],
        capture_id=row["capture_id"],
        kind=EvidenceKind(row["kind"]),
        source_url=row["source_url"],
        final_url=row["final_url"],
        post_key=row["post_key"],
        author=row["author"],
        posted_at=row["posted_at"],
        captured_at=row["captured_at"],
        captured_by=row["captured_by"],
        media_type=row["media_type"],
        filename=row["filename"],
        size=row["size"],
        sha256=row["sha256"],
        meta=dict(row["meta"] or {}),
    )
