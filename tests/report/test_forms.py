"""Settings forms → Watch and alert channel records, with Japanese messages for what is wrong."""

from __future__ import annotations

import pytest

from hikeshi.alerts import ChannelEntry, EmailConfig, SlackConfig, WebhookConfig
from hikeshi.errors import InputError
from hikeshi.report.forms import (
    ChannelForm,
    channel_from_form,
    describe_channel,
    split_terms,
    watch_from_form,
)


@pytest.mark.parametrize(
    ("value", "terms"),
    [
        ("ミナト住建、みなと住建, ミナトホーム", ["ミナト住建", "みなと住建", "ミナトホーム"]),
        ("ミナト住建\nミナトホーム\r\n", ["ミナト住建", "ミナトホーム"]),
        ("不買，不買、 欠陥 ", ["不買", "欠陥"]),
        ("  ", []),
    ],
)
def test_split_terms(value: str, terms: list[str]) -> None:
    assert split_terms(value) == terms


def test_watch_from_form_uses_the_name_when_no_terms() -> None:
    watch = watch_from_form(" しろくま製菓 ", "", "求人", "異物混入、リコール")
    assert (watch.name, watch.terms, watch.exclude, watch.risk_terms) == (
        "しろくま製菓",
        ["しろくま製菓"],
        ["求人"],
        ["異物混入", "リコール"],
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "名前を入力してください"),
        ("A/B 社", "「/」や制御文字"),
        ("x" * 201, "200 文字以内"),
        ("社\u0007名", "制御文字"),
    ],
)
def test_watch_from_form_rejects_bad_names(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        watch_from_form(name, "")


def test_slack_and_webhook_channels() -> None:
    slack, no_secret = channel_from_form(
        ChannelForm(kind="slack", url=" https://hooks.slack.com/services/T/B/x ")
    )
    assert slack == SlackConfig(webhook_url="https://hooks.slack.com/services/T/B/x") and no_secret is None
    webhook, generated = channel_from_form(ChannelForm(kind="webhook", url="https://hooks.example.jp/in"))
    assert isinstance(webhook, WebhookConfig) and generated is not None and len(generated) == 64
    assert webhook.secret.get_secret_value() == generated
    given, shown = channel_from_form(
        ChannelForm(kind="webhook", url="https://hooks.example.jp/in", secret="鍵")
    )
    assert isinstance(given, WebhookConfig) and given.secret.get_secret_value() == "鍵" and shown is None


def test_email_channel_defaults_the_port_by_security() -> None:
    config, _ = channel_from_form(
        ChannelForm(
            kind="email",
            smtp_host="smtp.example.jp",
            smtp_security="ssl",
            sender="a@example.jp",
            recipients="pr@example.jp、risk@example.jp",
        )
    )
    assert isinstance(config, EmailConfig)
    assert (config.port, config.recipients) == (465, ["pr@example.jp", "risk@example.jp"])


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (ChannelForm(kind="slack", url="javascript:alert(1)"), "http:// または https://"),
        (ChannelForm(kind="fax"), "slack・teams・webhook・email"),
        (ChannelForm(kind="email", smtp_host="smtp.example.jp", sender="a@example.jp"), "宛先が必要です"),
        (
            ChannelForm(
                kind="email", smtp_host="h", sender="a@example.jp", recipients="b@example.jp", smtp_user="u"
            ),
            "ユーザー名とパスワードの両方",
        ),
        (
            ChannelForm(
                kind="email",
                smtp_host="h",
                sender="a@example.jp",
                recipients="b@example.jp",
                smtp_port="二五",
            ),
            "ポート番号は数字",
        ),
        (
            ChannelForm(
                kind="email",
                smtp_host="h",
                sender="a@example.jp",
                recipients="b@example.jp",
                smtp_port="70000",
            ),
            "メールの設定が正しくありません: port",
        ),
    ],
)
def test_bad_channel_forms(form: ChannelForm, message: str) -> None:
    with pytest.raises(InputError, match=message):
        channel_from_form(form)


def test_descriptions_hide_secrets() -> None:
    import datetime as dt

    now = dt.datetime(2026, 3, 12, tzinfo=dt.UTC)
    slack = ChannelEntry(
        id=1,
        watch="ミナト住建",
        config=SlackConfig(webhook_url="https://hooks.slack.com/services/T/B/secret"),
        created_at=now,
    )
    assert describe_channel(slack) == "Slack（hooks.slack.com）"
    email = ChannelEntry(
        id=2,
        watch="ミナト住建",
        created_at=now,
        config=EmailConfig(host="smtp.example.jp", sender="a@example.jp", recipients=["pr@example.jp"]),
    )
    assert describe_channel(email) == "メール pr@example.jp（smtp.example.jp:587、starttls）"
