import datetime as dt

import pytest

from hikeshi.settings import Settings
from hikeshi.sources import FetchError, NewsSource, SafeHttpClient, SourceSpec, SourceState, build_source
from tests.sources.loopback import LoopbackServer, Reply

JST = dt.timezone(dt.timedelta(hours=9))
FETCHED = dt.datetime(2025, 3, 6, tzinfo=dt.UTC)

ARTICLE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="{charset}">
<title>ミナト住建、営業担当の不適切なLINE対応を謝罪 | 暮らしと住まいニュース</title>
<meta property="og:title" content="ミナト住建、営業担当の不適切なLINE対応を謝罪">
<meta property="og:site_name" content="暮らしと住まいニュース">
{date_meta}
<meta name="author" content="山田 太郎">
<link rel="canonical" href="https://news.example.jp/articles/12345">
</head><body>
<header><nav><a href="/">トップ</a> <a href="/biz">経済</a> <a href="/soc">社会</a> <a href="/login">ログイン</a></nav></header>
<main><article>
<h1>ミナト住建、営業担当の不適切なLINE対応を謝罪</h1>
<p class="byline">山田 太郎 記者</p>
<p>住宅メーカーのミナト住建は4日、営業担当者が契約を見送った顧客にLINEで不適切なメッセージを送っていたことを明らかにし、公式サイトで謝罪した。</p>
<p>問題のメッセージは「先にわかっていたら会社や私も無駄な時間は使わない」などといった内容で、顧客がスクリーンショットをSNSに投稿したことで拡散した。閲覧数は2200万回を超えている。</p>
<p>同社は「お客様に大変不快な思いをおかけしたことを深くお詫び申し上げます」とコメントし、全営業担当者を対象に再教育を実施するとしている。</p>
</article></main>
<aside><h2>関連記事</h2><ul><li><a href="/a/1">住宅ローン金利、上昇へ 大手行が相次ぎ引き上げ</a></li>
<li><a href="/a/2">新築着工件数が3カ月連続で減少</a></li></ul></aside>
<footer><p>© 2025 暮らしと住まいニュース 無断転載を禁じます</p></footer>
</body></html>
"""


SPA_SHELL = '<html lang="ja"><head><title>ニュース</title></head><body><div id="app"></div><script src="/app.js"></script></body></html>'


def page(date_meta: str, charset: str = "utf-8") -> str:
    return ARTICLE.format(date_meta=date_meta, charset=charset)


@pytest.mark.parametrize(
    ("date_meta", "expected"),
    [
        (
            '<meta property="article:published_time" content="2025-03-04T10:30:00+09:00">',
            dt.datetime(2025, 3, 4, 10, 30, tzinfo=JST),
        ),
        # Only a date: read as midnight Japan time.
        ('<meta name="date" content="2025-03-05">', dt.datetime(2025, 3, 5, tzinfo=JST)),
        # No date at all: the fetch time stands in.
        ("", FETCHED),
    ],
)
def test_article_body_title_and_date(
    server: LoopbackServer, client: SafeHttpClient, date_meta: str, expected: dt.datetime
) -> None:
    url = server.route(
        "/articles/12345", Reply(body=page(date_meta), content_type="text/html; charset=utf-8")
    )
    result = NewsSource(url, client, clock=lambda: FETCHED).fetch(SourceState())
    (post,) = result.posts
    assert post.source == "news"
    assert post.source_id == url
    assert post.url == "https://news.example.jp/articles/12345"  # canonical link
    assert post.text.startswith("ミナト住建、営業担当の不適切なLINE対応を謝罪\n")
    assert "無駄な時間は使わない" in post.text
    assert "再教育を実施する" in post.text
    for boilerplate in ("ログイン", "住宅ローン金利", "無断転載"):
        assert boilerplate not in post.text
    assert post.author == "山田 太郎"
    assert post.created_at == expected


def test_shift_jis_page_without_charset_header(server: LoopbackServer, client: SafeHttpClient) -> None:
    html = page('<meta name="date" content="2025-03-05">', charset="shift_jis")
    body = html.replace("©", "Copyright").encode("shift_jis")
    url = server.route("/sjis", Reply(body=body, content_type="text/html"))
    (post,) = NewsSource(url, client, clock=lambda: FETCHED).fetch(SourceState()).posts
    assert "深くお詫び申し上げます" in post.text


def test_unchanged_article_is_not_fetched_again(server: LoopbackServer, client: SafeHttpClient) -> None:
    url = server.route(
        "/a",
        Reply(body=page(""), content_type="text/html; charset=utf-8", headers={"ETag": 'W/"42"'}),
        Reply(status=304),
    )
    news = NewsSource(url, client, clock=lambda: FETCHED)
    first = news.fetch(SourceState())
    second = news.fetch(first.state)
    assert second.not_modified and second.posts == []
    assert server.seen("/a")[1].headers["if-none-match"] == 'W/"42"'


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        # A page rendered by JavaScript in the browser has no body for us to read.
        (Reply(body=SPA_SHELL, content_type="text/html; charset=utf-8"), "本文を取り出せません"),
        (Reply(status=410, body="Gone"), "HTTP 410"),
    ],
)
def test_errors(server: LoopbackServer, client: SafeHttpClient, reply: Reply, message: str) -> None:
    url = server.route("/empty", reply)
    with pytest.raises(FetchError, match=message):
        NewsSource(url, client).fetch(SourceState())


def test_registry_builds_news(server: LoopbackServer, settings: Settings, client: SafeHttpClient) -> None:
    url = server.route("/n", Reply(body=page(""), content_type="text/html; charset=utf-8"))
    news = build_source(SourceSpec(kind="news", target=url), settings, client)
    assert news.fetch(SourceState()).posts[0].source == "news"
