"""`hikeshi alert add|list|remove|policy|test`: where a watch's alerts go and how they are grouped.

Channels and policies live in the database (`hikeshi.alerts.AlertBook`); the first command run on an older
installation imports its alerts.yaml and alert_state.json (`open_book`) and says so on stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import SecretStr, ValidationError

from hikeshi.alerts import (
    AlertBook,
    Alerter,
    AlertPolicy,
    AnyChannelConfig,
    ChannelEntry,
    EmailConfig,
    SlackConfig,
    TeamsConfig,
    WebhookConfig,
    open_book,
)
from hikeshi.alerts.http import check_url
from hikeshi.cli.watch import check_format, fail, split_list
from hikeshi.errors import HikeshiError, InputError
from hikeshi.settings import Settings
from hikeshi.sources.http import FetchError
from hikeshi.store import Store

app = typer.Typer(
    no_args_is_help=True, help="炎上の通知先（Slack・Teams・Webhook・メール）とまとめ方を管理します。"
)
FormatOption = Annotated[str, typer.Option("--format", "-f", help="出力形式: text または json。")]


class ChannelKind(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    WEBHOOK = "webhook"
    EMAIL = "email"


URL_KINDS = (ChannelKind.SLACK, ChannelKind.TEAMS, ChannelKind.WEBHOOK)


def book_of(store: Store, settings: Settings) -> AlertBook:
    """The alert book, telling the user once when an older installation's files were imported."""
    book = open_book(store, settings)
    if book.imported is not None:
        typer.echo(book.imported.describe(), err=True)
    return book


class Security(StrEnum):
    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "none"


@app.command(
    "add",
    help="通知先を追加します。例: hikeshi alert add --watch ミナト住建 --kind slack --url https://hooks.slack.com/…",
)
def add(
    watch: Annotated[str, typer.Option("--watch", "-w", help="ウォッチ名。")],
    kind: Annotated[ChannelKind, typer.Option("--kind", help="slack, teams, webhook, email")],
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="slack・teams: Incoming Webhook（Teams はワークフロー）の URL。webhook: 送信先 URL。",
        ),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option("--secret", help="webhook: 署名 (HMAC-SHA256) の鍵。省略時は生成して表示します。"),
    ] = None,
    smtp_host: Annotated[str | None, typer.Option("--smtp-host", help="email: SMTP サーバー。")] = None,
    smtp_port: Annotated[
        int | None, typer.Option("--smtp-port", help="email: ポート（既定 587、ssl は 465）。")
    ] = None,
    smtp_security: Annotated[
        Security, typer.Option("--smtp-security", help="email: starttls, ssl, none")
    ] = Security.STARTTLS,
    sender: Annotated[str | None, typer.Option("--from", help="email: 差出人アドレス。")] = None,
    recipients: Annotated[str | None, typer.Option("--to", help="email: 宛先（カンマ区切り）。")] = None,
    smtp_user: Annotated[
        str | None, typer.Option("--smtp-user", help="email: SMTP 認証のユーザー名。")
    ] = None,
    smtp_password: Annotated[
        str | None,
        typer.Option(
            "--smtp-password", envvar="HIKESHI_SMTP_PASSWORD", help="email: SMTP 認証のパスワード。"
        ),
    ] = None,
    output_format: FormatOption = "text",
) -> None:
    generated = False
    try:
        check_format(output_format)
        settings = Settings()
        with Store.open(settings) as store:
            store.get_watch(watch)
            if kind == ChannelKind.WEBHOOK and not secret:
                secret, generated = secrets.token_hex(32), True
            config = _config(
                kind,
                url,
                secret,
                smtp_host,
                smtp_port,
                smtp_security,
                sender,
                recipients,
                smtp_user,
                smtp_password,
            )
            if isinstance(config, SlackConfig | TeamsConfig | WebhookConfig):
                # A name that does not resolve from here (yet) is checked again before every send.
                with contextlib.suppress(FetchError):
                    check_url(
                        config.url if isinstance(config, WebhookConfig) else config.webhook_url, settings
                    )
            entry = book_of(store, settings).add_channel(watch, config, dt.datetime.now(dt.UTC))
    except HikeshiError as error:
        raise fail(error) from None
    if output_format == "json":
        typer.echo(json.dumps(_public(entry), ensure_ascii=False))
    else:
        typer.echo(f"通知先 {entry.id} を追加しました: {_describe(entry)}")
    if generated and isinstance(entry.config, WebhookConfig):
        typer.echo(
            f"署名の鍵（受信側に設定してください。データベースにも保存しました）: {entry.config.secret.get_secret_value()}",
            err=True,
        )


