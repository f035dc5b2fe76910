"""Reading a company's own document (Markdown, text or Word) as headings and paragraphs for `docs check`.

Companies write their rules in Word without heading styles, in text files exported from old systems, in
Markdown on an intranet. What they share is how Japanese rules mark a section: 「第10条（懲戒）」, a caption
「（懲戒）」 on the line above 「第10条」, 「1. 目的」, 「【禁止事項】」, 「■ 連絡先」, or a short line with no
full stop. So a heading is recognised by those shapes, whatever style the file used, and a Word heading style
is taken as one when there is one. Text files may be Shift_JIS (cp932), which Japanese Windows still writes.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hikeshi.errors import InputError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")
SUFFIXES = (*TEXT_SUFFIXES, ".docx")

_KANJI_NUMBER = "〇一二三四五六七八九十百千"
_ARTICLE = re.compile(rf"^第[0-9０-９{_KANJI_NUMBER}]+条(の[0-9０-９{_KANJI_NUMBER}]+)?")
_CHAPTER = re.compile(rf"^第[0-9０-９{_KANJI_NUMBER}]+[章編節]")
_CAPTION = re.compile(r"^[（(][^（）()]{1,24}[）)]$")
_NUMBERED = re.compile(r"^[0-9０-９]{1,2}(?:[.．][0-9０-９]{1,2})*[.．、)）]?\s*\S")
_SUBNUMBER = re.compile(r"^[0-9０-９]{1,2}[.．][0-9０-９]{1,2}")
_MARKED = re.compile(r"^[【■●◆□◇▼▶◎○]")
_LIST = re.compile(
    r"^([-*・•‐]|[（(][0-9０-９一二三四五六七八九十]{1,3}[)）]|[①-⑳]|[0-9０-９]{1,2}　|[一二三四五六七八九十]{1,3}[　 ])"
)
_NUMBERING = re.compile(
    rf"^(#+\s*)?(第[0-9０-９{_KANJI_NUMBER}]+[章編節条項](の[0-9０-９{_KANJI_NUMBER}]+)?"
    r"|[0-9０-９]{1,2}(?:[.．][0-9０-９]{1,2})*[.．、)）]?"
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[.．]?|[■●◆□◇▼▶◎○])\s*"
)
_BRACKETS = "（）()【】「」[]〔〕<>〈〉《》"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or table row) of the document; a heading has a level (1 = chapter, 2 = article, 3 = minor)."""

    text: str
    level: int = 0

    @property
    def heading(self) -> bool:
        return self.level > 0


def normalise(text: str) -> str:
    """NFKC without white space: 「（１）　目　的」 → 「(1)目的」; cues are matched against this."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def heading_title(text: str) -> str:
    """A heading without its numbering and brackets: 「第10条（懲戒）」 → 「懲戒」, 「1. 目的」 → 「目的」."""
    title = _NUMBERING.sub("", unicodedata.normalize("NFKC", text.strip()), count=1).strip()
    return normalise(title.strip(unicodedata.normalize("NFKC", _BRACKETS) + _BRACKETS + " "))


def _heading_level(line: str) -> int:
    """The heading level a line's shape suggests, 0 for body text."""
    text = line.strip()
    if not text or len(text) > 60:
        return 0
    if _CHAPTER.match(text):
        return 1
    if _ARTICLE.match(text) or _CAPTION.match(text):
        return 2
    if _LIST.match(text):
        return 0
    if _SUBNUMBER.match(text) and "。" not in text:
        return 3
    if _NUMBERED.match(text) and "。" not in text and len(text) <= 40:
        return 2
    if _MARKED.match(text) and len(text) <= 40:
        return 3
    if len(text) <= 30 and not text.endswith(("。", "、", "：", ":")) and "。" not in text:
        return 3
    return 0


def _split_article(line: str) -> list[Paragraph]:
    """「第5条（禁止事項）従業員は…」 → a heading and its first paragraph."""
    text = line.strip()
    match = _ARTICLE.match(text)
    if match is None:
        return [Paragraph(text, _heading_level(text))]
    rest = text[match.end() :]
    caption = re.match(r"^\s*[（(][^（）()]{1,24}[）)]", rest)
    if caption:
        head, body = text[: match.end() + caption.end()], rest[caption.end() :].strip()
    elif len(text) <= 24 and "。" not in text:  # 「第5条　禁止事項」: the title without brackets
        head, body = text, ""
    else:
        head, body = text[: match.end()], rest.strip()
    return [Paragraph(head, 2), *([Paragraph(body)] if body else [])]


