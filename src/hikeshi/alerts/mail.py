"""E-mail over SMTP (smtplib): Japanese subject and body in UTF-8, threaded by Message-ID / In-Reply-To.

Every message of an incident thread refers to the first one (``References``), so mail clients show one flame
as one conversation instead of a pile of separate mails; when a watch's thread became an incident's thread
(``continues``), the first mail of the earlier thread stays the root.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime

from hikeshi.alerts import render
from hikeshi.alerts.base import (
    AlertDeliveryError,
    AlertMessage,
    AnyChannelConfig,
    EmailConfig,
    register_channel,
)
from hikeshi.settings import Settings

MESSAGE_ID_DOMAIN = "hikeshi.invalid"


def message_id(thread_id: str, sequence: int) -> str:
    return f"<{thread_id}.{sequence}@{MESSAGE_ID_DOMAIN}>"


def build_email(message: AlertMessage, config: EmailConfig) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = render.title(message)
    mail["From"] = config.sender
    mail["To"] = ", ".join(config.recipients)
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = message_id(message.thread_id, message.sequence)
    if message.sequence > 1:
        first = message_id(message.continues or message.thread_id, 1)
        mail["In-Reply-To"] = first
        mail["References"] = first
    mail["X-Hikeshi-Thread"] = message.thread_id
    mail.set_content(render.body(message), charset="utf-8")
    return mail


class EmailChannel:
    kind = "email"

    def __init__(self, config: EmailConfig, settings: Settings) -> None:
        self._config = config
        self._timeout = settings.http_timeout_seconds

    def send(self, message: AlertMessage) -> None:
        config = self._config
        mail = build_email(message, config)
        try:
            smtp: smtplib.SMTP
            if config.security == "ssl":
                smtp = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=self._timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=self._timeout)
            with smtp:
                if config.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if config.username and config.password is not None:
                    smtp.login(config.username, config.password.get_secret_value())
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError:
            raise AlertDeliveryError(
                f"SMTP サーバー {config.host} での認証に失敗しました。ユーザー名とパスワードを確かめてください。"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise AlertDeliveryError(
                f"SMTP サーバー {config.host} は STARTTLS に対応していません。--smtp-security を見直してください。"
            ) from None
        except smtplib.SMTPException as error:
            raise AlertDeliveryError(
                f"SMTP サーバー {config.host} がメールを受け付けませんでした: {error}"
            ) from None
        except (TimeoutError, OSError) as error:
            raise AlertDeliveryError(
                f"SMTP サーバー {config.host}:{config.port} に接続できません（{type(error).__name__}）。"
            ) from None


def _build(config: AnyChannelConfig, settings: Settings) -> EmailChannel:
    assert isinstance(config, EmailConfig)
    return EmailChannel(config, settings)


register_channel("email", _build)