@app.command("list", help="通知先とまとめ方（ポリシー）の一覧を表示します。")
def list_(
    watch: Annotated[
        str | None, typer.Option("--watch", "-w", help="このウォッチの通知先だけを表示。")
    ] = None,
    output_format: FormatOption = "text",
) -> None:
    try:
        check_format(output_format)
        settings = Settings()
        with Store.open(settings) as store:
            data = book_of(store, settings).load()
    except HikeshiError as error:
        raise fail(error) from None
    entries = [entry for entry in data.channels if watch is None or entry.watch == watch]
    if output_format == "json":
        typer.echo(json.dumps([_public(entry) for entry in entries], ensure_ascii=False))
        return
    if not entries:
        typer.echo(
            "通知先はまだありません。`hikeshi alert add --watch 名前 --kind slack --url …` で追加できます。"
        )
        return
    for entry in entries:
        typer.echo(f"{entry.id}\t{entry.watch}\t{_describe(entry)}")
    for name in dict.fromkeys(entry.watch for entry in entries):
        policy = data.policies.get(name) or AlertPolicy()
        typer.echo(f"まとめ方「{name}」: {_describe_policy(policy)}")


@app.command("remove", help="通知先を削除します（番号は alert list で確認）。")
def remove(channel_id: Annotated[int, typer.Argument(help="通知先の番号。")]) -> None:
    try:
        settings = Settings()
        with Store.open(settings) as store:
            entry = book_of(store, settings).remove_channel(channel_id)
    except HikeshiError as error:
        raise fail(error) from None
    typer.echo(f"通知先 {entry.id} を削除しました: {_describe(entry)}")


@app.command(
    "policy", help="ウォッチの通知のまとめ方（同じ事案とみなす間隔・再通知までの時間など）を設定します。"
)
def policy(
    watch: Annotated[str, typer.Option("--watch", "-w", help="ウォッチ名。")],
    window: Annotated[
        int | None, typer.Option("--window", help="この分数以内のシグナルは同じ事案にまとめる。")
    ] = None,
    cooldown: Annotated[
        int | None, typer.Option("--cooldown", help="重大度が同じなら、この分数は再通知しない。")
    ] = None,
    min_severity: Annotated[
        int | None, typer.Option("--min-severity", help="この重大度 (1–4) 以上で通知を始める。")
    ] = None,
    max_age: Annotated[
        float | None, typer.Option("--max-age", help="この時間より古いシグナルは通知しない。")
    ] = None,
) -> None:
    try:
        settings = Settings()
        with Store.open(settings) as store:
            store.get_watch(watch)
            _set_policy(book_of(store, settings), watch, window, cooldown, min_severity, max_age)
    except HikeshiError as error:
        raise fail(error) from None


def _set_policy(
    book: AlertBook,
    watch: str,
    window: int | None,
    cooldown: int | None,
    min_severity: int | None,
    max_age: float | None,
) -> None:
    """Change only the values given; the others keep what the watch had (or the defaults)."""
    updates = {
        "group_window_minutes": window,
        "cooldown_minutes": cooldown,
        "min_severity": min_severity,
        "max_signal_age_hours": max_age,
    }
    current = book.policy_for(watch)
    try:
        chosen = AlertPolicy.model_validate(
            {**current.model_dump(), **{key: value for key, value in updates.items() if value is not None}}
        )
    except ValidationError as error:
        problem = error.errors()[0]
        raise InputError(f"まとめ方の値が正しくありません: {problem['loc'][0]}: {problem['msg']}") from None
    book.set_policy(watch, chosen)
    typer.echo(f"まとめ方「{watch}」: {_describe_policy(chosen)}")


