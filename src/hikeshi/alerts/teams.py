"""Microsoft Teams incoming webhook: an Adaptive Card in Japanese (Teams Workflows and the older connectors).

Both kinds of Teams webhook accept ``{"type": "message", "attachments": [<Adaptive Card>]}``. The card leads
with the severity and its Japanese label (注意・要注意・警戒・危険), then the numbers against the usual level as a
fact list, the earliest posts, the incident's announcements, and a button to the incident room when
`Settings.public_url` is set. Teams reads TextBlock and fact text as Markdown (links, emphasis, ``<at>``
mentions), so text that may come from posts is escaped: a term such as ``[こちら](https://…)`` stays text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hikeshi.alerts import render
from hikeshi.alerts.base import AlertEvent, AlertMessage, AnyChannelConfig, TeamsConfig, register_channel
from hikeshi.alerts.http import post
from hikeshi.settings import Settings

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_SIGNAL_BLOCKS = 10
TEXT_LIMIT = 2000
_MARKDOWN = re.compile(r"([\\`*_\[\]~])")
"""What makes emphasis, code or a link; a link needs ``[`` so parentheses and dashes stay readable."""
SEVERITY_COLOURS = {1: "Default", 2: "Warning", 3: "Attention", 4: "Attention"}


def escape_markdown(text: str) -> str:
    """Markdown punctuation is backslash-escaped; ``<`` and ``&`` become entities (no mention, no tag)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN.sub(r"\\\1", escaped)


def _clip(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": _clip(escape_markdown(text)), "wrap": True, **style}


def _facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "FactSet",
        "facts": [{"title": escape_markdown(name), "value": escape_markdown(value)} for name, value in pairs],
    }


def teams_card(message: AlertMessage) -> dict[str, Any]:
    """The Adaptive Card (the ``content`` of the attachment)."""
    label = render.SEVERITY_LABELS.get(message.severity, str(message.severity))
    body: list[dict[str, Any]] = [
        _text(
            render.title(message),
            size="Medium",
            weight="Bolder",
            color=SEVERITY_COLOURS.get(message.severity, "Default"),
        )
    ]
    if message.event == AlertEvent.TEST:
        body.append(_text(render.body(message)))
        return _card(body, None)
    head: list[tuple[str, str]] = [("深刻度", f"{message.severity}（{label}）")]
    if message.previous_severity is not None:
        before = render.SEVERITY_LABELS.get(message.previous_severity, str(message.previous_severity))
        head.append(("前回の通知", f"{message.previous_severity}（{before}）"))
    if message.incident is not None:
        head.append(("インシデント", f"{message.incident.incident_id}"))
    body.append(_facts(head))
    body.extend(_text(f"● {notice.text}", weight="Bolder") for notice in message.notices)
    for signal in message.signals[:MAX_SIGNAL_BLOCKS]:
        kind = render.KIND_LABELS.get(signal.kind, signal.kind.value)
        body.append(
            _text(
                f"{kind}・深刻度 {signal.severity}（{render.SEVERITY_LABELS.get(signal.severity, '')}）"
                f"・{render.jst(signal.detected_at)} 検知",
                weight="Bolder",
                separator=True,
            )
        )
        body.append(_text(signal.summary))
        facts = render.level_facts(signal)
        if signal.evidence.terms:
            facts.append(("語", "、".join(signal.evidence.terms[: render.MAX_LISTED_TERMS])))
        posts = render.earliest_posts(signal)
        if posts:
            facts.append(("最初の投稿", ", ".join(posts)))
        if facts:
            body.append(_facts(facts))
    body.append(_text(render.footer(message), isSubtle=True, size="Small", separator=True))
    return _card(body, message.incident.link if message.incident is not None else None)


def _card(body: list[dict[str, Any]], link: str | None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "インシデントの対応室を開く", "url": link}]
    return card


def teams_payload(message: AlertMessage) -> dict[str, Any]:
    """What a Teams webhook accepts: one message with the card as its only attachment."""
    return {
        "type": "message",
        "summary": render.title(message),
        "attachments": [
            {"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": teams_card(message)}
        ],
    }


class TeamsChannel:
    kind = "teams"

    def __init__(self, config: TeamsConfig, settings: Settings) -> None:
        self._url = config.webhook_url
        self._settings = settings

    def send(self, message: AlertMessage) -> None:
        body = json.dumps(teams_payload(message), ensure_ascii=False).encode("utf-8")
        post(self._url, body, {"Content-Type": "application/json; charset=utf-8"}, self._settings, "Teams")


def _build(config: AnyChannelConfig, settings: Settings) -> TeamsChannel:
    assert isinstance(config, TeamsConfig)
    return TeamsChannel(config, settings)


register_channel("teams", _build)