def _join_captions(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A caption line 「（懲戒）」 above 「第10条」 is one heading with it: 「第10条（懲戒）」."""
    joined: list[Paragraph] = []
    for paragraph in paragraphs:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.heading
            and _CAPTION.match(previous.text)
            and paragraph.heading
            and _ARTICLE.match(paragraph.text)
        ):
            joined[-1] = Paragraph(paragraph.text + previous.text, 2)
            continue
        joined.append(paragraph)
    return joined


def paragraphs_from_text(text: str) -> list[Paragraph]:
    """Markdown or plain text: ``#`` headings and shaped lines are headings; blank lines end paragraphs."""
    result: list[Paragraph] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            result.append(Paragraph("".join(pending)))
            pending.clear()

    for raw in text.splitlines():
        line = raw.strip()
        markdown = re.match(r"^(#{1,6})\s+(.*)$", line)
        if not line or line.startswith("```") or re.fullmatch(r"\|?[\s:|-]+\|?", line):
            flush()
            continue
        if markdown:
            flush()
            result.append(Paragraph(markdown.group(2).strip(), min(len(markdown.group(1)), 3)))
            continue
        if line.startswith("|"):
            flush()
            result.append(Paragraph("　".join(cell.strip() for cell in line.strip("|").split("|"))))
            continue
        bullet = re.match(r"^(?:[-*]\s+|[・•]\s*)(\[[ xX]\]\s+)?", line)
        if bullet:
            flush()
            pending.append(line[bullet.end() :].strip())
            continue
        level = _heading_level(line)
        if level or _ARTICLE.match(line):
            flush()
            result.extend(_split_article(line) if _ARTICLE.match(line) else [Paragraph(line, level)])
        elif _LIST.match(line):
            flush()
            pending.append(line)
        else:
            pending.append(line)
    flush()
    return _join_captions(result)


def _docx_paragraphs(path: Path) -> list[Paragraph]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = Document(str(path))
        blocks = list(document.iter_inner_content())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError) as error:
        raise InputError(
            f"{path} を Word 文書（.docx）として読めません（{type(error).__name__}）。"
            "Word で開いて .docx 形式で保存し直すか、テキスト（.txt）で書き出してください。"
        ) from None
    except OSError as error:
        raise InputError(f"{path} を読み込めません: {error.strerror or error}") from None
    result: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
                if cells:
                    result.append(Paragraph("　".join(cells)))
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        styled = re.match(r"^(Heading|見出し)\s*(\d)", style)
        if styled:
            result.append(Paragraph(text, min(int(styled.group(2)), 3)))
        elif style in ("Title", "表題", "Subtitle", "副題"):
            result.append(Paragraph(text, 1))
        elif _ARTICLE.match(text):
            result.extend(_split_article(text))
        else:
            result.append(Paragraph(text, _heading_level(text)))
    return _join_captions(result)


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path} の文字コードを読めません。UTF-8 か Shift_JIS で保存してください。")


def read_document(path: Path) -> list[Paragraph]:
    """The paragraphs of a .md, .txt or .docx file; anything else is one clear Japanese error."""
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise InputError(f"{path} は古い Word 形式（.doc）です。Word で .docx 形式で保存し直してください。")
    if suffix == ".pdf":
        raise InputError(f"{path} は PDF です。元の Word 文書（.docx）かテキスト（.txt）を指定してください。")
    if suffix not in SUFFIXES:
        raise InputError(
            f"{path} の形式（{suffix or '拡張子なし'}）は読めません。.md・.txt・.docx のいずれかを指定してください。"
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path} が見つかりません。") from None
    except OSError as error:
        raise InputError(f"{path} を読み込めません: {error.strerror or error}") from None
    if path.is_dir():
        raise InputError(f"{path} はフォルダーです。点検する文書のファイルを指定してください。")
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(f"{path} は大きすぎます（{size:,} バイト、上限 {MAX_DOCUMENT_BYTES:,}）。")
    if suffix == ".docx":
        paragraphs = _docx_paragraphs(path)
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{path} を読み込めません: {error.strerror or error}") from None
        paragraphs = paragraphs_from_text(_decode(data, path))
    if not any(paragraph.text.strip() for paragraph in paragraphs):
        raise InputError(f"{path} に本文がありません。")
    return paragraphs
