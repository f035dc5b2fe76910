"""POSTing alert payloads: the same private-address rule as the fetchers, no redirects, short timeouts.

Webhook URLs are configured by an operator, but a web form may later let others set them, so a URL that
resolves to a loopback or private address is refused unless `Settings.allow_private_urls` is set (on-premise
receivers, tests). Redirects are not followed: a webhook that redirects is misconfigured.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from hikeshi.alerts.base import AlertDeliveryError
from hikeshi.errors import InputError
from hikeshi.settings import Settings
from hikeshi.sources.http import is_public_address, system_resolver


def check_url(url: str, settings: Settings) -> None:
    """Raise InputError for a URL that is not http(s) or, unless allowed, resolves to a private address."""
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InputError(f"通知先の URL は http:// か https:// で始めてください: {url}")
    if settings.allow_private_urls:
        return
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    for address in system_resolver(parsed.host, port):
        if not is_public_address(address):
            raise InputError(
                f"通知先 {parsed.host}（{address}）は内部・ループバックのアドレスです。社内の受信先に送る場合は "
                "HIKESHI_ALLOW_PRIVATE_URLS=true を設定してください。"
            )


def post(url: str, content: bytes, headers: Mapping[str, str], settings: Settings, what: str) -> None:
    """POST and require a 2xx answer; every failure becomes an AlertDeliveryError naming `what`."""
    try:
        check_url(url, settings)
        with httpx.Client(
            timeout=httpx.Timeout(settings.http_timeout_seconds), follow_redirects=False, trust_env=False
        ) as client:
            response = client.post(
                url, content=content, headers={"User-Agent": settings.user_agent, **dict(headers)}
            )
    except InputError as error:
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
