"""Guard findings as text segments for <mark>, and which post URLs may become links."""

from __future__ import annotations

import pytest

from hikeshi.records import Finding
from hikeshi.report.highlight import highlight_segments, safe_url


def finding(start: int, end: int, severity: int = 2) -> Finding:
    return Finding(start=start, end=end, category="hostility", severity=severity, reason="理由", rule="test")


DRAFT = "先にわかっていたら会社や私も無駄な時間は使わない"


@pytest.mark.parametrize(
    ("text", "findings", "expected"),
    [
        (DRAFT, [], [(DRAFT, [], 0)]),
        (
            DRAFT,
            [finding(0, 9, 2), finding(14, 19, 3)],
            [
                ("先にわかっていたら", [1], 2),
                ("会社や私も", [], 0),
                ("無駄な時間", [2], 3),
                ("は使わない", [], 0),
            ],
        ),
        (  # overlapping findings: the shared part carries both numbers and the higher severity
            "二度と来ないでください",
            [finding(0, 4, 3), finding(2, 11, 2)],
            [("二度", [1], 3), ("と来", [1, 2], 3), ("ないでください", [2], 2)],
        ),
        ("短い", [finding(1, 99, 1)], [("短", [], 0), ("い", [1], 1)]),  # offsets past the end are clipped
        ("", [finding(0, 0)], []),
    ],
)
def test_segments(text: str, findings: list[Finding], expected: list[tuple[str, list[int], int]]) -> None:
    segments = highlight_segments(text, findings)
    assert [(s.text, s.findings, s.severity) for s in segments] == expected
    assert "".join(s.text for s in segments) == text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.com/user/status/1", "https://x.com/user/status/1"),
        ("http://example.jp/レビュー?id=1", "http://example.jp/レビュー?id=1"),
        ("  https://example.jp/a  ", "https://example.jp/a"),
        ("HTTPS://EXAMPLE.JP/", "HTTPS://EXAMPLE.JP/"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("/relative/path", None),
        ("https:///no-host", None),
        ("https://example.jp\\@evil.example", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected
