"""Generic webhook: the message and its Signal records as JSON, signed with HMAC-SHA256.

The signature covers ``"{timestamp}.{body}"`` (as Stripe and Slack sign theirs), so a receiver can reject both
a forged body and a replay of an old one: it recomputes the HMAC with the shared secret and checks that the
timestamp is recent. `verify_signature` is that check, for receivers written in Python.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from hikeshi.alerts import render
from hikeshi.alerts.base import AlertMessage, AnyChannelConfig, WebhookConfig, register_channel
from hikeshi.alerts.http import post
from hikeshi.settings import Settings

SIGNATURE_HEADER = "X-Hikeshi-Signature"
TIMESTAMP_HEADER = "X-Hikeshi-Timestamp"
EVENT_HEADER = "X-Hikeshi-Event"
PAYLOAD_VERSION = 1
DEFAULT_TOLERANCE_SECONDS = 300


def webhook_payload(message: AlertMessage) -> dict[str, Any]:
    return {
        "type": "hikeshi.alert",
        "version": PAYLOAD_VERSION,
        "watch": message.watch,
        "thread_id": message.thread_id,
        "sequence": message.sequence,
        "event": message.event.value,
        "severity": message.severity,
        "previous_severity": message.previous_severity,
        "folded": message.folded,
        "created_at": message.created_at.isoformat(),
        "title": render.title(message),
        "text": render.body(message),
        "signals": [signal.model_dump(mode="json") for signal in message.signals],
        "incident_id": message.incident.incident_id if message.incident else None,
        "link": message.incident.link if message.incident else None,
        "continues": message.continues,
        "notices": [
            {"kind": notice.kind.value, "text": notice.text, "key": notice.key} for notice in message.notices
        ],
    }


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float | None = None,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """True when `signature` matches and `timestamp` is within the tolerance (constant-time comparison)."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - stamp) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)


class WebhookChannel:
    kind = "webhook"

    def __init__(self, config: WebhookConfig, settings: Settings) -> None:
        self._url = config.url
        self._secret = config.secret.get_secret_value()
        self._settings = settings

    def send(self, message: AlertMessage) -> None:
        body = json.dumps(webhook_payload(message), ensure_ascii=False).encode("utf-8")
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
            TIMESTAMP_HEADER: str(timestamp),
            EVENT_HEADER: message.event.value,
        }
        post(self._url, body, headers, self._settings, "Webhook の受信先")


def _build(config: AnyChannelConfig, settings: Settings) -> WebhookChannel:
    assert isinstance(config, WebhookConfig)
    return WebhookChannel(config, settings)


register_channel("webhook", _build)
