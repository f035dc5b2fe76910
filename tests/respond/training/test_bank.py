"""The shipped question bank: its size and make-up, and a validator that names the file and line of a bad item."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hikeshi.errors import ConfigError
from hikeshi.guard.lexicon import builtin_rules
from hikeshi.respond.playbooks import default_playbook
from hikeshi.respond.training import ItemType, TrainingRole, load_bank
from hikeshi.respond.training.bank import BANK_DIR, CLAUSE_ID, load_bank_files


def test_the_bank_has_several_hundred_items_for_every_role_and_type() -> None:
    bank = load_bank()
    per_role = Counter(item.role for item in bank)
    per_type = Counter(item.type for item in bank)
    print(f"\nbank: {len(bank)} items; per role {dict(per_role)}; per type {dict(per_type)}")
    assert len(bank) >= 300
    assert set(per_role) == set(TrainingRole) and min(per_role.values()) >= 30
    assert set(per_type) == set(ItemType)
    for role in TrainingRole:
        assert {item.type for item in bank if item.role is role} == set(ItemType), role
    assert len({item.id for item in bank}) == len(bank)


def test_send_or_not_items_are_balanced_between_risky_and_fine() -> None:
    keys = Counter((item.role, item.verdict) for item in load_bank() if item.type is ItemType.SEND_OR_NOT)
    for role in TrainingRole:
        assert keys[(role, "risky")] >= 10 and keys[(role, "fine")] >= 10, role


def test_find_span_offsets_point_at_their_text() -> None:
    for item in load_bank():
        if item.type is ItemType.FIND_SPAN:
            assert item.spans, item.id
            for span in item.spans:
                assert item.prompt[span.start : span.end] == span.text, item.id


def test_scenarios_practise_playbook_tasks_and_rules_name_document_clauses() -> None:
    tasks = {task.id for phase in default_playbook().phases for task in phase.tasks}
    for item in load_bank():
        if item.type is ItemType.SCENARIO:
            assert len(item.steps) >= 2, item.id
            assert all(step.task in tasks for step in item.steps), item.id
            assert all(sum(choice.correct for choice in step.choices) == 1 for step in item.steps), item.id
        if item.type is ItemType.RULE:
            assert (
                item.clause and CLAUSE_ID.match(item.clause) and item.clause.startswith(f"{item.document}.")
            )
            assert item.correct_choice in {choice.id for choice in item.choices}, item.id


def test_right_answers_are_spread_over_the_letters() -> None:
    """A trainee must not be able to pass by always choosing 「a」."""
    letters = Counter(item.correct_choice for item in load_bank() if item.type is ItemType.RULE)
    letters.update(step.correct_id for item in load_bank() for step in item.steps)
    assert max(letters.values()) < 0.5 * sum(letters.values()), letters


def test_explanations_reuse_the_guards_reasons() -> None:
    reasons = {rule.qualified_id: rule.rule.reason for rule in builtin_rules()}
    reused = [item for item in load_bank() if item.guard_reasons]
    assert len(reused) >= 60
    for item in reused:
        for entry in item.guard_reasons:
            assert entry.reason == reasons[entry.rule]
            assert entry.reason in item.full_explanation
            assert entry.reason in item.public_json()["explanation"]


def test_the_public_line_has_the_design_fields() -> None:
    by_type = {item.type: item.public_json() for item in load_bank()}
    for line in by_type.values():
        assert {"id", "role", "type", "prompt", "answer", "explanation"} <= set(line)
    assert by_type[ItemType.SEND_OR_NOT]["answer"] in ("risky", "fine")
    assert {"start", "end", "text"} == set(by_type[ItemType.FIND_SPAN]["answer"][0])
    assert isinstance(by_type[ItemType.SCENARIO]["answer"], list)
    assert by_type[ItemType.RULE]["answer"] in {choice["id"] for choice in by_type[ItemType.RULE]["choices"]}


def test_the_data_has_a_readme_with_source_and_licence() -> None:
    readme = (BANK_DIR / "README.md").read_text(encoding="utf-8")
    assert "Apache-2.0" in readme and "架空" in readme


GOOD_ITEM = """\
role: sales
items:
  - id: sales-son-01
    type: send_or_not
    prompt: ご検討いただき、ありがとうございました。
    answer: fine
    explanation: お礼だけの、問題のない返信です。
