"""`hikeshi evidence capture / list / export / verify` on a copy of the minato flame: exit codes and lines."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hikeshi.cli import app
from tests.respond.evidence.conftest import Flame
from tests.sources.loopback import Reply, serving

runner = CliRunner()


@pytest.fixture(autouse=True)
def environment(minato: Flame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("HIKESHI_DATABASE_URL", minato.settings.database_url)
    monkeypatch.delenv("HIKESHI_ALLOW_PRIVATE_URLS", raising=False)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_capture_export_verify_then_a_flipped_byte_fails(minato: Flame, tmp_path: Path) -> None:
    incident = str(minato.incident_id)
    code, out, _ = invoke("evidence", "capture", "--incident", incident, "--top", "5", "--by", "広報 田中")
    assert code == 0 and out.startswith(f"インシデント {incident} に 5 点を保全しました")
    assert "保全した人 広報 田中" in out and out.count(" 投稿  post-x_") == 5
    code, out, _ = invoke("evidence", "capture", "-i", incident, "--post", "x:x-002695", "--by", "法務 鈴木")
    assert code == 0 and "（#1 と同一内容の再取得）" in out
    code, out, _ = invoke("evidence", "list", "-i", incident, "--format", "json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 6 and listed[5]["meta"]["duplicate_of"] == 1
    code, out, _ = invoke("evidence", "list", "-i", incident)
    assert code == 0 and len(out.splitlines()) == 6 and "再取得(#1)" in out
    archive = tmp_path / "証拠.zip"
    code, out, _ = invoke("evidence", "export", "-i", incident, "--out", str(archive), "--by", "法務 鈴木")
    assert code == 0 and out.startswith(f"書き出しました: {archive}（証拠 6 点、")
    assert "ZIP の SHA-256: " in out
    code, out, _ = invoke("evidence", "verify", str(archive))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 9 and all(line.startswith("OK ") for line in lines[:8])
    assert lines[-1] == "すべて一致しました（8 件）。"
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(tampered, "w") as new:
        for info in old.infolist():
            content = old.read(info.filename)
            if info.filename == "artefacts/00003-post-x_x-001966.json":
                content = content.replace("ひどい".encode(), "ひとい".encode())
            new.writestr(info, content)
    code, out, err = invoke("evidence", "verify", str(tampered))
    ng = [line for line in out.splitlines() if line.startswith("NG")]
    assert code == 1 and len(ng) == 1 and "artefacts/00003-post-x_x-001966.json" in ng[0]
    assert "SHA-256 が一致しません" in ng[0] and "検証に失敗しました（問題 1 件）" in err


def test_a_404_page_is_preserved_and_the_message_says_it_proves_deletion(
    minato: Flame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIKESHI_ALLOW_PRIVATE_URLS", "1")
    with serving() as server:
        url = server.route(
            "/status/123",
            Reply(404, "<html><body>このポストは削除されました</body></html>", content_type="text/html"),
        )
        code, out, _ = invoke(
            "evidence", "capture", "-i", str(minato.incident_id), "--url", url, "--no-screenshot"
        )
    assert code == 0 and "ページ（取得したまま）" in out
    assert (
        f"注意: {url} は HTTP 404 でした。取得時点でページが削除されていた（または存在しない）証拠として"
        in out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["capture", "-i", "{incident}"], "--post・--url・--top のどれか 1 つを指定してください。"),
        (
            ["capture", "-i", "{incident}", "--top", "3", "--post", "x:x-1"],
            "（--post・--top が指定されました）",
        ),
        (["capture", "-i", "999", "--post", "x:x-002695"], "インシデント 999 はありません"),
        (
            ["capture", "-i", "{incident}", "--post", "x:存在しない投稿"],
            "投稿「x:存在しない投稿」はウォッチ「ミナト住建」にありません",
        ),
        (["capture", "-i", "{incident}", "--url", "http://127.0.0.1:9/"], "HIKESHI_ALLOW_PRIVATE_URLS"),
        (["capture", "-i", "{incident}", "--url", "file:///etc/passwd"], "http または https の URL だけ"),
        (["capture", "-i", "{incident}", "--url", "http://[::1"], "URL の形式が正しくありません"),
        (["capture", "-i", "{incident}", "--post", "x:x-002695", "--by", " "], "保全した人の名前が空です"),
        (["export", "-i", "{incident}", "--out", "out.zip"], "保全した証拠がありません"),
        (["list", "-i", "999"], "インシデント 999 はありません"),
    ],
)
def test_bad_input_is_one_japanese_line_and_exit_2(minato: Flame, args: list[str], message: str) -> None:
    code, out, err = invoke("evidence", *[arg.format(incident=minato.incident_id) for arg in args])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("エラー: ") and message in err
    code, out, _ = invoke("evidence", "list", "-i", str(minato.incident_id))
    assert out.strip() == f"インシデント {minato.incident_id} にはまだ証拠がありません。"


def test_verify_of_a_zip_with_a_path_traversal_name_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../x", "上書きするつもりの内容")
    code, out, _ = invoke("evidence", "verify", str(evil))
    assert code == 1 and out.splitlines()[0].startswith("ERROR   ../x  フォルダの外を指す危険な名前です")
    assert not (tmp_path.parent / "x").exists()


@pytest.mark.parametrize("name", ["nowhere.zip", "壊れた.zip"])
def test_verify_of_a_missing_or_corrupt_file_exits_1(tmp_path: Path, name: str) -> None:
    if name == "壊れた.zip":
        (tmp_path / name).write_bytes(b"PK\x03\x04" + bytes(100))
    code, out, _ = invoke("evidence", "verify", str(tmp_path / name))
    assert code == 1 and out.startswith("ERROR ")
