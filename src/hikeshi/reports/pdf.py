"""HTML → PDF with WeasyPrint (Pango lays out the Japanese text; fonts-noto-cjk supplies the glyphs).

Why WeasyPrint and not headless Chromium, measured by bench/report_pdf.py on the minato incident report:
Chromium's PDF (Skia) embeds Noto Sans CJK, a CFF font, as Type 3 glyph procedures whose ToUnicode maps shared
glyphs to the lowest code point, so 「日本」 extracts as 「⽇本」 (a Kangxi radical): 392 of 11,153 characters of
that report. WeasyPrint embeds CID fonts and every character extracts as written, in a smaller file (0.92×)
and in about the same time (1.07–1.59× over three runs on a busy two-core machine, ten seconds either way);
it needs no browser (Pango is in Debian's base system) and runs in the web server's worker threads, where the
sync Playwright API cannot.

The page is self-contained (inline CSS and SVG), and the URL fetcher only accepts `data:` URIs, so printing a
report never reaches the network or the file system whatever a post contains.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
from functools import cache
from typing import Any

from hikeshi.errors import HikeshiError

AS_HTML = "（HTML は --format html でそのまま出力できます）。"
INSTALL_WEASYPRINT = (
    "PDF の作成には WeasyPrint と Pango が必要です。`.venv/bin/pip install weasyprint` と "
    "`sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk` でインストールしてから、"
    "もう一度実行してください" + AS_HTML
)
INSTALL_FONTS = (
    "PDF に使う日本語フォントが見つかりません。`sudo apt-get install fonts-noto-cjk` でインストールしてから、"
    "もう一度実行してください" + AS_HTML
)


class PdfUnavailableError(HikeshiError):
    """PDF output needs something that is not installed; the message says what to install."""


def _weasyprint() -> Any:
    """The weasyprint module; a missing package or missing Pango library is a clear Japanese error."""
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError):  # OSError: cffi cannot open libpango / libgobject
        raise PdfUnavailableError(INSTALL_WEASYPRINT) from None


@cache
def japanese_font_installed() -> bool:
    """Whether fontconfig knows a font for Japanese (without one, every kanji would print as a box).

    Where fontconfig's `fc-list` is not installed this cannot be checked and is assumed.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    try:
        found = subprocess.run(
            [fc_list, ":lang=ja", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(found.stdout.strip())


def html_to_pdf(html: str) -> bytes:
    """Print a self-contained HTML page (A4, page numbers from its CSS) to PDF bytes."""
    weasyprint = _weasyprint()
    if not japanese_font_installed():
        raise PdfUnavailableError(INSTALL_FONTS)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
