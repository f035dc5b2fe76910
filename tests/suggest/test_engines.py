import pytest

from hikeshi.errors import InputError
from hikeshi.settings import Settings
from hikeshi.sources import FetchError, SafeHttpClient, UnsafeUrlError
from hikeshi.suggest import SuggestEngine, build_engine
from tests.sources.loopback import LoopbackServer, Reply
from tests.suggest.payloads import CALM, FLAMING, bing, google, yahoo


@pytest.mark.parametrize(
    ("engine", "path", "reply", "query_param"),
    [
        ("google", "/complete/search", google("ミナト住建 ", FLAMING), "q"),
        ("google", "/complete/search", google("ミナト住建 ", FLAMING, charset="shift_jis"), "q"),
        ("bing", "/osjson.aspx", bing("ミナト住建 ", FLAMING), "query"),
        ("yahoo", "/gossip", yahoo("ミナト住建 ", FLAMING), "command"),
    ],
)
def test_engines_read_their_formats(
    server: LoopbackServer, client: SafeHttpClient, engine: str, path: str, reply: Reply, query_param: str
) -> None:
    url = server.route(path, reply)
    suggest = build_engine(engine, client, url)
    assert isinstance(suggest, SuggestEngine)
    assert suggest.suggest("ミナト住建 ") == FLAMING
    assert server.seen(path)[0].query[query_param] == ["ミナト住建 "]


def test_google_asks_in_japanese_with_the_firefox_client(
    server: LoopbackServer, client: SafeHttpClient
) -> None:
    url = server.route("/complete/search", google("ミナト住建", CALM))
    build_engine("google", client, url).suggest("ミナト住建")
    query = server.seen("/complete/search")[0].query
    assert (query["client"], query["hl"]) == (["firefox"], ["ja"])


def test_yahoo_asks_for_json(server: LoopbackServer, client: SafeHttpClient) -> None:
    url = server.route("/gossip", yahoo("ミナト住建", CALM))
    build_engine("yahoo", client, url).suggest("ミナト住建")
    assert server.seen("/gossip")[0].query["output"] == ["json"]


@pytest.mark.parametrize(
    ("engine", "reply", "message"),
    [
        (
            "google",
            Reply(body="<html>unusual traffic</html>", content_type="text/html"),
            "JSON として読めません",
        ),
        ("google", Reply(body='{"q": "x"}', content_type="application/json"), "形式が想定と違います"),
        ("bing", Reply(status=503, body="busy"), "HTTP 503"),
        ("yahoo", Reply(body='{"error": "bad request"}', content_type="application/json"), "gossip.results"),
        ("yahoo", Reply(status=403, body="denied"), "アクセスが拒否"),
    ],
)
def test_engine_errors_are_japanese(
    server: LoopbackServer, client: SafeHttpClient, engine: str, reply: Reply, message: str
) -> None:
    url = server.route("/suggest", reply)
    with pytest.raises(FetchError, match=message):
        build_engine(engine, client, url).suggest("ミナト住建")


def test_loopback_endpoint_is_refused_unless_allowed(server: LoopbackServer) -> None:
    url = server.route("/complete/search", google("ミナト住建", CALM))
    with SafeHttpClient(Settings(allow_private_urls=False)) as strict, pytest.raises(UnsafeUrlError):
        build_engine("google", strict, url).suggest("ミナト住建")
    assert server.seen("/complete/search") == []


def test_yahoo_without_results_is_empty(server: LoopbackServer, client: SafeHttpClient) -> None:
    url = server.route(
        "/gossip", Reply(body='{"gossip": {"qry": "ミナト住建xyz"}}', content_type="application/json")
    )
    assert build_engine("yahoo", client, url).suggest("ミナト住建xyz") == []


def test_unknown_engine(client: SafeHttpClient) -> None:
    with pytest.raises(InputError, match="不明な検索エンジンです: baidu"):
        build_engine("baidu", client)
