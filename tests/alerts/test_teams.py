"""Microsoft Teams against a real loopback receiver: the Adaptive Card in Japanese, escaping, the SSRF guard."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from hikeshi.alerts import (
    AlertDeliveryError,
    AlertEvent,
    AlertMessage,
    Notice,
    NoticeKind,
    TeamsConfig,
    ThreadRef,
    build_channel,
)
from hikeshi.alerts.http import checked_target
from hikeshi.alerts.teams import escape_markdown
from hikeshi.errors import InputError
from hikeshi.records import Signal, SignalEvidence, SignalKind
from hikeshi.settings import Settings
from tests.alerts.receivers import HttpReceiver

DETECTED = dt.datetime(2026, 3, 12, 12, 26, tzinfo=dt.UTC)  # 21:26 JST
PATH = "/workflows/a1b2/triggers/manual/paths/invoke"
SPIKE = Signal(
    watch="ミナト住建",
    kind=SignalKind.VOLUME_SPIKE,
    window_start=DETECTED - dt.timedelta(minutes=30),
    detected_at=DETECTED,
    severity=1,
    evidence=SignalEvidence(
        post_ids=["x:x-000801", "x:x-000803", "x:x-000804", "x:x-000810"],
        terms=["営業", "成功報酬"],
        metrics={"window_minutes": 30.0, "authors": 9.0, "expected": 0.42, "ratio": 21.4},
    ),
    summary="直近 30 分に 9 人が投稿しました（平常時の目安 0.4 人の 21 倍）。",
)
NEGATIVE = SPIKE.model_copy(
    update={
        "kind": SignalKind.NEGATIVITY_RISE,
        "severity": 3,
        "detected_at": DETECTED + dt.timedelta(minutes=90),
        "evidence": SignalEvidence(
            post_ids=["x:x-000812"],
            metrics={
                "negative_authors": 5.0,
                "authors": 6.0,
                "expected_negative": 1.2,
                "negative_share": 0.42,
                "baseline_share": 0.11,
            },
        ),
        "summary": "直近 30 分の否定的な投稿が 5 人／6 人に増えています。",
    }
)
ROOM = ThreadRef(
    incident_id=3,
    title="ミナト住建: 否定的な声の増加",
    severity=3,
    link="https://hikeshi.example.jp/incidents/3",
)


def send(receiver: HttpReceiver, settings: Settings, message: AlertMessage) -> dict[str, Any]:
    build_channel(TeamsConfig(webhook_url=receiver.base_url + PATH), settings).send(message)
    (request,) = receiver.posts(PATH)
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    payload: dict[str, Any] = json.loads(request.body.decode("utf-8"))
    return payload


def texts(card: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for block in card["body"]:
        if block["type"] == "TextBlock":
            found.append(block["text"])
        else:
            found.extend(f"{fact['title']}={fact['value']}" for fact in block["facts"])
    return found


@pytest.mark.parametrize(
    ("signal", "title", "severity", "numbers"),
    [
        (
            SPIKE,
            "【注意】ミナト住建: 投稿急増",
            "深刻度=1（注意）",
            ["集計の幅=直近 30 分", "投稿した人=9 人（平常時の目安 0.4 人・21 倍）"],
        ),
        (
            NEGATIVE,
            "【警戒】ミナト住建: 否定的な声の増加",
            "深刻度=3（警戒）",
            ["否定的な投稿をした人=5 人／6 人（平常時の目安 1.2 人）", "否定的な割合=42%（平常時 11%）"],
        ),
    ],
)
def test_teams_card_in_japanese_with_numbers_and_earliest_posts(
    receiver: HttpReceiver, settings: Settings, signal: Signal, title: str, severity: str, numbers: list[str]
) -> None:
    message = AlertMessage(
        watch="ミナト住建",
        thread_id="inc-0123456789abcdef",
        sequence=1,
        event=AlertEvent.OPENED,
        severity=signal.severity,
        signals=[signal],
        created_at=signal.detected_at,
    )
    payload = send(receiver, settings, message)
    assert payload["type"] == "message" and payload["summary"] == title
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    lines = texts(card)
    assert lines[0] == title and severity in lines
    assert all(number in lines for number in numbers)
    assert signal.summary in lines
    earliest = ", ".join(signal.evidence.post_ids[:3])
    assert f"最初の投稿={escape_markdown(earliest)}" in lines
    assert "actions" not in card  # no public URL configured, no link


def test_teams_message_of_an_incident_links_to_its_room(receiver: HttpReceiver, settings: Settings) -> None:
    notice = Notice(
        kind=NoticeKind.INCIDENT_OPENED,
        watch="ミナト住建",
        thread=ROOM,
        text="インシデント 3「ミナト住建: 否定的な声の増加」を開きました（深刻度 3 警戒）。",
        key="announce:opened:3",
    )
    message = AlertMessage(
        watch="ミナト住建",
        thread_id="inc-3",
        sequence=3,
        event=AlertEvent.ESCALATED,
        severity=3,
        previous_severity=2,
        signals=[NEGATIVE],
        notices=[notice],
        incident=ROOM,
        created_at=NEGATIVE.detected_at,
    )
    card = send(receiver, settings, message)["attachments"][0]["content"]
    lines = texts(card)
    assert lines[0] == "【インシデント開始・警戒】ミナト住建: 否定的な声の増加"
    assert "前回の通知=2（要注意）" in lines and "インシデント=3" in lines
    assert f"● {notice.text}" in lines
    assert lines[-1].startswith("インシデント 3・スレッド inc-3（3 通目）")
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "インシデントの対応室を開く", "url": ROOM.link}
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("[公式はこちら](https://evil.example)", "\\[公式はこちら\\](https://evil.example)"),
        ("<at>全員</at> 社長を出せ & 謝罪しろ", "&lt;at>全員&lt;/at> 社長を出せ &amp; 謝罪しろ"),
        ("**不買**運動_拡散中_", "\\*\\*不買\\*\\*運動\\_拡散中\\_"),
    ],
)
def test_text_from_posts_stays_text_in_teams(text: str, shown: str) -> None:
    assert escape_markdown(text) == shown


def test_teams_refusal_is_a_delivery_error(receiver: HttpReceiver, settings: Settings) -> None:
    receiver.post_status[PATH] = 400
    message = AlertMessage(
        watch="ミナト住建",
        thread_id="test",
        sequence=1,
        event=AlertEvent.TEST,
        severity=1,
        created_at=DETECTED,
    )
    with pytest.raises(AlertDeliveryError, match="Teamsが送信を拒否しました: HTTP 400"):
        build_channel(TeamsConfig(webhook_url=receiver.base_url + PATH), settings).send(message)


def test_private_teams_url_refused_unless_allowed(receiver: HttpReceiver) -> None:
    channel = build_channel(
        TeamsConfig(webhook_url=receiver.base_url + PATH), Settings(allow_private_urls=False)
    )
    message = AlertMessage(
        watch="ミナト住建",
        thread_id="test",
        sequence=1,
        event=AlertEvent.TEST,
        severity=1,
        created_at=DETECTED,
    )
    with pytest.raises(AlertDeliveryError, match="内部・ループバック"):
        channel.send(message)
    assert receiver.posts(PATH) == []


def test_the_connection_goes_to_the_address_that_was_checked() -> None:
    """Resolved once: the request targets the checked address, the name stays in Host and for TLS (SNI)."""
    answers = iter([["20.42.65.92"], ["127.0.0.1"]])  # a rebinding resolver: public first, loopback next
    calls: list[tuple[str, int]] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append((host, port))
        return next(answers)

    strict = Settings(allow_private_urls=False)
    target = checked_target("https://outlook.example.com/webhookb2/abc", strict, rebinding)
    assert calls == [("outlook.example.com", 443)]
    assert (target.url.host, target.url.path) == ("20.42.65.92", "/webhookb2/abc")
    assert target.headers == {"Host": "outlook.example.com"}
    assert target.extensions == {"sni_hostname": "outlook.example.com"}
    with pytest.raises(InputError, match="内部・ループバック"):
        checked_target("https://outlook.example.com/webhookb2/abc", strict, rebinding)
