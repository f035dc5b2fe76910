"""Alerts: Slack, Microsoft Teams, generic webhook (HMAC-signed) and e-mail, one thread per flame.

`Alerter(open_book(store, settings), settings).process(signals, now, refs=..., notices=...)` plans the
messages for new signals (`grouping.plan_alerts`, pure), sends them through each watch's channels and saves
the thread state in the database. The respond side, above, says which incident each signal belongs to
(`ThreadRef`: its thread is ``inc-<incident id>``) and what to announce (`Notice`); alerts never import it.
"""

from hikeshi.alerts import mail, slack, teams, webhook  # noqa: F401  (importing registers each channel kind)
from hikeshi.alerts.base import (
    AlertChannel,
    AlertDeliveryError,
    AlertEvent,
    AlertMessage,
    AnyChannelConfig,
    ChannelConfig,
    EmailConfig,
    Notice,
    NoticeKind,
    SlackConfig,
    TeamsConfig,
    ThreadRef,
    WebhookConfig,
    build_channel,
    channel_kinds,
    incident_thread_id,
    register_channel,
)
from hikeshi.alerts.config import AlertBook, AlertSettings, AlertSetup, ChannelEntry, LegacyImport, config_dir
from hikeshi.alerts.dispatch import Alerter, AlertRun, Delivery
from hikeshi.alerts.grouping import AlertPolicy, AlertState, Thread, plan_alerts, signal_key
from hikeshi.alerts.legacy import open_book
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
    "AlertSetup",
    "AlertState",
    "Alerter",
    "AnyChannelConfig",
    "ChannelConfig",
    "ChannelEntry",
    "Delivery",
    "EmailConfig",
    "LegacyImport",
    "Notice",
    "NoticeKind",
    "SlackConfig",
    "TeamsConfig",
    "Thread",
    "ThreadRef",
    "WebhookConfig",
    "build_channel",
    "channel_kinds",
    "config_dir",
    "incident_thread_id",
    "open_book",
    "plan_alerts",
    "register_channel",
    "signal_key",
    "verify_signature",
]
