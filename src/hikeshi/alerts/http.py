"""POSTing alert payloads: the same private-address rule as the fetchers, no redirects, short timeouts.

Webhook URLs are configured by an operator, but a web form lets admins set them, so a URL that resolves to a
loopback or private address is refused unless `Settings.allow_private_urls` is set (on-premise receivers,
tests). As in `hikeshi.sources.http`, the connection goes to the address that was checked (the name is kept
for the Host header and TLS), so a name that resolves differently a moment later (DNS rebinding) cannot
redirect the POST inside. Redirects are not followed: a webhook that redirects is misconfigured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from hikeshi.alerts.base import AlertDeliveryError
from hikeshi.errors import HikeshiError, InputError
from hikeshi.settings import Settings
from hikeshi.sources.http import Resolver, is_public_address, system_resolver


@dataclass(frozen=True)
class Target:
    """Where to connect: the checked address in the URL, the original name in Host and for TLS (SNI)."""

    url: httpx.URL
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)


def checked_target(url: str, settings: Settings, resolver: Resolver = system_resolver) -> Target:
    """Resolve once, check every address, and pin the connection to the first; InputError when refused."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise InputError(f"通知先の URL を読めません: {url}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InputError(f"通知先の URL は http:// か https:// で始めてください: {url}")
    if settings.allow_private_urls:
        return Target(parsed)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = resolver(parsed.host, port)
    if not addresses:
        raise InputError(f"通知先のホスト名 {parsed.host} を解決できません。URL を確かめてください。")
    for address in addresses:
        if not is_public_address(address):
            raise InputError(
                f"通知先 {parsed.host}（{address}）は内部・ループバックのアドレスです。社内の受信先に送る場合は "
                "HIKESHI_ALLOW_PRIVATE_URLS=true を設定してください。"
            )
    return Target(
        parsed.copy_with(host=addresses[0]),
        headers={"Host": parsed.netloc.decode("ascii")},
        extensions={"sni_hostname": parsed.host},
    )


def check_url(url: str, settings: Settings, resolver: Resolver = system_resolver) -> None:
    """Raise InputError for a URL that is not http(s) or, unless allowed, resolves to a private address."""
    checked_target(url, settings, resolver)


def post(
    url: str,
    content: bytes,
    headers: Mapping[str, str],
    settings: Settings,
    what: str,
    *,
    resolver: Resolver = system_resolver,
) -> None:
    """POST and require a 2xx answer; every failure becomes an AlertDeliveryError naming `what`."""
    try:
        target = checked_target(url, settings, resolver)
        with httpx.Client(
            timeout=httpx.Timeout(settings.http_timeout_seconds), follow_redirects=False, trust_env=False
        ) as client:
            request = client.build_request(
                "POST",
                target.url,
                content=content,
                headers={"User-Agent": settings.user_agent, **dict(headers), **target.headers},
                extensions=target.extensions,
            )
            response = client.send(request)
    except HikeshiError as error:  # refused, or the name does not resolve
        raise AlertDeliveryError(str(error)) from None
    except httpx.TimeoutException:
        raise AlertDeliveryError(f"{what}への送信がタイムアウトしました（{_host(url)}）。") from None
    except httpx.HTTPError as error:
        raise AlertDeliveryError(
            f"{what}に接続できません（{_host(url)}、{type(error).__name__}）。"
        ) from None
    if not 200 <= response.status_code < 300:
        detail = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        raise AlertDeliveryError(
            f"{what}が送信を拒否しました: HTTP {response.status_code}"
            + (f"（{detail}）" if detail else "")
            + f"（{_host(url)}）"
        )


def _host(url: str) -> str:
    """Only the host in messages: webhook paths (Slack's included) are secrets."""
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return "不正な URL"
