"""The alert channel Protocol, the message every channel renders, channel settings, and the registry.

A message belongs to an incident *thread* (one flame = one incident = one thread); channels show the thread
key so that people, mail clients (In-Reply-To) and receiving systems can keep the updates of one flame
together. Alerts sit below `respond`, so they never look incidents up: the respond side hands each signal's
incident down as a `ThreadRef`, and its announcements (an incident opened, a task overdue) as `Notice`s.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Literal, Protocol, runtime_checkable

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr

from hikeshi.errors import HikeshiError, InputError
from hikeshi.records import Signal
from hikeshi.settings import Settings


class AlertEvent(StrEnum):
    OPENED = "opened"
    """The first message of a thread."""
    ESCALATED = "escalated"
    """The severity of the flame rose above what was last sent."""
    REMINDER = "reminder"
    """Same severity, but the cooldown has passed: an update so the thread does not look stale."""
    CALMED = "calmed"
    """The calmed detector declared the episode over; the thread is closed."""
    NOTICE = "notice"
    """Only announcements from the incident side (opened, a task overdue), no new signal."""
    TEST = "test"
    """`hikeshi alert test`: checks that a channel is set up correctly."""


INCIDENT_THREAD_PREFIX = "inc-"


class ThreadRef(BaseModel):
    """The incident a signal belongs to, as the respond side names it: its thread is ``inc-<incident id>``."""

    model_config = ConfigDict(frozen=True)

    incident_id: int = Field(ge=1)
    title: str | None = None
    severity: int = Field(default=1, ge=1, le=4, description="the incident's severity now")
    link: str | None = Field(default=None, description="the incident room, when a public URL is configured")

    @property
    def thread_id(self) -> str:
        return incident_thread_id(self.incident_id)


def incident_thread_id(incident_id: int) -> str:
    """「inc-12」: the one name of a flame's thread, the same on every channel and on the incident's timeline."""
    return f"{INCIDENT_THREAD_PREFIX}{incident_id}"


class NoticeKind(StrEnum):
    INCIDENT_OPENED = "incident_opened"
    TASK_OVERDUE = "task_overdue"


class Notice(BaseModel):
    """An announcement the respond side asks to be sent on an incident's thread, worded there in Japanese.

    e.g. 「タスク『証拠保全』（記録係）が期限 23:56 を過ぎています」.
    """

    model_config = ConfigDict(frozen=True)

    kind: NoticeKind
    watch: str
    thread: ThreadRef
    text: str = Field(min_length=1)
    key: str = Field(description="what the respond side records it under, e.g. overdue:evidence")


class AlertMessage(BaseModel):
    """One message of an incident thread, as every channel receives it."""

    model_config = ConfigDict(frozen=True)

    watch: str
    thread_id: str = Field(description="stable key of the incident thread, e.g. inc-3f2a9c1d0b7e4a55")
    sequence: int = Field(ge=1, description="1 for the message that opens the thread")
    event: AlertEvent
    severity: int = Field(ge=1, le=4)
    previous_severity: int | None = Field(default=None, description="for escalations: what was sent before")
    signals: list[Signal] = Field(default_factory=list)
    folded: int = Field(
        default=0, ge=0, description="signals of this thread held back since the last message"
    )
    notices: list[Notice] = Field(default_factory=list)
    incident: ThreadRef | None = Field(default=None, description="the incident this thread is the voice of")
    continues: str | None = Field(
        default=None,
        description="the earlier thread id this thread grew out of (its first message starts the conversation)",
    )
    created_at: AwareDatetime


class AlertDeliveryError(HikeshiError):
    """A channel could not deliver a message (the receiver is down, refused it, or is misconfigured)."""


class SlackConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["slack"] = "slack"
    webhook_url: str = Field(description="https://hooks.slack.com/services/T…/B…/…")


class WebhookConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["webhook"] = "webhook"
    url: str
    secret: SecretStr = Field(description="HMAC-SHA256 key shared with the receiver")


class EmailConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["email"] = "email"
    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "starttls"
    sender: str = Field(min_length=3)
    recipients: list[str] = Field(min_length=1)
    username: str | None = None
    password: SecretStr | None = None


class TeamsConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["teams"] = "teams"
    webhook_url: str = Field(description="a Teams incoming webhook or a Workflows (Power Automate) URL")


AnyChannelConfig = SlackConfig | WebhookConfig | EmailConfig | TeamsConfig
ChannelConfig = Annotated[AnyChannelConfig, Field(discriminator="kind")]


@runtime_checkable
class AlertChannel(Protocol):
    """Delivers one message or raises AlertDeliveryError; it keeps no state (the thread state lives above)."""

    kind: str

    def send(self, message: AlertMessage) -> None: ...


ChannelFactory = Callable[[AnyChannelConfig, Settings], AlertChannel]

_REGISTRY: dict[str, ChannelFactory] = {}


def register_channel(kind: str, factory: ChannelFactory) -> None:
    """Adding a channel is one module plus one call here."""
    _REGISTRY[kind] = factory


def channel_kinds() -> list[str]:
    return sorted(_REGISTRY)


def build_channel(config: AnyChannelConfig, settings: Settings) -> AlertChannel:
    factory = _REGISTRY.get(config.kind)
    if factory is None:
        raise InputError(f"不明な通知先の種類です: {config.kind}（使えるもの: {', '.join(channel_kinds())}）")
    return factory(config, settings)
