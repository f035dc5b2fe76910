"""Position papers: the shipped example is complete, and a broken paper is reported with file:line in Japanese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.respond.statements.papers import (
    PositionPaper,
    load_position_paper,
    paper_from_yaml_text,
    paper_to_yaml,
)
from hikeshi.timezones import JST
from tests.respond.statements.conftest import EXAMPLE


def test_example_is_complete(paper: PositionPaper) -> None:
    assert paper.company.name == "ミナト住建株式会社"
    assert paper.cause.investigating and paper.cause.owner and paper.cause.due == dt.date(2026, 3, 31)
    assert paper.impact.count == 3 and paper.impact.figures[0].value == 22_000_000
    assert all(measure.owner and measure.due for measure in paper.measures)
    assert {"佐々木 美咲", "山岸 翔太"} <= set(paper.negative_words)
    assert paper.contacts.public.phone != paper.contacts.press.phone
    assert paper.unknowns and paper.key_messages and paper.speakers
    # a time written without a zone is Japan time
    assert paper.timeline[0].at == dt.datetime(2026, 3, 10, 18, 20, tzinfo=JST)


def test_yaml_round_trip(paper: PositionPaper) -> None:
    assert paper_from_yaml_text(paper_to_yaml(paper)) == paper


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    source = EXAMPLE.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "paper.yaml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "line_marker", "message"),
    [
        ("  due: 2026-03-31\n\nimpact:", "  due: 2026-02-30\n\nimpact:", "2026-02-30", "ありえない日付"),
        ("release_date: 2026-03-14", "release_date: 3月14日", "release_date:", "日付として読めません"),
        ("as_of: 2026-03-14 15:00", "as_of: 昨日の夜", "as_of:", "日時として読めません"),
        ("    owner: 人事部\n", "", "全営業担当者を対象に", "measures.0.owner: 必須の項目がありません"),
        ("  count: 3\n", "  count: 数名\n", "count: 数名", "数（整数）で書いてください"),
        ("  status: investigating\n", "  status: 調査中\n", "status: 調査中", "次のどちらかです"),
        ("  owner: コンプライアンス推進室", "  ownr: コンプライアンス推進室", "ownr:", "知らない項目です"),
        ("summary: 当社横浜北営業所", "summary: ''\nx_summary: 当社横浜北営業所", "summary: ''", "空欄です"),
    ],
)
def test_broken_paper_names_file_and_line(
    tmp_path: Path, old: str, new: str, line_marker: str, message: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as raised:
        load_position_paper(path)
    assert raised.value.path == str(path)
    assert message in raised.value.problem
    if message != "知らない項目です" and "x_summary" not in new:
        assert raised.value.line == _line_of(path, line_marker)
    assert str(raised.value).startswith(f"{path}:{raised.value.line}: ")


@pytest.mark.parametrize("content", ["", "\n\n", "# コメントだけ\n"])
def test_empty_paper_is_reported_at_line_1(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"empty\.yaml:1: ポジションペーパーが空です"):
        load_position_paper(path)


def test_investigating_cause_needs_method_owner_and_date(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  due: 2026-03-31\n\nimpact:", "\nimpact:")
    with pytest.raises(ConfigError, match="調査中（investigating）なら due を書いてください") as raised:
        load_position_paper(path)
    assert raised.value.line == _line_of(path, "status: investigating")  # the cause block


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ファイルが見つかりません"):
        load_position_paper(tmp_path / "none.yaml")
    binary = tmp_path / "paper.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_position_paper(binary)
    broken = tmp_path / "syntax.yaml"
    broken.write_text("company:\n  name: [閉じていない\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML の書式") as raised:
        load_position_paper(broken)
    assert raised.value.line is not None
