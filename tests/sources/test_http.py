import socket
from collections.abc import Iterator

import httpx
import pytest

from hikeshi.settings import Settings
from hikeshi.sources import FetchError, SafeHttpClient, UnsafeUrlError, is_public_address
from tests.sources.loopback import LoopbackServer, Reply


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.0.0.5", False),
        ("172.16.3.4", False),
        ("192.168.1.10", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("240.0.0.1", False),  # reserved
        ("224.0.0.1", False),  # multicast
        ("::1", False),
        ("fc00::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
    ],
)
def test_public_address_table(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_sends_user_agent_and_reads_body(server: LoopbackServer, client: SafeHttpClient) -> None:
    url = server.route("/hello", Reply(body="こんにちは"))
    response = client.get(url)
    assert (response.status_code, response.text) == (200, "こんにちは")
    assert server.seen("/hello")[0].headers["user-agent"] == "hikeshi-test/1.0"


def test_follows_redirects_on_loopback_when_allowed(server: LoopbackServer, client: SafeHttpClient) -> None:
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(body="移転先"))
    response = client.get(server.base_url + "/old")
    assert response.text == "移転先"
    assert response.url.endswith("/new")


def test_refuses_loopback_when_not_allowed(server: LoopbackServer) -> None:
    url = server.route("/secret", Reply(body="内部"))
    with SafeHttpClient(Settings(allow_private_urls=False)) as strict, pytest.raises(UnsafeUrlError) as error:
        strict.get(url)
    assert "HIKESHI_ALLOW_PRIVATE_URLS" in str(error.value)
    assert server.seen("/secret") == []


@pytest.mark.parametrize("resolved", ["10.1.2.3", "192.168.0.20", "169.254.169.254", "fd00::7"])
def test_refuses_a_name_that_resolves_to_a_private_address(resolved: str) -> None:
    calls: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(200))
    with (
        SafeHttpClient(
            Settings(allow_private_urls=False), resolver=lambda host, port: [resolved], transport=transport
        ) as strict,
        pytest.raises(UnsafeUrlError, match="内部"),
    ):
        strict.get("https://feeds.example.jp/rss")
    assert calls == []


def test_each_redirect_hop_is_checked_and_the_checked_address_is_used() -> None:
    addresses = {"news.example.jp": ["93.184.216.34"], "metadata.example.jp": ["169.254.169.254"]}
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(302, headers={"Location": "http://metadata.example.jp/latest/meta-data/"})

    with (
        SafeHttpClient(
            Settings(allow_private_urls=False),
            resolver=lambda host, port: addresses[host],
            transport=httpx.MockTransport(handler),
        ) as strict,
        pytest.raises(UnsafeUrlError, match=r"169\.254\.169\.254"),
    ):
        strict.get("https://news.example.jp/a/1")
    assert len(calls) == 1
    # The connection went to the address that was checked; the name stays in Host and TLS SNI.
    assert calls[0].url.host == "93.184.216.34"
    assert calls[0].headers["host"] == "news.example.jp"
    assert calls[0].extensions["sni_hostname"] == "news.example.jp"


def test_redirect_to_another_scheme_is_refused_even_when_private_is_allowed(
    server: LoopbackServer, client: SafeHttpClient
) -> None:
    server.route("/to-file", Reply(302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(UnsafeUrlError, match="http または https"):
        client.get(server.base_url + "/to-file")


def test_redirect_loop_is_reported(server: LoopbackServer, client: SafeHttpClient) -> None:
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="リダイレクトが多すぎます"):
        client.get(server.base_url + "/loop")


def test_oversized_body_is_refused(server: LoopbackServer, settings: Settings) -> None:
    url = server.route("/big", Reply(body=b"x" * 5000))
    with SafeHttpClient(settings, max_bytes=1000) as small, pytest.raises(FetchError, match="大きすぎます"):
        small.get(url)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A socket that accepts connections (backlog) but never answers: a hung server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_timeout_from_settings_gives_a_japanese_error(silent_port: int) -> None:
    settings = Settings(allow_private_urls=True, http_timeout_seconds=0.2)
    with SafeHttpClient(settings) as impatient, pytest.raises(FetchError, match="タイムアウト"):
        impatient.get(f"http://127.0.0.1:{silent_port}/feed")


def test_connection_refused_is_a_japanese_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        SafeHttpClient(Settings(allow_private_urls=True)) as http,
        pytest.raises(FetchError, match="接続できません"),
    ):
        http.get(f"http://127.0.0.1:{port}/")


def test_ipv6_address_is_pinned_with_brackets_and_unknown_charset_falls_back_to_utf8() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(
            200, content="検索候補".encode(), headers={"Content-Type": "text/plain; charset=x-bogus"}
        )

    with SafeHttpClient(
        Settings(allow_private_urls=False),
        resolver=lambda host, port: ["2606:4700:4700::1111"],
        transport=httpx.MockTransport(handler),
    ) as strict:
        response = strict.get("https://feeds.example.jp:8443/rss?page=2")
    assert str(calls[0].url) == "https://[2606:4700:4700::1111]:8443/rss?page=2"
    assert calls[0].headers["host"] == "feeds.example.jp:8443"
    assert response.text == "検索候補"


def test_credentials_are_not_sent_to_another_host_after_a_redirect() -> None:
    addresses = {"api.x.com": ["104.244.42.1"], "attacker.example": ["93.184.216.34"]}
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.headers["host"], request.headers.get("authorization")))
        if request.headers["host"] == "api.x.com":
            return httpx.Response(302, headers={"Location": "https://attacker.example/steal"})
        return httpx.Response(200, text="{}")

    with SafeHttpClient(
        Settings(allow_private_urls=False),
        resolver=lambda host, port: addresses[host],
        transport=httpx.MockTransport(handler),
    ) as client:
        client.get("https://api.x.com/2/tweets/search/recent", headers={"Authorization": "Bearer SECRET"})
    assert seen == [("api.x.com", "Bearer SECRET"), ("attacker.example", None)]
