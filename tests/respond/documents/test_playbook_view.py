"""Due times in the words a manual uses, from the playbook's own notation."""

from __future__ import annotations

import pytest

from hikeshi.respond.documents import CompanyProfile
from hikeshi.respond.documents.playbook_view import deadline_words, due_words, view
from hikeshi.respond.playbooks import Playbook, PlaybookTask


@pytest.mark.parametrize(
    ("due", "table", "sentence"),
    [
        ("60m", "1時間以内", "インシデントの開始から1時間以内"),
        ("45m", "45分以内", "インシデントの開始から45分以内"),
        ("90m", "1時間30分以内", "インシデントの開始から1時間30分以内"),
        ("3h", "3時間以内", "インシデントの開始から3時間以内"),
        ("24h", "24時間以内", "インシデントの開始から24時間以内"),
        ("2d", "2日以内", "インシデントの開始から2日以内"),
        ("next_business_day", "翌営業日18時まで", "インシデントを開始した日の翌営業日の18時まで"),
        (None, "－", "速やか"),
    ],
)
def test_due_words(due: str | None, table: str, sentence: str) -> None:
    task = PlaybookTask(id="task", title="タスク", role="pr", due=due)
    assert due_words(task) == table
    assert deadline_words(task) == sentence


def test_roles_carry_their_tasks_and_people(playbook: Playbook, profile: CompanyProfile) -> None:
    pb = view(playbook, profile)
    labels = [role.label for role in pb.roles]
    assert labels == ["責任者", "広報", "法務", "お客様相談室", "経営", "記録係"]
    pr = next(role for role in pb.roles if role.label == "広報")
    assert pr.holders == "広報部長" and pr.deputies == "広報課長"
    assert [task.id for task in pr.tasks] == ["position_paper", "holding_statement", "full_statement"]
    assert pb.first_due == "1時間" and pb.holder("executive") == "代表取締役社長"
    assert pb.opening_label == "警戒" and pb.calm_hours == "12時間" and pb.rejoin_days == "7日"
    assert pb.task("missing") is None
