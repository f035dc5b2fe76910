"""Scenario files: the bundled ones load, offsets read like the playbook's, and a broken file names file:line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hikeshi.drills import bundled_scenarios, find_scenario, load_scenario, parse_offset
from hikeshi.drills.scenario import ScenarioKind
from hikeshi.errors import ConfigError, InputError
from tests.drills.conftest import TINY, write_scenario


def test_the_bundled_scenarios_load_and_are_of_different_kinds() -> None:
    scenarios = [load_scenario(path) for path in bundled_scenarios()]
    assert {s.name for s in scenarios} >= {"minato_line", "soramame_video"}
    assert {s.kind for s in scenarios} >= {ScenarioKind.CUSTOMER_MESSAGE, ScenarioKind.EMPLOYEE_VIDEO}
    for scenario in scenarios:
        assert scenario.watch_name == f"訓練: {scenario.company.name}"
        assert scenario.injects and any(inject.kind.value == "call" for inject in scenario.injects)
        assert any(inject.kind.value == "reporter" for inject in scenario.injects)
        assert scenario.news and any((post.followers >= 100_000) for post in scenario.posts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0m", dt.timedelta(0)),
        ("16m", dt.timedelta(minutes=16)),
        ("3h", dt.timedelta(hours=3)),
        ("1d2h30m", dt.timedelta(days=1, hours=2, minutes=30)),
        ("2h45m", dt.timedelta(hours=2, minutes=45)),
    ],
)
def test_offsets_read_like_the_playbook(text: str, expected: dt.timedelta) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize("text", ["", "90", "1.5h", "-3h", "3時間", "h", "30s"])
def test_unreadable_offsets_are_refused_in_japanese(text: str) -> None:
    with pytest.raises(ValueError, match="90m・3h・1d2h30m"):
        parse_offset(text)


def test_a_scenario_is_found_by_name_or_by_path(tmp_path: Path) -> None:
    assert find_scenario("minato_line").company.name == "ミナト住建"
    assert find_scenario(str(write_scenario(tmp_path))).name == "komugi_reply"
    with pytest.raises(InputError, match="drill list"):
        find_scenario("no_such_drill")


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("broken", "needle", "message"),
    [
        (TINY.replace("  pool: calm", "  pool: weekday"), "  pool: weekday", "weekday"),
        (TINY.replace("{at: 40m, per_hour: 45}", "{at: 4h, per_hour: 45}"), "{at: 4h, per_hour: 45}", "end"),
        (TINY.replace("{at: 40m, per_hour: 45}", "{at: 40, per_hour: 45}"), "{at: 40, per_hour: 45}", "90m"),
        (
            TINY.replace('      - "{name}の新作メロンパン買えた"', '      - "新作のメロンパン買えた"'),
            "新作のメロンパン買えた",
            "会社名",
        ),
        (TINY.replace("    kind: reporter", "    kind: fax"), "    kind: fax", "kind"),
        (TINY.replace('onset: "19:00"', 'onset: "7pm"'), "onset:", "onset"),
        (TINY.replace("  - at: 2h40m", "  - at: 5h"), "  - at: 5h", "end"),
        (TINY.replace("seed: 7", "seed: 7\ncolour: red"), "colour: red", "colour"),
        (TINY.replace("  days: 2", "  days: 1"), "  days: 1", "days"),
    ],
)
def test_a_broken_scenario_is_reported_with_file_and_line(
    tmp_path: Path, broken: str, needle: str, message: str
) -> None:
    path = write_scenario(tmp_path, broken, "broken.yaml")
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert caught.value.path == str(path)
    assert caught.value.line == _line_of(broken, needle)
    assert message in caught.value.problem
    assert str(caught.value).startswith(f"{path}:{caught.value.line}: ")


def test_yaml_that_does_not_parse_is_reported_with_its_line(tmp_path: Path) -> None:
    broken = TINY.replace("title: DM の件は本当か", "title: [DM の件は本当か")
    path = write_scenario(tmp_path, broken, "broken.yaml")
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert caught.value.line is not None and caught.value.line >= _line_of(broken, "[DM の件")
