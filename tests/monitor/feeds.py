"""RSS 2.0 documents as news sites and Google Alerts publish them, built from (id, text, time, author)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

REPLAY = Path(__file__).resolve().parents[2] / "data" / "replay" / "minato_flame.jsonl"


@dataclass(frozen=True)
class Item:
    guid: str
    text: str
    published: dt.datetime
    author: str = "kisha"


def rss(items: list[Item], title: str = "住まいニュース") -> bytes:
    entries = "\n".join(
        f"""    <item>
      <title>{escape(item.text)}</title>
      <link>https://news.example.jp/articles/{escape(item.guid)}</link>
      <guid isPermaLink="false">{escape(item.guid)}</guid>
      <dc:creator>{escape(item.author)}</dc:creator>
      <pubDate>{format_datetime(item.published.astimezone(dt.UTC), usegmt=True)}</pubDate>
      <description>{escape(item.text)}</description>
    </item>"""
        for item in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{escape(title)}</title>
    <link>https://news.example.jp/</link>
    <description>住宅業界のニュース</description>
    <language>ja</language>
{entries}
  </channel>
</rss>
""".encode()


BASE = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
NEWS_ITEMS = [
    Item("n-001", "ミナト住建、横浜に新しい展示場をオープン", BASE),
    Item("n-002", "ミナト住建の営業担当の LINE が拡散、対応に批判の声", BASE + dt.timedelta(minutes=20)),
    Item("n-003", "みなと住建が公式サイトで経緯を説明", BASE + dt.timedelta(minutes=40)),
    Item(
        "n-004", "春の住宅ローン金利、各行が据え置き", BASE + dt.timedelta(minutes=50)
    ),  # not about the watch
]
LATER_ITEMS = [
    Item("n-005", "ミナト住建の社長が謝罪会見「社員教育を徹底する」", BASE + dt.timedelta(hours=2)),
    Item("n-006", "ミナトホームの契約者から不安の声、解約の相談も", BASE + dt.timedelta(hours=2, minutes=30)),
]


def replay_items(start: dt.datetime, end: dt.datetime) -> list[Item]:
    """Posts of the bundled flame replay (ミナト住建) in [start, end), as feed items."""
    items = []
    for line in REPLAY.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        created = dt.datetime.fromisoformat(record["created_at"])
        if start <= created < end:
            items.append(Item(record["source_id"], record["text"], created, record.get("author") or "anon"))
    return items
