"""Playbook YAML: the bundled default loads; a company's bad file is reported with its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.respond.playbooks import PlaybookTask, default_playbook, due_time, load_playbook
from hikeshi.timezones import JST


def test_the_default_playbook_follows_japanese_practice() -> None:
    book = default_playbook()
    assert book.opening_severity == 3
    titles = {task.id: (task.title, task.due) for _, task in book.tasks()}
    assert titles["convene"] == ("責任者を決めて招集", "60m")
    assert titles["preserve_evidence"] == ("証拠保全", "60m")
    assert titles["position_paper"] == ("ポジションペーパー初版", "120m")
    assert titles["holding_statement"] == ("第一報（ホールディングステートメント）", "180m")
    assert titles["press_conference_decision"] == ("記者会見の要否判断", "24h")
    assert titles["call_centre_qa"] == ("コールセンター想定問答", "next_business_day")


@pytest.mark.parametrize(
    ("opened", "expected"),
    [
        (dt.datetime(2026, 12, 4, 22, 56, tzinfo=JST), dt.datetime(2026, 12, 7, 18, 0, tzinfo=JST)),  # Friday
        (dt.datetime(2026, 12, 7, 9, 0, tzinfo=JST), dt.datetime(2026, 12, 8, 18, 0, tzinfo=JST)),  # Monday
        (
            dt.datetime(2026, 12, 5, 15, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 12, 7, 18, 0, tzinfo=JST),
        ),  # Sun JST
    ],
)
def test_next_business_day(opened: dt.datetime, expected: dt.datetime) -> None:
    task = PlaybookTask(id="qa", title="想定問答", role="support", due="next_business_day")  # type: ignore[arg-type]
    assert due_time(task, opened) == expected


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "name: 自社\nphases:\n  - id: a\n    title: 初動\n    tasks:\n      - id: x\n        title: 招集\n"
            "        role: boss\n",
            ":8: phases.0.tasks.0.role",
        ),
        (
            "name: 自社\nphases:\n  - id: a\n    title: 初動\n    tasks:\n      - id: x\n        title: 招集\n"
            "        role: pr\n        due: 明日\n",
            ":9: phases.0.tasks.0.due",
        ),
        ("name: 自社\nopening_severity: 5\nphases: []\n", ":2: opening_severity"),
        ("name: [自社\n", ":"),
    ],
)
def test_bad_playbooks_name_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_playbook(path)
    assert str(raised.value).startswith(str(path) + where)


def test_a_company_playbook_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text(
        "name: ミナト住建 炎上対応手順\nopening_severity: 2\nphases:\n  - id: first\n    title: 初動\n    tasks:\n"
        "      - {id: call, title: 社長に電話, role: executive, due: 30m}\n",
        encoding="utf-8",
    )
    book = load_playbook(path)
    assert (book.name, book.opening_severity, [t.id for _, t in book.tasks()]) == (
        "ミナト住建 炎上対応手順",
        2,
        ["call"],
    )
