"""Playbooks: the phases and tasks of a flame response, with roles and due times (YAML, validated)."""

from hikeshi.respond.playbooks.playbook import (
    DEFAULT_PLAYBOOK,
    CalmCriterion,
    Phase,
    Playbook,
    PlaybookTask,
    default_playbook,
    due_time,
    load_playbook,
)

__all__ = [
    "DEFAULT_PLAYBOOK",
    "CalmCriterion",
    "Phase",
    "Playbook",
    "PlaybookTask",
    "default_playbook",
    "due_time",
    "load_playbook",
]
