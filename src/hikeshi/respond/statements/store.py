"""`StatementStore`: every read and write of position papers, statements, their versions and inquiries.

Each write and its timeline event are one transaction (the incident store's `_event` on the same connection),
so the incident's timeline is the full history: a paper version saved, a draft created, a version revised,
a statement submitted, approved or published. Versions are only inserted, never edited.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.orm import Session

from hikeshi.errors import ConflictError, InputError, NotFoundError
from hikeshi.respond.incidents.records import EventKind
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.respond.statements.models import (
    InquiryRow,
    PositionPaperRow,
    StatementRow,
    StatementVersionRow,
)
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import (
    DRAFT_KIND_LABELS,
    DraftKind,
    Inquiry,
    LintSummary,
    PaperVersion,
    Publication,
    Statement,
    StatementStatus,
    StatementVersion,
)
from hikeshi.store import Store
from hikeshi.timezones import utc_now

MAX_NAME = 100
MAX_TITLE = 300
MAX_TEXT = 200_000


def clean_name(value: str, field: str = "操作した人") -> str:
    name = value.strip()
    if not name:
        raise InputError(f"{field}の名前が空です（--by で指定してください）。")
    if len(name) > MAX_NAME or any(ord(ch) < 0x20 for ch in name):
        raise InputError(f"{field}の名前は制御文字を含まない {MAX_NAME} 文字以内にしてください。")
    return name


def clean_text(text: str, title: str) -> tuple[str, str]:
    """A statement's text and title as stored: not empty, bounded, no control characters but line breaks."""
    body = text.strip("\n")
    if not body.strip():
        raise InputError("声明の本文が空です。")
    if len(body) > MAX_TEXT:
        raise InputError(f"声明の本文は {MAX_TEXT:,} 文字以内にしてください（{len(body):,} 文字）。")
    if any(ord(ch) < 0x20 and ch not in "\n\t\r" for ch in body):
        raise InputError("声明の本文に制御文字は使えません。")
    heading = " ".join(title.split())[:MAX_TITLE]
    if not heading:
        raise InputError("声明の題名が空です。")
    return body, heading