"""

BAD_ITEMS = [
    ("answer: fine", "answer: maybe", "risky か fine"),
    ("sales-son-01\n    type: send_or_not", "sales-span-01\n    type: find_span", "find_span の答えは spans"),
    ("  - id: sales-son-01", "  - id: manager-son-01", "役割 sales で始めて"),
    ("  - id: sales-son-01", "  - id: sales-rw-01", "type send_or_not と合いません"),
    (
        "    answer: fine",
        "    answer: fine\n    guard_rules: [hostility.no_such_rule]",
        "guard の辞書にない規則",
    ),
    ("    answer: fine", "    answer: fine\n    spans: [ご検討]", "spans は書けません"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_ITEMS)
def test_a_bad_item_is_reported_with_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = tmp_path / "sales.yaml"
    path.write_text(GOOD_ITEM.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_bank_files([path])
    assert str(path) in str(raised.value) and raised.value.line is not None
    assert message in str(raised.value)


SPAN_ITEM = """\
role: sales
items:
  - id: sales-span-01
    type: find_span
    prompt: 先にわかっていたら無駄な時間は使わない。無駄な時間でした。
    spans: [{text: 無駄な時間, occurrence: 2}, 先にわかっていたら]
    explanation: 相手の落ち度を責める表現が二つあります。
"""


def test_spans_are_resolved_to_offsets_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "sales.yaml"
    path.write_text(SPAN_ITEM, encoding="utf-8")
    [item] = load_bank_files([path])
    assert [(span.start, span.text) for span in item.spans] == [(0, "先にわかっていたら"), (20, "無駄な時間")]
    path.write_text(SPAN_ITEM.replace("先にわかっていたら]", "先に言ってくれれば]"), encoding="utf-8")
    with pytest.raises(ConfigError, match="先に言ってくれれば"):
        load_bank_files([path])


def test_a_scenario_needs_one_right_choice_per_step_and_a_playbook_task(tmp_path: Path) -> None:
    scenario = """\
role: manager
items:
  - id: manager-sc-01
    type: scenario
    prompt: 炎上が始まりました。
    explanation: 体制をつくることが最初です。
    steps:
      - situation: 投稿が増えています。
        task: convene
        choices:
          - {id: a, text: 責任者を決める, correct: true, explanation: 正解です。}
          - {id: b, text: 様子を見る, explanation: 遅れます。}
      - situation: 報道の問い合わせが来ました。
        task: TASK
        choices:
          - {id: a, text: 広報に回す, correct: true, explanation: 正解です。}
          - {id: b, text: その場で答える, correct: true, explanation: 食い違います。}
"""
    path = tmp_path / "manager.yaml"
    path.write_text(scenario.replace("TASK", "press_conference_decision"), encoding="utf-8")
    with pytest.raises(ConfigError, match="ちょうど 1 つ"):
        load_bank_files([path])
    path.write_text(scenario.replace("TASK", "no_such_task"), encoding="utf-8")
    with pytest.raises(ConfigError, match="プレイブックにありません"):
        load_bank_files([path])


def test_ids_are_unique_across_files(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(GOOD_ITEM, encoding="utf-8")
    with pytest.raises(ConfigError, match="重複"):
        load_bank_files(sorted(tmp_path.glob("*.yaml")))


def test_no_value_in_the_data_is_cut_short_by_a_yaml_comment() -> None:
    """「投稿では #PR や…」 unquoted would silently end at 「投稿では」: such a value must be quoted."""
    import re

    for path in sorted(BANK_DIR.glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            value = re.match(r"^\s*(?:- )?[a-z_]+: (?![\"'])(.*)$", line)
            assert value is None or " #" not in value.group(1), f"{path.name}:{number}"


def test_rule_items_name_clauses_of_the_documents_catalogue() -> None:
    """Each rule item points at a clause `docs build` writes and `docs check` looks for."""
    catalogue = pytest.importorskip("hikeshi.respond.documents.catalogue")
    profile = pytest.importorskip("hikeshi.respond.documents.profile")
    for item in load_bank():
        if item.type is ItemType.RULE:
            assert item.clause is not None
            kind, clause_id = item.clause.split(".", 1)
            clause = catalogue.load_catalogue(profile.DocumentKind(kind)).clause(clause_id)
            assert clause.title, item.id
