import datetime as dt

import pytest

from hikeshi.settings import Settings
from hikeshi.sources import (
    FetchError,
    RssSource,
    SafeHttpClient,
    SourceSpec,
    SourceState,
    build_source,
    parse_feed,
)
from tests.sources.loopback import LoopbackServer, Reply

JST = dt.timezone(dt.timedelta(hours=9))
FIXED = dt.datetime(2025, 3, 5, 0, 0, tzinfo=dt.UTC)

RSS_2_0 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>暮らしと住まいニュース</title>
    <link>https://news.example.jp/</link>
    <description>住宅・不動産の最新ニュース</description>
    <language>ja</language>
    <lastBuildDate>Tue, 04 Mar 2025 12:00:00 +0900</lastBuildDate>
    <item>
      <title>ミナト住建、営業担当の不適切なLINE対応を謝罪</title>
      <link>https://news.example.jp/articles/12345</link>
      <guid isPermaLink="false">news-example-12345</guid>
      <pubDate>Tue, 04 Mar 2025 10:30:00 +0900</pubDate>
      <dc:creator>山田 太郎</dc:creator>
      <description><![CDATA[<p>住宅メーカーのミナト住建は4日、営業担当者の<b>不適切なメッセージ</b>について謝罪した。</p>]]></description>
    </item>
    <item>
      <title>春の住宅展示場、来場者が前年比1割増</title>
      <link>https://news.example.jp/articles/12300</link>
      <pubDate>Mon, 03 Mar 2025 18:00:00 +0900</pubDate>
      <description>各地の住宅展示場で来場者が増えている。</description>
    </item>
  </channel>
</rss>
"""

# Google Alerts delivers Atom with HTML in <title> and <content>; ids are tag URIs.
GOOGLE_ALERTS_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">
  <id>tag:google.com,2005:reader/user/00000000000000000000/state/com.google/alerts/1234567890</id>
  <title>Google アラート - ミナト住建</title>
  <link href="https://www.google.com/alerts/feeds/00000000000000000000/1234567890" rel="self"/>
  <updated>2025-03-04T03:05:00Z</updated>
  <entry>
    <id>tag:google.com,2013:googlealerts/feed:10512345678901234567</id>
    <title type="html">&lt;b&gt;ミナト住建&lt;/b&gt;の営業LINEが炎上、「無駄な時間」発言に批判</title>
    <link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://blog.example.jp/entry/1&amp;ct=ga"/>
    <published>2025-03-04T02:40:00Z</published>
    <updated>2025-03-04T02:40:00Z</updated>
    <content type="html">住宅メーカー&lt;b&gt;ミナト住建&lt;/b&gt;の営業担当者が送ったLINEのスクリーンショットが拡散し...</content>
    <author><name/></author>
  </entry>
  <entry>
    <id>tag:google.com,2013:googlealerts/feed:10512345678901230000</id>
    <title type="html">&lt;b&gt;ミナト住建&lt;/b&gt; 新モデルハウスを横浜に公開</title>
    <link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://pr.example.jp/release/99&amp;ct=ga"/>
    <updated>2025-03-01T00:00:00Z</updated>
    <content type="html">横浜市に新しいモデルハウスを公開しました。</content>
  </entry>
</feed>
"""


def source(url: str, client: SafeHttpClient) -> RssSource:
    return RssSource(url, client, clock=lambda: FIXED)


def test_rss_2_0_items_become_posts(server: LoopbackServer, client: SafeHttpClient) -> None:
    url = server.route("/rss", Reply(body=RSS_2_0, content_type="application/rss+xml; charset=utf-8"))
    result = source(url, client).fetch(SourceState())
    assert [post.source_id for post in result.posts] == [
        "news-example-12345",
        "https://news.example.jp/articles/12300",  # no <guid>: the link is the key
    ]
    first = result.posts[0]
    assert first.source == "rss"
    assert first.created_at == dt.datetime(2025, 3, 4, 10, 30, tzinfo=JST)
    assert first.author == "山田 太郎"
    assert first.text == (
        "ミナト住建、営業担当の不適切なLINE対応を謝罪\n"
        "住宅メーカーのミナト住建は4日、営業担当者の不適切なメッセージについて謝罪した。"
    )
    assert first.fetched_at == FIXED
    assert result.complete and not result.not_modified