@app.command("test", help="ウォッチのすべての通知先にテスト通知を送ります。")
def test(watch: Annotated[str, typer.Option("--watch", "-w", help="ウォッチ名。")]) -> None:
    try:
        settings = Settings()
        with Store.open(settings) as store:
            store.get_watch(watch)
            deliveries = Alerter(book_of(store, settings), settings).test(watch, dt.datetime.now(dt.UTC))
    except HikeshiError as error:
        raise fail(error) from None
    for delivery in deliveries:
        if delivery.ok:
            typer.echo(f"通知先 {delivery.channel_id}（{delivery.kind}）: 送信しました。")
        else:
            typer.echo(f"エラー: 通知先 {delivery.channel_id}（{delivery.kind}）: {delivery.error}", err=True)
    if not all(delivery.ok for delivery in deliveries):
        raise typer.Exit(code=1)


def _config(
    kind: ChannelKind,
    url: str | None,
    secret: str | None,
    smtp_host: str | None,
    smtp_port: int | None,
    smtp_security: Security,
    sender: str | None,
    recipients: str | None,
    smtp_user: str | None,
    smtp_password: str | None,
) -> AnyChannelConfig:
    email_options = [smtp_host, smtp_port, sender, recipients, smtp_user, smtp_password]
    if kind in URL_KINDS:
        if not url:
            raise InputError(f"--kind {kind.value} には --url が必要です。")
        if any(option is not None for option in email_options):
            raise InputError(f"--kind {kind.value} では --smtp-* ・--from・--to は使えません。")
        if kind in (ChannelKind.SLACK, ChannelKind.TEAMS):
            if secret:
                raise InputError("--secret は --kind webhook 専用です。")
            if kind == ChannelKind.TEAMS:
                return TeamsConfig(webhook_url=url)
            return SlackConfig(webhook_url=url)
        return WebhookConfig(url=url, secret=SecretStr(secret or ""))
    if url or secret:
        raise InputError("--kind email では --url と --secret は使えません。")
    to = split_list(recipients)
    if not smtp_host or not sender or not to:
        raise InputError("--kind email には --smtp-host、--from、--to が必要です。")
    if bool(smtp_user) != bool(smtp_password):
        raise InputError("SMTP 認証には --smtp-user と --smtp-password の両方が必要です。")
    port = smtp_port or (465 if smtp_security == Security.SSL else 587)
    try:
        return EmailConfig(
            host=smtp_host,
            port=port,
            security=smtp_security.value,
            sender=sender,
            recipients=to,
            username=smtp_user,
            password=SecretStr(smtp_password) if smtp_password else None,
        )
    except ValidationError as error:
        problem = error.errors()[0]
        raise InputError(f"メールの設定が正しくありません: {problem['loc'][0]}: {problem['msg']}") from None


def _describe(entry: ChannelEntry) -> str:
    config = entry.config
    if isinstance(config, SlackConfig):
        return f"Slack（{_host(config.webhook_url)}）"
    if isinstance(config, TeamsConfig):
        return f"Teams（{_host(config.webhook_url)}）"
    if isinstance(config, WebhookConfig):
        return f"Webhook {config.url}（署名 HMAC-SHA256）"
    return f"メール {', '.join(config.recipients)}（{config.host}:{config.port}、{config.security}）"


def _describe_policy(policy: AlertPolicy) -> str:
    return (
        f"{policy.group_window_minutes} 分以内は同じ事案・同じ重大度の再通知は {policy.cooldown_minutes} 分後"
        f"・重大度 {policy.min_severity} 以上で通知・{policy.max_signal_age_hours:g} 時間より古いシグナルは通知しない"
    )


def _host(url: str) -> str:
    """A Slack or Teams webhook URL is a secret: show its host only."""
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def _public(entry: ChannelEntry) -> dict[str, object]:
    """JSON without secrets (the SecretStr fields come out masked; a Slack or Teams URL keeps only its host)."""
    data: dict[str, object] = entry.model_dump(mode="json")
    if isinstance(entry.config, SlackConfig | TeamsConfig):
        data["config"] = {
            "kind": entry.config.kind,
            "webhook_url": f"https://{_host(entry.config.webhook_url)}/…",
        }
    return data
