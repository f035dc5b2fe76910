"""Settings forms as people fill them in → the library's records (a `Watch`, an alert `ChannelConfig`).

Form fields are free text (「ミナト住建、みなと住建」 with Japanese commas, one term per line, ...); turning them
into validated records here keeps the page handlers to translation and gives the same Japanese messages
whatever page the form is on. Secrets never come back out: `describe_channel` shows hosts and recipients only.
"""

from __future__ import annotations

import re
import secrets

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from hikeshi.alerts import (
    AnyChannelConfig,
    ChannelEntry,
    EmailConfig,
    SlackConfig,
    TeamsConfig,
    WebhookConfig,
)
from hikeshi.errors import InputError
from hikeshi.records import Watch

LIST_SEPARATORS = re.compile(r"[,、，\n\r]+")
MAX_NAME_LENGTH = 200


def split_terms(value: str) -> list[str]:
    """「ミナト住建、みなと住建, ミナトホーム」 or one per line → the terms, trimmed, in order, without repeats."""
    return list(dict.fromkeys(term.strip() for term in LIST_SEPARATORS.split(value) if term.strip()))


def watch_from_form(name: str, terms: str, exclude: str = "", risk_terms: str = "") -> Watch:
    cleaned = name.strip()
    if not cleaned:
        raise InputError("ウォッチの名前を入力してください。")
    if len(cleaned) > MAX_NAME_LENGTH or "/" in cleaned or not cleaned.isprintable():
        raise InputError(
            f"ウォッチの名前は「/」や制御文字を含まない {MAX_NAME_LENGTH} 文字以内にしてください。"
        )
    term_list = split_terms(terms) or [cleaned]
    return Watch(
        name=cleaned, terms=term_list, exclude=split_terms(exclude), risk_terms=split_terms(risk_terms)
    )


class ChannelForm(BaseModel):
    """The alert channel form: which fields matter depends on `kind` (slack, teams, webhook, email)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    url: str = ""
    secret: str = ""
    smtp_host: str = ""
    smtp_port: str = ""
    smtp_security: str = "starttls"
    sender: str = ""
    recipients: str = ""
    smtp_user: str = ""
    smtp_password: str = ""


def channel_from_form(form: ChannelForm) -> tuple[AnyChannelConfig, str | None]:
    """The channel settings, and the webhook signing key when one was generated (shown to the admin once)."""
    url = form.url.strip()
    if form.kind in ("slack", "teams", "webhook"):
        if not url.lower().startswith(("https://", "http://")):
            raise InputError("送信先の URL を http:// または https:// で始まる形で入力してください。")
        if form.kind == "slack":
            return SlackConfig(webhook_url=url), None
        if form.kind == "teams":
            return TeamsConfig(webhook_url=url), None
        generated = None if form.secret.strip() else secrets.token_hex(32)
        return WebhookConfig(url=url, secret=SecretStr(form.secret.strip() or generated or "")), generated
    if form.kind != "email":
        raise InputError(f"通知先の種類は slack・teams・webhook・email のいずれかです（{form.kind}）。")
    recipients = split_terms(form.recipients)
    if not form.smtp_host.strip() or not form.sender.strip() or not recipients:
        raise InputError("メールの通知先には SMTP サーバー、差出人、宛先が必要です。")
    if bool(form.smtp_user.strip()) != bool(form.smtp_password):
        raise InputError("SMTP 認証にはユーザー名とパスワードの両方が必要です。")
    security = form.smtp_security if form.smtp_security in ("starttls", "ssl", "none") else "starttls"
    port_text = form.smtp_port.strip()
    if port_text and not port_text.isdigit():
        raise InputError(f"SMTP のポート番号は数字で入力してください（{port_text}）。")
    port = int(port_text) if port_text else (465 if security == "ssl" else 587)
    try:
        return (
            EmailConfig(
                host=form.smtp_host.strip(),
                port=port,
                security=security,  # type: ignore[arg-type]  # checked against the literal values above
                sender=form.sender.strip(),
                recipients=recipients,
                username=form.smtp_user.strip() or None,
                password=SecretStr(form.smtp_password) if form.smtp_password else None,
            ),
            None,
        )
    except ValidationError as error:
        problem = error.errors()[0]
        raise InputError(f"メールの設定が正しくありません: {problem['loc'][0]}: {problem['msg']}") from None


def describe_channel(entry: ChannelEntry) -> str:
    """A line for the channel list without secrets (a Slack or Teams webhook URL is itself a secret: host only)."""
    config = entry.config
    if isinstance(config, SlackConfig):
        return f"Slack（{_host(config.webhook_url)}）"
    if isinstance(config, TeamsConfig):
        return f"Teams（{_host(config.webhook_url)}）"
    if isinstance(config, WebhookConfig):
        return f"Webhook {_host(config.url)}（署名 HMAC-SHA256）"
    return f"メール {', '.join(config.recipients)}（{config.host}:{config.port}、{config.security}）"


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]
