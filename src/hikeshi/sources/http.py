"""A small HTTP client that refuses to reach private networks (SSRF guard) for every fetcher in hikeshi.

Feed URLs, article URLs and API base URLs come from users and from the web. Without a guard, a URL such as
``http://169.254.169.254/`` (cloud metadata) or ``http://localhost:5432/`` would let an outsider make the
monitor read internal services. So every hop, redirects included, is resolved first, every address is checked,
and the connection goes to the address that was checked (the host name is kept for the ``Host`` header and
TLS), which also defeats DNS rebinding between the check and the connection.

Proxies from the environment are ignored on purpose: behind a proxy the proxy resolves the name, and the check
here would be meaningless.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from hikeshi.errors import HikeshiError, InputError
from hikeshi.settings import Settings

Resolver = Callable[[str, int], list[str]]
"""Returns the IP addresses a host name resolves to (injectable so tests can pretend a name is private)."""

_CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class UnsafeUrlError(InputError):
    """The URL points at a loopback, private, link-local or reserved address, or is not http(s)."""


class FetchError(HikeshiError):
    """The remote side could not be reached or answered with an error status."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """What a fetcher needs from a response; the body is read in full (bounded by ``max_bytes``)."""

    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    encoding: str | None

    @property
    def text(self) -> str:
        """The body decoded by the declared charset (Shift_JIS is common in Japan); UTF-8 when unknown."""
        try:
            return self.content.decode(self.encoding or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(
            f"ホスト名 {host} を解決できません（{error.strerror}）。URL を確かめてください。"
        ) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address; IPv4-mapped IPv6 addresses are judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


class SafeHttpClient:
    """GET-only client with timeouts, the configured User-Agent and a private-address check on every hop."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver = system_resolver,
        max_bytes: int = DEFAULT_MAX_BYTES,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._allow_private = settings.allow_private_urls
        self._resolver = resolver
        self._max_bytes = max_bytes
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.http_timeout_seconds),
            headers={"User-Agent": settings.user_agent},
            follow_redirects=False,
            trust_env=False,
            transport=transport,
        )

    def __enter__(self) -> SafeHttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """GET ``url``, following up to five redirects, each checked before it is requested."""
        current = httpx.URL(url, params=params) if params else httpx.URL(url)
        hop_headers = dict(headers or {})
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._get_once(current, hop_headers)
            if response.status_code not in _REDIRECT_CODES or "location" not in response.headers:
                return response
            following = httpx.URL(urljoin(str(current), response.headers["location"]))
            if (following.scheme, following.host, following.port) != (
                current.scheme,
                current.host,
                current.port,
            ):
                # Credentials (an X bearer token) are for the origin that asked for them, never for a redirect.
                hop_headers = {k: v for k, v in hop_headers.items() if k.lower() not in _CREDENTIAL_HEADERS}
            current = following
        raise FetchError(f"リダイレクトが多すぎます（{MAX_REDIRECTS} 回超）: {url}")

    def _get_once(self, url: httpx.URL, headers: Mapping[str, str]) -> HttpResponse:
        address = self._checked_address(url)
        request_headers = dict(headers)
        extensions: dict[str, str] = {}
        target = url
        if address is not None:
            # Connect to the address that was checked; keep the name for Host and TLS (SNI + certificate).
            request_headers["Host"] = url.netloc.decode("ascii")
            extensions["sni_hostname"] = url.host
            target = url.copy_with(host=address)
        try:
            request = self._client.build_request(
                "GET", target, headers=request_headers, extensions=extensions
            )
            response = self._client.send(request, stream=True)
            try:
                body = self._read_bounded(response, str(url))
            finally:
                response.close()
        except httpx.TimeoutException:
            raise FetchError(f"{url.host} からの応答がタイムアウトしました: {url}") from None
        except httpx.HTTPError as error:
            raise FetchError(f"{url.host} に接続できません: {url}（{type(error).__name__}）") from None
        return HttpResponse(
            url=str(url),
            status_code=response.status_code,
            headers=response.headers,
            content=body,
            encoding=response.charset_encoding,
        )

    def _read_bounded(self, response: httpx.Response, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise FetchError(f"応答が大きすぎます（{self._max_bytes:,} バイト超）: {url}")
            chunks.append(chunk)
        return b"".join(chunks)

    def _checked_address(self, url: httpx.URL) -> str | None:
        """The address to connect to, or None to let httpx resolve (only when private URLs are allowed)."""
        if url.scheme not in ("http", "https"):
            raise UnsafeUrlError(f"http または https の URL だけを取得できます: {url}")
        if not url.host:
            raise UnsafeUrlError(f"URL にホスト名がありません: {url}")
        if self._allow_private:
            return None
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = self._resolver(url.host, port)
        if not addresses:
            raise FetchError(f"ホスト名 {url.host} を解決できません。URL を確かめてください。")
        for address in addresses:
            if not is_public_address(address):
                raise UnsafeUrlError(
                    f"{url.host}（{address}）は内部・ループバック・予約済みのアドレスのため取得しません: {url}。"
                    "社内のサーバーから取得する場合は HIKESHI_ALLOW_PRIVATE_URLS=true を設定してください。"
                )
        return addresses[0]


def raise_for_status(response: HttpResponse, what: str) -> None:
    """Turn an HTTP error status into a FetchError whose Japanese message says what failed."""
    if response.status_code < 400:
        return
    hints = {
        401: "認証に失敗しました（トークンを確かめてください）",
        403: "アクセスが拒否されました（権限を確かめてください）",
        404: "見つかりません（URL を確かめてください）",
        429: "リクエストが多すぎます（しばらく待ってください）",
    }
    hint = hints.get(response.status_code, "サーバーがエラーを返しました")
    raise FetchError(
        f"{what}の取得に失敗しました: HTTP {response.status_code} {hint}: {response.url}",
        status_code=response.status_code,
    )
