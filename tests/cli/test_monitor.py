"""`hikeshi monitor run|status` and `hikeshi alert add|list|policy|test|remove` end to end, on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.alerts import verify_signature
from hikeshi.cli import app
from hikeshi.settings import Settings
from hikeshi.store import Store
from tests.alerts.receivers import HttpReceiver, Served, SmtpReceiver, http_receiver, smtp_receiver
from tests.monitor.feeds import LATER_ITEMS, NEWS_ITEMS, rss

runner = CliRunner()
WATCH = "ミナト住建"


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with http_receiver() as running:
        yield running


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}"
    monkeypatch.setenv("HIKESHI_DATABASE_URL", url)
    monkeypatch.setenv("HIKESHI_CONFIG_DIR", str(tmp_path / "conf"))
    monkeypatch.setenv("HIKESHI_ALLOW_PRIVATE_URLS", "true")
    result = runner.invoke(app, ["watch", "add", WATCH, "--terms", "ミナト住建,みなと住建,ミナトホーム"])
    assert result.exit_code == 0, result.output
    return url


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def add_feed(receiver: HttpReceiver, interval: int = 600) -> None:
    receiver.routes["/feed.xml"] = Served(rss(NEWS_ITEMS), headers={"ETag": '"v1"'})
    code, _, err = invoke(
        "source",
        "add",
        "--watch",
        WATCH,
        "--kind",
        "rss",
        "--url",
        receiver.base_url + "/feed.xml",
        "--interval",
        str(interval),
    )
    assert code == 0, err


def test_run_once_twice_then_status(receiver: HttpReceiver, database: str) -> None:
    add_feed(receiver)
    code, out, err = invoke("monitor", "run", "--once")
    assert code == 0, err
    assert f"ソース 1（{WATCH}・rss）: 取得 4 件・新規 3 件・既存 0 件・対象外 1 件" in out
    code, out, _ = invoke("monitor", "run", "--once", "--watch", WATCH)
    assert code == 0 and "新規 0 件・既存 3 件" in out
    code, out, _ = invoke("monitor", "status")
    assert code == 0
    assert f"■ {WATCH}（投稿 3 件・通知先 0 件）" in out
    assert f"ソース 1 rss {receiver.base_url}/feed.xml: 最終取得 " in out and "累計 3 件" in out
    assert "シグナルなし" in out
    (status,) = json.loads(invoke("monitor", "status", "--format", "json")[1])
    assert status["sources"][0]["failures"] == 0 and status["sources"][0]["last_polled_at"]


def test_run_once_reports_a_failing_source(receiver: HttpReceiver, database: str) -> None:
    receiver.routes["/feed.xml"] = Served(b"gone", "text/plain", 404)
    invoke("source", "add", "--watch", WATCH, "--kind", "rss", "--url", receiver.base_url + "/feed.xml")
    code, _, err = invoke("monitor", "run", "--once")
    assert code == 1 and "取得に失敗しました" in err and "HTTP 404" in err
    code, out, _ = invoke("monitor", "status", "--watch", WATCH)
    assert "エラー（1 回連続）: " in out and "HTTP 404" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("monitor", "run", "--once"), "取得するソースがありません"),
        (("monitor", "run", "--once", "--watch", "しろくま製菓"), "ウォッチ「しろくま製菓」はありません"),
        (("monitor", "status", "--watch", "しろくま製菓"), "ウォッチ「しろくま製菓」はありません"),
        (("alert", "add", "--watch", WATCH, "--kind", "slack"), "--url が必要"),
        (
            ("alert", "add", "--watch", WATCH, "--kind", "email", "--smtp-host", "smtp.example.jp"),
            "--from、--to が必要",
        ),
        (
            ("alert", "add", "--watch", WATCH, "--kind", "webhook", "--url", "ftp://example.jp/x"),
            "http:// か https://",
        ),
        (
            (
                "alert",
                "add",
                "--watch",
                "しろくま製菓",
                "--kind",
                "slack",
                "--url",
                "https://hooks.slack.com/x",
            ),
            "ウォッチ「しろくま製菓」はありません",
        ),
        (("alert", "test", "--watch", WATCH), "通知先がありません"),
        (("alert", "remove", "9"), "通知先 9 はありません"),
        (
            ("alert", "policy", "--watch", WATCH, "--min-severity", "7"),
            "まとめ方の値が正しくありません: min_severity",
        ),
    ],
)
def test_errors_are_one_japanese_line(database: str, args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert err.startswith("エラー: ") and message in err and "Traceback" not in err


def test_alert_add_list_test_remove(receiver: HttpReceiver, database: str) -> None:
    with smtp_receiver() as smtp:
        _alert_round_trip(receiver, smtp)


def _alert_round_trip(receiver: HttpReceiver, smtp: SmtpReceiver) -> None:
    code, out, err = invoke(
        "alert", "add", "--watch", WATCH, "--kind", "webhook", "--url", receiver.base_url + "/hook"
    )
    assert code == 0 and "通知先 1 を追加しました: Webhook" in out
    secret = err.split("データベースにも保存しました）: ")[1].strip()
    code, out, _ = invoke(
        "alert",
        "add",
        "--watch",
        WATCH,
        "--kind",
        "slack",
        "--url",
        receiver.base_url + "/services/T/B/secretpath",
    )
    assert code == 0 and "Slack（127.0.0.1:" in out and "secretpath" not in out
    code, out, _ = invoke(
        "alert",
        "add",
        "--watch",
        WATCH,
        "--kind",
        "email",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        str(smtp.port),
        "--smtp-security",
        "none",
        "--from",
        "hikeshi@example.jp",
        "--to",
        "kouhou@example.jp、risk@example.jp",
    )
    assert code == 0 and "メール kouhou@example.jp, risk@example.jp" in out
    code, out, _ = invoke(
        "alert",
        "add",
        "--watch",
        WATCH,
        "--kind",
        "teams",
        "--url",
        receiver.base_url + "/workflows/secret-teams",
    )
    assert code == 0 and "通知先 4 を追加しました: Teams（127.0.0.1:" in out and "secret-teams" not in out
    code, out, _ = invoke("alert", "policy", "--watch", WATCH, "--cooldown", "30", "--window", "240")
    assert code == 0 and "240 分以内は同じ事案・同じ重大度の再通知は 30 分後" in out
    code, out, _ = invoke("alert", "list")
    assert out.count(WATCH) >= 3 and "再通知は 30 分後" in out
    listed = json.loads(invoke("alert", "list", "--format", "json")[1])
    assert [c["config"]["kind"] for c in listed] == ["webhook", "slack", "email", "teams"]
    assert secret not in json.dumps(listed) and "secretpath" not in json.dumps(listed)
    assert "secret-teams" not in json.dumps(listed)
    code, out, err = invoke("alert", "test", "--watch", WATCH)
    assert code == 0, err
    assert out.count("送信しました") == 4
    (teams,) = receiver.posts("/workflows/secret-teams")
    card = json.loads(teams.body)["attachments"][0]["content"]
    assert card["body"][0]["text"] == f"【テスト】hikeshi からのテスト通知（{WATCH}）"
    (hook,) = receiver.posts("/hook")
    assert verify_signature(
        secret, hook.headers["x-hikeshi-timestamp"], hook.body, hook.headers["x-hikeshi-signature"]
    )
    assert (
        json.loads(receiver.posts("/services/T/B/secretpath")[0].body)["text"]
        == f"【テスト】hikeshi からのテスト通知（{WATCH}）"
    )
    ((_, recipients, mail),) = smtp.messages
    assert recipients == ["kouhou@example.jp", "risk@example.jp"]
    assert mail["Subject"] == f"【テスト】hikeshi からのテスト通知（{WATCH}）"
    receiver.post_status["/hook"] = 500
    code, _, err = invoke("alert", "test", "--watch", WATCH)
    assert code == 1 and "エラー: 通知先 1（webhook）: Webhook の受信先が送信を拒否しました: HTTP 500" in err
    assert invoke("alert", "remove", "1")[0] == 0
    assert [c["id"] for c in json.loads(invoke("alert", "list", "--format", "json")[1])] == [2, 3, 4]


def test_an_older_alerts_yaml_is_imported_by_the_first_command(
    receiver: HttpReceiver, database: str, tmp_path: Path
) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "alerts.yaml").write_text(
        f"channels:\n- id: 3\n  watch: {WATCH}\n  config:\n    kind: slack\n"
        f"    webhook_url: {receiver.base_url}/services/T/B/old\n  created_at: '2026-03-01T00:00:00+00:00'\n",
        encoding="utf-8",
    )
    code, out, err = invoke("alert", "list")
    assert code == 0 and "以前の設定ファイルから通知先 1 件" in err and "alerts.yaml.imported" in err
    assert f"1\t{WATCH}\tSlack（127.0.0.1:" in out
    code, out, err = invoke("alert", "list")
    assert "以前の設定ファイル" not in err and out.count(WATCH) >= 1
    assert (folder / "alerts.yaml.imported").exists() and not (folder / "alerts.yaml").exists()


def test_daemon_exits_cleanly_on_sigterm_and_resumes(
    receiver: HttpReceiver, database: str, tmp_path: Path
) -> None:
    add_feed(receiver)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "hikeshi", "monitor", "run", "--max-sleep", "30"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    ) as process:
        assert process.stdout is not None
        lines = [process.stdout.readline()]
        while not lines[-1].startswith("ソース") and lines[-1]:
            lines.append(process.stdout.readline())
        process.send_signal(signal.SIGTERM)
        rest, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "新規 3 件" in lines[-1]
    assert "停止しました。取得の状態は保存済みです。" in rest
    with Store.open(Settings(database_url=database)) as store:
        (source,) = store.list_sources(WATCH)
        assert source.last_polled_at is not None and source.state["etag"] == '"v1"'
        assert store.count_posts(WATCH) == 3
    # Restarted with the feed grown: only the new articles are added; the conditional GET carries the ETag.
    receiver.routes["/feed.xml"] = Served(rss(NEWS_ITEMS + LATER_ITEMS), headers={"ETag": '"v2"'})
    code, out, _ = invoke("monitor", "run", "--once")
    assert code == 0 and "新規 2 件・既存 3 件" in out
    assert receiver.gets("/feed.xml")[-1].headers["if-none-match"] == '"v1"'