class StatementStore:
    """Statements on the installation's database, next to the incidents they belong to."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.incidents = IncidentStore(store)

    # --- position papers --------------------------------------------------------------------------------------

    def save_paper(
        self,
        incident_id: int,
        paper: PositionPaper,
        author: str,
        *,
        source: str | None = None,
        at: dt.datetime | None = None,
    ) -> PaperVersion:
        """Store the next version of the incident's paper and note it on the timeline."""
        author = clean_name(author)
        when = at or utc_now()
        body = paper.model_dump(mode="json")
        with self.store.writer.begin() as connection:
            self.incidents._require(connection, incident_id)
            latest = connection.execute(
                select(func.max(PositionPaperRow.version)).where(PositionPaperRow.incident_id == incident_id)
            ).scalar()
            version = (latest or 0) + 1
            connection.execute(
                insert(PositionPaperRow).values(
                    incident_id=incident_id,
                    version=version,
                    body=body,
                    source=source,
                    author=author,
                    created_at=when,
                )
            )
            self.incidents._event(
                connection,
                incident_id,
                EventKind.NOTE,
                f"ポジションペーパー第 {version} 版を保存しました（{paper.as_of:%m/%d %H:%M} 時点の事実）",
                author,
                at=when,
                data={"action": "position_paper", "version": version},
            )
        return self.paper(incident_id, version)

    def paper(self, incident_id: int, version: int | None = None) -> PaperVersion:
        """The given version, or the latest; NotFoundError naming what to do when there is none."""
        self.incidents.get(incident_id)
        with Session(self.store.engine) as session:
            statement = select(PositionPaperRow).where(PositionPaperRow.incident_id == incident_id)
            if version is not None:
                statement = statement.where(PositionPaperRow.version == version)
            row = session.scalars(statement.order_by(PositionPaperRow.version.desc()).limit(1)).first()
            if row is None:
                which = f"第 {version} 版" if version is not None else ""
                raise NotFoundError(
                    f"インシデント {incident_id} にポジションペーパー{which}はありません。"
                    f"`hikeshi statement paper save --incident {incident_id} FILE.yaml` で保存してください。"
                )
            return _paper(row)

    def papers(self, incident_id: int) -> builtins.list[PaperVersion]:
        self.incidents.get(incident_id)
        with Session(self.store.engine) as session:
            rows = session.scalars(
                select(PositionPaperRow)
                .where(PositionPaperRow.incident_id == incident_id)
                .order_by(PositionPaperRow.version)
            )
            return [_paper(row) for row in rows]

    # --- statements -------------------------------------------------------------------------------------------

    def create(
        self,
        incident_id: int,
        kind: DraftKind,
        title: str,
        text: str,
        lint: LintSummary,
        author: str,
        *,
        paper_version: int | None = None,
        at: dt.datetime | None = None,
    ) -> Statement:
        """Store a new draft (version 1) and note it on the timeline."""
        author = clean_name(author)
        body, heading = clean_text(text, title)
        when = at or utc_now()
        with self.store.writer.begin() as connection:
            self.incidents._require(connection, incident_id)
            statement_id = connection.execute(
                insert(StatementRow)
                .values(
                    incident_id=incident_id,
                    kind=kind.value,
                    title=heading,
                    text=body,
                    status=StatementStatus.DRAFT.value,
                    version=1,
                    lint=lint.model_dump(mode="json"),
                    lint_level=lint.level,
                    author=author,
                    paper_version=paper_version,
                    approver=None,
                    approved_at=None,
                    override_reason=None,
                    published_at=None,
                    channel=None,
                    publications=[],
                    created_at=when,
                    updated_at=when,
                )
                .returning(StatementRow.id)
            ).scalar_one()
            self._version(connection, statement_id, 1, heading, body, lint, author, when, None)
            self.incidents._event(
                connection,
                incident_id,
                EventKind.NOTE,
                f"声明 #{statement_id}（{DRAFT_KIND_LABELS[kind]}）の下書きを作成しました: {heading}",
                author,
                at=when,
                data={"action": "statement_draft", "statement_id": statement_id, "kind": kind.value},
            )
        return self.get(statement_id)

    def get(self, statement_id: int) -> Statement:
        with Session(self.store.engine) as session:
            row = session.get(StatementRow, statement_id)
            if row is None:
                raise NotFoundError(
                    f"声明 #{statement_id} はありません。`hikeshi statement list --incident ID` で確認してください。"
                )
            return _statement(row)

    def list(self, incident_id: int) -> builtins.list[Statement]:
        self.incidents.get(incident_id)
        with Session(self.store.engine) as session:
            rows = session.scalars(
                select(StatementRow).where(StatementRow.incident_id == incident_id).order_by(StatementRow.id)
            )
            return [_statement(row) for row in rows]

    def versions(self, statement_id: int) -> builtins.list[StatementVersion]:
        self.get(statement_id)
        with Session(self.store.engine) as session:
            rows = session.scalars(
                select(StatementVersionRow)
                .where(StatementVersionRow.statement_id == statement_id)
                .order_by(StatementVersionRow.version)
            )
            return [
                StatementVersion(
                    statement_id=row.statement_id,
                    version=row.version,
                    title=row.title,
                    text=row.text,
                    lint=LintSummary.model_validate(row.lint),
                    author=row.author,
                    created_at=row.created_at,
                    note=row.note,
                )
                for row in rows
            ]

    def transition(
        self,
        statement_id: int,
        allowed_from: frozenset[StatementStatus],
        values: dict[str, Any],
        *,
        event_kind: EventKind,
        summary: str,
        actor: str,
        event_data: dict[str, Any],
        at: dt.datetime,
        new_version: tuple[str, str, LintSummary, str | None] | None = None,
    ) -> Statement:
        """Apply one approval step atomically: only from `allowed_from`, else ConflictError (someone was first).

        `new_version` (title, text, lint, note) also appends a version row, for a revision.
        """
        with self.store.writer.begin() as connection:
            row = connection.execute(select(StatementRow).where(StatementRow.id == statement_id)).first()
            if row is None:
                raise NotFoundError(f"声明 #{statement_id} はありません。")
            changes = dict(values, updated_at=at)
            if new_version is not None:
                changes["version"] = row.version + 1
            changed = connection.execute(
                update(StatementRow)
                .where(
                    StatementRow.id == statement_id,
                    StatementRow.status.in_([status.value for status in allowed_from]),
                    StatementRow.version == row.version,
                )
                .values(**changes)
            ).rowcount
            if changed == 0:
                raise ConflictError(
                    f"声明 #{statement_id} は他の人が先に変更しました。表示し直してから操作してください。"
                )
            if new_version is not None:
                title, text, lint, note = new_version
                self._version(connection, statement_id, row.version + 1, title, text, lint, actor, at, note)
            self.incidents._event(
                connection, row.incident_id, event_kind, summary, actor, at=at, data=event_data
            )
        return self.get(statement_id)

    # --- inquiries --------------------------------------------------------------------------------------------

    def add_inquiry(self, incident_id: int, inquiry: Inquiry) -> Inquiry:
        with self.store.writer.begin() as connection:
            self.incidents._require(connection, incident_id)
            inquiry_id = connection.execute(
                insert(InquiryRow)
                .values(incident_id=incident_id, **inquiry.model_dump(exclude={"id"}))
                .returning(InquiryRow.id)
            ).scalar_one()
        return inquiry.model_copy(update={"id": inquiry_id})

    def inquiries(self, incident_id: int) -> builtins.list[Inquiry]:
        self.incidents.get(incident_id)
        with Session(self.store.engine) as session:
            rows = session.scalars(
                select(InquiryRow)
                .where(InquiryRow.incident_id == incident_id)
                .order_by(InquiryRow.at, InquiryRow.id)
            )
            return [
                Inquiry(
                    id=row.id,
                    at=row.at,
                    channel=row.channel,
                    caller=row.caller,
                    question=row.question,
                    answer=row.answer,
                    repeat=row.repeat,
                    escalated=row.escalated,
                    logged_by=row.logged_by,
                )
                for row in rows
            ]

    # --- helpers ----------------------------------------------------------------------------------------------

    def _version(
        self,
        connection: Connection,
        statement_id: int,
        version: int,
        title: str,
        text: str,
        lint: LintSummary,
        author: str,
        at: dt.datetime,
        note: str | None,
    ) -> None:
        connection.execute(
            insert(StatementVersionRow).values(
                statement_id=statement_id,
                version=version,
                title=title,
                text=text,
                lint=lint.model_dump(mode="json"),
                author=author,
                note=note,
                created_at=at,
            )
        )


def _paper(row: PositionPaperRow) -> PaperVersion:
    return PaperVersion(
        incident_id=row.incident_id,
        version=row.version,
        body=dict(row.body),
        source=row.source,
        author=row.author,
        created_at=row.created_at,
    )


def _statement(row: StatementRow) -> Statement:
    return Statement(
        id=row.id,
        incident_id=row.incident_id,
        kind=DraftKind(row.kind),
        title=row.title,
        text=row.text,
        status=StatementStatus(row.status),
        version=row.version,
        lint=LintSummary.model_validate(row.lint),
        author=row.author,
        created_at=row.created_at,
        updated_at=row.updated_at,
        paper_version=row.paper_version,
        approver=row.approver,
        approved_at=row.approved_at,
        override_reason=row.override_reason,
        published_at=row.published_at,
        publications=[Publication.model_validate(item) for item in row.publications or []],
    )
