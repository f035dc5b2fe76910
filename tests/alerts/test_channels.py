"""Each channel against a real receiver on loopback: Slack's payload, the webhook's HMAC, SMTP in UTF-8."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re

import pytest
from pydantic import SecretStr

from hikeshi.alerts import (
    AlertDeliveryError,
    AlertEvent,
    AlertMessage,
    EmailConfig,
    SlackConfig,
    WebhookConfig,
    build_channel,
    verify_signature,
)
from hikeshi.alerts.slack import slack_payload
from hikeshi.records import Signal, SignalEvidence, SignalKind
from hikeshi.settings import Settings
from tests.alerts.receivers import HttpReceiver, SmtpReceiver

DETECTED = dt.datetime(2026, 3, 12, 13, 38, tzinfo=dt.UTC)  # 22:38 JST


def flame_message(
    event: AlertEvent = AlertEvent.OPENED, sequence: int = 1, summary: str | None = None
) -> AlertMessage:
    signal = Signal(
        watch="ミナト住建",
        kind=SignalKind.NEGATIVITY_RISE,
        window_start=DETECTED - dt.timedelta(minutes=30),
        detected_at=DETECTED,
        severity=3,
        evidence=SignalEvidence(terms=["営業", "社長", "不買"], post_ids=["x:x-000812", "x:x-000815"]),
        summary=summary
        or "直近 30 分の否定的な投稿が 5 人／6 人（推定割合 42%、平常時 11%）に増えています。",
    )
    return AlertMessage(
        watch="ミナト住建",
        thread_id="inc-0123456789abcdef",
        sequence=sequence,
        event=event,
        severity=3,
        previous_severity=2 if event == AlertEvent.ESCALATED else None,
        signals=[signal],
        created_at=DETECTED + dt.timedelta(minutes=1),
    )


@pytest.mark.parametrize(
    ("event", "title"),
    [
        (AlertEvent.OPENED, "【警戒】ミナト住建: 否定的な声の増加"),
        (AlertEvent.ESCALATED, "【更新・要注意→警戒】ミナト住建: 否定的な声の増加"),
        (AlertEvent.REMINDER, "【続報・警戒】ミナト住建: 否定的な声の増加"),
        (AlertEvent.CALMED, "【沈静化】ミナト住建: 投稿の量と否定的な声が平常に戻りました"),
    ],
)
def test_slack_incoming_webhook_payload(
    receiver: HttpReceiver, settings: Settings, event: AlertEvent, title: str
) -> None:
    url = receiver.base_url + "/services/T000/B000/XXXX"
    build_channel(SlackConfig(webhook_url=url), settings).send(flame_message(event))
    (request,) = receiver.posts("/services/T000/B000/XXXX")
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    payload = json.loads(request.body.decode("utf-8"))
    assert payload["text"] == title
    header, section, context = payload["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}}
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert "5 人／6 人" in section["text"]["text"]
    assert "語: 営業、社長、不買" in section["text"]["text"]
    assert context["elements"][0]["text"].startswith("スレッド inc-0123456789abcdef（1 通目）")


def test_slack_escapes_post_text_in_mrkdwn() -> None:
    message = flame_message(summary="<!channel> 社長を出せ & 謝罪しろ <https://evil.example|ここ>")
    text = slack_payload(message)["blocks"][1]["text"]["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt; 社長を出せ &amp; 謝罪しろ" in text


def test_webhook_body_is_signed_with_hmac_sha256(receiver: HttpReceiver, settings: Settings) -> None:
    secret = "s3cr3t-共有鍵"
    config = WebhookConfig(url=receiver.base_url + "/hooks/hikeshi", secret=SecretStr(secret))
    build_channel(config, settings).send(flame_message(AlertEvent.ESCALATED, sequence=2))
    (request,) = receiver.posts("/hooks/hikeshi")
    timestamp = request.headers["x-hikeshi-timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-hikeshi-signature"] == f"sha256={expected}"
    assert request.headers["x-hikeshi-event"] == "escalated"
    assert verify_signature(secret, timestamp, request.body, request.headers["x-hikeshi-signature"])
    assert not verify_signature("wrong", timestamp, request.body, request.headers["x-hikeshi-signature"])
    assert not verify_signature(
        secret, timestamp, request.body + b" ", request.headers["x-hikeshi-signature"]
    )
    stale = float(timestamp) + 3600
    assert not verify_signature(
        secret, timestamp, request.body, request.headers["x-hikeshi-signature"], now=stale
    )
    body = json.loads(request.body)
    assert (body["type"], body["watch"], body["event"], body["sequence"]) == (
        "hikeshi.alert",
        "ミナト住建",
        "escalated",
        2,
    )
    assert body["signals"][0]["kind"] == "negativity_rise"
    assert body["signals"][0]["evidence"]["terms"] == ["営業", "社長", "不買"]
    assert body["title"].startswith("【更新・要注意→警戒】")


def test_email_over_smtp_in_utf8_and_threaded(smtp: SmtpReceiver, settings: Settings) -> None:
    config = EmailConfig(
        host="127.0.0.1",
        port=smtp.port,
        security="none",
        sender="hikeshi@example.jp",
        recipients=["kouhou@example.jp", "risk@example.jp"],
    )
    channel = build_channel(config, settings)
    channel.send(flame_message())
    channel.send(flame_message(AlertEvent.ESCALATED, sequence=2))
    (sender, recipients, first), (_, _, second) = smtp.messages
    assert sender == "hikeshi@example.jp"
    assert recipients == ["kouhou@example.jp", "risk@example.jp"]
    assert first["Subject"] == "【警戒】ミナト住建: 否定的な声の増加"
    assert first.get_content_charset() == "utf-8"
    content = first.get_content()
    assert "5 人／6 人" in content and "2026-03-12 22:38 JST 検知" in content
    assert first["Message-ID"] == "<inc-0123456789abcdef.1@hikeshi.invalid>"
    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"] == first["Message-ID"]


def test_receiver_errors_become_delivery_errors(receiver: HttpReceiver, settings: Settings) -> None:
    receiver.post_status["/services/T/B/bad"] = 400
    channel = build_channel(SlackConfig(webhook_url=receiver.base_url + "/services/T/B/bad"), settings)
    with pytest.raises(AlertDeliveryError, match="HTTP 400（invalid_payload）"):
        channel.send(flame_message())


def test_smtp_server_down_is_a_delivery_error(settings: Settings) -> None:
    config = EmailConfig(
        host="127.0.0.1", port=1, security="none", sender="a@example.jp", recipients=["b@example.jp"]
    )
    with pytest.raises(AlertDeliveryError, match=re.escape("127.0.0.1:1 に接続できません")):
        build_channel(config, settings).send(flame_message())


def test_private_webhook_refused_unless_allowed(receiver: HttpReceiver) -> None:
    strict = Settings(allow_private_urls=False)
    channel = build_channel(WebhookConfig(url=receiver.base_url + "/x", secret=SecretStr("k")), strict)
    with pytest.raises(AlertDeliveryError, match="内部・ループバック"):
        channel.send(flame_message())
    assert receiver.posts("/x") == []