def test_google_alerts_atom_feed(server: LoopbackServer, client: SafeHttpClient) -> None:
    url = server.route("/alerts", Reply(body=GOOGLE_ALERTS_ATOM, content_type="application/atom+xml"))
    posts = source(url, client).fetch(SourceState()).posts
    assert [post.source_id for post in posts] == [
        "tag:google.com,2013:googlealerts/feed:10512345678901234567",
        "tag:google.com,2013:googlealerts/feed:10512345678901230000",
    ]
    assert posts[0].text.startswith(
        "ミナト住建の営業LINEが炎上、「無駄な時間」発言に批判\n住宅メーカーミナト住建の"
    )
    assert "<b>" not in posts[0].text
    assert posts[0].created_at == dt.datetime(2025, 3, 4, 2, 40, tzinfo=dt.UTC)
    assert posts[1].created_at == dt.datetime(2025, 3, 1, tzinfo=dt.UTC)  # only <updated>
    assert posts[0].url is not None and posts[0].url.startswith("https://www.google.com/url?")


def test_conditional_request_keeps_etag_and_last_modified(
    server: LoopbackServer, client: SafeHttpClient
) -> None:
    validators = {"ETag": '"v1-abc"', "Last-Modified": "Tue, 04 Mar 2025 03:00:00 GMT"}
    url = server.route(
        "/rss",
        Reply(body=RSS_2_0, content_type="application/rss+xml", headers=validators),
        Reply(status=304, headers=validators),
    )
    feed = source(url, client)
    first = feed.fetch(SourceState())
    assert first.state.etag == '"v1-abc"'
    assert first.state.last_modified == "Tue, 04 Mar 2025 03:00:00 GMT"
    second = feed.fetch(first.state)
    assert second.posts == [] and second.not_modified
    assert second.state == first.state
    sent = server.seen("/rss")[1].headers
    assert sent["if-none-match"] == '"v1-abc"'
    assert sent["if-modified-since"] == "Tue, 04 Mar 2025 03:00:00 GMT"


def test_shift_jis_feed_is_decoded(server: LoopbackServer, client: SafeHttpClient) -> None:
    body = RSS_2_0.replace('encoding="UTF-8"', 'encoding="Shift_JIS"').encode("shift_jis")
    url = server.route("/sjis", Reply(body=body, content_type="application/rss+xml"))
    posts = source(url, client).fetch(SourceState()).posts
    assert posts[1].text.startswith("春の住宅展示場、来場者が前年比1割増")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(status=404, body="Not Found"), "HTTP 404"),
        (Reply(status=503, body="Service Unavailable"), "HTTP 503"),
        (Reply(body="<html><body>メンテナンス中です", content_type="text/html"), "フィード"),
    ],
)
def test_errors_are_japanese(
    server: LoopbackServer, client: SafeHttpClient, reply: Reply, message: str
) -> None:
    url = server.route("/broken", reply)
    with pytest.raises(FetchError, match=message):
        source(url, client).fetch(SourceState())


def test_registry_builds_rss(server: LoopbackServer, settings: Settings, client: SafeHttpClient) -> None:
    url = server.route("/rss", Reply(body=RSS_2_0, content_type="application/rss+xml"))
    feed = build_source(SourceSpec(kind="rss", target=url), settings, client)
    assert feed.kind == "rss"
    assert len(feed.fetch(SourceState()).posts) == 2


BARE_ITEMS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>掲示板</title>
  <item><description>ミナト住建の営業、感じ悪かった</description></item>
  <item><title></title><description></description></item>
</channel></rss>
"""


def test_item_without_guid_or_link_gets_a_stable_key_and_empty_items_are_skipped() -> None:
    first = parse_feed(BARE_ITEMS.encode(), "https://bbs.example.jp/rss", FIXED)
    again = parse_feed(BARE_ITEMS.encode(), "https://bbs.example.jp/rss", FIXED)
    assert [post.text for post in first] == ["ミナト住建の営業、感じ悪かった"]
    assert first[0].source_id == again[0].source_id and len(first[0].source_id) == 32
    assert first[0].created_at == FIXED  # no date in the item: the fetch time stands in
