"""Alerts: Slack, generic webhook (HMAC-signed) and e-mail, with grouping so one flame is one thread.

`Alerter(AlertBook.for_settings(settings), settings).process(signals, now)` plans the messages for new
signals (`grouping.plan_alerts`, pure), sends them through each watch's channels and saves the thread state.
"""

from hikeshi.alerts import mail, slack, webhook  # noqa: F401  (importing registers each channel kind)
from hikeshi.alerts.base import (
    AlertChannel,
    AlertDeliveryError,
    AlertEvent,
    AlertMessage,
    ChannelConfig,
    EmailConfig,
    SlackConfig,
    WebhookConfig,
    build_channel,
    channel_kinds,
    register_channel,
)
from hikeshi.alerts.config import AlertBook, AlertSettings, ChannelEntry, config_dir
from hikeshi.alerts.dispatch import Alerter, AlertRun, Delivery
from hikeshi.alerts.grouping import AlertPolicy, AlertState, Thread, plan_alerts, signal_key
from hikeshi.alerts.webhook import verify_signature

__all__ = [
    "AlertBook",
    "AlertChannel",
    "AlertDeliveryError",
    "AlertEvent",
    "AlertMessage",
    "AlertPolicy",
    "AlertRun",
    "AlertSettings",
    "AlertState",
    "Alerter",
    "ChannelConfig",
    "ChannelEntry",
    "Delivery",
    "EmailConfig",
    "SlackConfig",
    "Thread",
    "WebhookConfig",
    "build_channel",
    "channel_kinds",
    "config_dir",
    "plan_alerts",
    "register_channel",
    "signal_key",
    "verify_signature",
]
