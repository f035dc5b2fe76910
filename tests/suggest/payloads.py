"""Suggest responses in each engine's real format, for a fictional house builder 「ミナト住建」."""

from __future__ import annotations

import json

from tests.sources.loopback import Reply

CALM = [
    "ミナト住建 評判",
    "ミナト住建 モデルハウス",
    "ミナト住建 年収",
    "ミナト住建 坪単価",
    "ミナト住建 口コミ",
]
FLAMING = [
    "ミナト住建 ブラック",
    "ミナト住建 評判",
    "ミナト住建 line",
    "ミナト住建 炎上",
    "ミナト住建 モデルハウス",
]


def google(query: str, suggestions: list[str], charset: str = "utf-8") -> Reply:
    """``client=firefox``: ``["query", ["s1", ...]]``; with hl=ja Google may answer in Shift_JIS."""
    body = json.dumps([query, suggestions], ensure_ascii=False).encode(charset)
    return Reply(body=body, content_type=f"text/javascript; charset={charset}")


def bing(query: str, suggestions: list[str]) -> Reply:
    """OpenSearch JSON (osjson.aspx)."""
    return Reply(
        body=json.dumps([query, suggestions], ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )


def yahoo(query: str, suggestions: list[str]) -> Reply:
    """Yahoo! gossip: results carry ``key`` plus bookkeeping fields."""
    payload = {"gossip": {"qry": query, "results": [{"key": term, "mrk": 0} for term in suggestions]}}
    return Reply(body=json.dumps(payload, ensure_ascii=False), content_type="application/json; charset=utf-8")
