"""The guard's findings laid over the draft as plain-text segments, and links that are safe to render.

Why segments and not HTML: the draft is user input. Splitting it at the findings' offsets into (text, marks)
pieces lets the template put each piece inside a ``<mark>`` with autoescaping on, so no code ever builds
markup from the draft. Findings may overlap (「先にわかっていたら」 inside a longer blaming sentence); the
pieces are cut at every boundary and carry every finding that covers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.records import Finding

SAFE_SCHEMES = frozenset({"http", "https"})


class Segment(BaseModel):
    """A run of the draft; `findings` are 1-based numbers into the verdict's list (empty = unmarked)."""

    model_config = ConfigDict(frozen=True)

    text: str
    findings: list[int] = Field(default_factory=list)
    severity: int = Field(default=0, ge=0, le=3)

    @property
    def marked(self) -> bool:
        return bool(self.findings)


def highlight_segments(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Cut the draft at every finding boundary.

    >>> [(s.text, s.findings) for s in highlight_segments("無駄な時間は使わない", [f])]  # f covers 0–5
    [('無駄な時間', [1]), ('は使わない', [])]
    """
    spans = [
        (min(max(f.start, 0), len(text)), min(max(f.end, 0), len(text)), number, f.severity)
        for number, f in enumerate(findings, start=1)
    ]
    cuts = sorted({0, len(text), *(start for start, _, _, _ in spans), *(end for _, end, _, _ in spans)})
    segments: list[Segment] = []
    for left, right in pairwise(cuts):
        if left >= right:
            continue
        covering = [
            (number, severity) for start, end, number, severity in spans if start <= left and right <= end
        ]
        segments.append(
            Segment(
                text=text[left:right],
                findings=[number for number, _ in covering],
                severity=max((severity for _, severity in covering), default=0),
            )
        )
    return segments


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) URL, else None: a post's ``url`` field is attacker-controlled,
    and ``javascript:`` or ``data:`` in an href would run in the reader's session."""
    if not url:
        return None
    candidate = url.strip()
    if any(ord(character) < 0x20 or character in "\\" for character in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return candidate
