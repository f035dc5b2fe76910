"""The guard's findings on a statement: every guard category, minus what the statement rules answer better.

A statement can discriminate, threaten or leak personal data like any message, so the guard's engine runs on
every statement as a public, official text. Two of its sources are filtered (see data/guard_apology.yaml):
- apology rules marked `replace` are dropped, because the statement rules judge the same wording with the whole
  text in view;
- the learned model's finding is dropped when the text contains an apology: it was trained on messages, where
  不快・傷つけ・被害 signal hostility, while a sincere apology is full of them; elsewhere it is advice only
  (severity 1), since it was calibrated on short messages, not on notices such as a phishing warning;
- "bragging about misconduct" is dropped from an apology: a statement that apologises for a food prank has to
  describe the prank (ごみ箱に捨てた魚をまな板に戻す動画), and that is a report, not a boast;
- a phone number or e-mail address that is the company's own inquiry desk (a contact in the position paper, or
  written on a line that says 問い合わせ・窓口・電話・メール) is what a statement must contain, not personal data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.guard import CheckContext, default_guard
from hikeshi.records import Audience, Channel, Finding
from hikeshi.respond.statements.lint.rules import DATA_DIR

MODEL_RULE = "model"
REPORTED_IN_APOLOGY = frozenset({"misconduct"})
CONTACT_RULES = frozenset({"personal_data.email", "personal_data.phone"})
_CONTACT_CONTEXT = re.compile(
    r"(問い?合わ?せ|窓口|相談室|電話|tel|fax|メール|mail|広報|ダイヤル|連絡先|受付|センター|事務局)",
    re.IGNORECASE,
)
_PUBLIC_STATEMENT = CheckContext(channel=Channel.PRESS, audience=Audience.PUBLIC)


class GuardApologyPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    keep: dict[str, str]
    replace: dict[str, str]


@lru_cache(maxsize=1)
def guard_apology_policy() -> GuardApologyPolicy:
    return load_yaml_model(DATA_DIR / "guard_apology.yaml", GuardApologyPolicy)


def guard_findings(text: str, *, apology: bool, contacts: Sequence[str] = ()) -> list[Finding]:
    verdict = default_guard().check(text, _PUBLIC_STATEMENT)
    replaced = {f"apology.{rule_id}" for rule_id in guard_apology_policy().replace}
    known = {_squeezed(value) for value in contacts}
    kept = []
    for finding in verdict.findings:
        if finding.rule in replaced:
            continue
        if apology and (finding.rule == MODEL_RULE or finding.category in REPORTED_IN_APOLOGY):
            continue
        if finding.rule == MODEL_RULE:
            finding = finding.model_copy(update={"severity": 1})
        if finding.rule in CONTACT_RULES and _is_inquiry_desk(text, finding, known):
            continue
        kept.append(finding)
    return kept


def _squeezed(value: str) -> str:
    return re.sub(r"[\s\-‐－ー()（）]", "", value).lower()


def _is_inquiry_desk(text: str, finding: Finding, known: set[str]) -> bool:
    if _squeezed(finding.excerpt) in known:
        return True
    line_start = text.rfind("\n", 0, finding.start) + 1
    line_end = text.find("\n", finding.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return _CONTACT_CONTEXT.search(line) is not None
