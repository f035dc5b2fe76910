"""Role-based training: a question bank that reuses the guard's findings, fixed pre- and post-tests, progress.

The bank (`data/*.yaml`, one file per role) is loaded and validated by `bank.load_bank`; answers are graded by
`scoring` (rewrites by the guard itself); `exams` draws each role's fixed tests; `TrainingStore` keeps trainees
and their answers in the database; `report.completion_csv` writes the list HR asks for.
"""

from hikeshi.respond.training.bank import item_by_id, items_for, load_bank
from hikeshi.respond.training.exams import EXAM_SIZE, PASS_MARK, exam_items
from hikeshi.respond.training.records import (
    BankItem,
    DepartmentSummary,
    ExamKind,
    ItemScore,
    ItemType,
    Progress,
    Trainee,
    TrainingRole,
)
from hikeshi.respond.training.report import completion_csv
from hikeshi.respond.training.scoring import parse_answer, score
from hikeshi.respond.training.store import TrainingStore, parse_role

__all__ = [
    "EXAM_SIZE",
    "PASS_MARK",
    "BankItem",
    "DepartmentSummary",
    "ExamKind",
    "ItemScore",
    "ItemType",
    "Progress",
    "Trainee",
    "TrainingRole",
    "TrainingStore",
    "completion_csv",
    "exam_items",
    "item_by_id",
    "items_for",
    "load_bank",
    "parse_answer",
    "parse_role",
    "score",
]
