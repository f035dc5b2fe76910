"""Slack incoming webhook: a ``text`` fallback (notifications, old clients) plus Block Kit ``blocks``.

Slack's mrkdwn treats ``&``, ``<`` and ``>`` as control characters, so post text (untrusted) is escaped;
headers are plain_text (at most 150 characters) and a section's text at most 3,000 characters.
"""

from __future__ import annotations

import json
from typing import Any

from hikeshi.alerts import render
from hikeshi.alerts.base import AlertEvent, AlertMessage, AnyChannelConfig, SlackConfig, register_channel
from hikeshi.alerts.http import post
from hikeshi.settings import Settings

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
MAX_SIGNAL_SECTIONS = 20


def escape_mrkdwn(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_payload(message: AlertMessage) -> dict[str, Any]:
    """The JSON body Slack's incoming webhooks accept: ``{"text": ..., "blocks": [...]}``."""
    heading = render.title(message)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _clip(heading, HEADER_LIMIT), "emoji": True},
        }
    ]
    if message.event == AlertEvent.TEST:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": escape_mrkdwn(render.body(message))}}
        )
    if message.notices:
        text = "\n".join(f"*{escape_mrkdwn(notice.text)}*" for notice in message.notices)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}})
    for signal in message.signals[:MAX_SIGNAL_SECTIONS]:
        first, summary, *evidence = render.signal_lines(signal)
        text = f"*{escape_mrkdwn(first)}*\n{escape_mrkdwn(summary)}"
        if evidence:
            text += "\n" + "\n".join(escape_mrkdwn(line) for line in evidence)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}})
    if message.incident is not None and message.incident.link:
        link = escape_mrkdwn(message.incident.link)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"<{link}|インシデントの対応室を開く>"}}
        )
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape_mrkdwn(render.footer(message))}]}
    )
    return {"text": heading, "blocks": blocks}


class SlackChannel:
    kind = "slack"

    def __init__(self, config: SlackConfig, settings: Settings) -> None:
        self._url = config.webhook_url
        self._settings = settings

    def send(self, message: AlertMessage) -> None:
        body = json.dumps(slack_payload(message), ensure_ascii=False).encode("utf-8")
        post(self._url, body, {"Content-Type": "application/json; charset=utf-8"}, self._settings, "Slack")


def _build(config: AnyChannelConfig, settings: Settings) -> SlackChannel:
    assert isinstance(config, SlackConfig)
    return SlackChannel(config, settings)


register_channel("slack", _build)
