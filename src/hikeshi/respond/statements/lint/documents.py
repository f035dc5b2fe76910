"""Reading the documents the consistency check compares: Markdown and plain text, and Word files when
python-docx is installed (the drafts can be exported as .docx)."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hikeshi.errors import InputError

MAX_DOCUMENT_BYTES = 2_097_152
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text"})


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    lines: list[str]


def read_document(path: Path) -> Document:
    """The document's lines; a missing, oversized, undecodable or unsupported file is an InputError."""
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError(f"{path}: ファイルが見つかりません。") from None
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"{path}: ファイルが大きすぎます（{size:,} バイト、上限 {MAX_DOCUMENT_BYTES:,} バイト）。"
        )
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return Document(str(path), _docx_lines(path))
    if suffix not in TEXT_SUFFIXES:
        raise InputError(
            f"{path}: 読める形式は .md・.txt・.docx です（{suffix or '拡張子なし'} は読めません）。"
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: UTF-8 として読めません（{error.start} バイト目）。") from None
    except OSError as error:
        raise InputError(f"{path}: 読み込めません: {error.strerror}") from None
    return Document(str(path), text.splitlines())


def _docx_lines(path: Path) -> list[str]:
    if importlib.util.find_spec("docx") is None:
        raise InputError(f"{path}: .docx を読むには python-docx が必要です（pip install python-docx）。")
    docx: Any = importlib.import_module("docx")
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several unrelated types for a broken file
        raise InputError(f"{path}: Word 文書として読めません（{type(error).__name__}）。") from None
    lines = [str(paragraph.text) for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(str(cell.text) for cell in row.cells))
    return lines
