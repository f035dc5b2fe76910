"""How far the guard agrees with the bank's answer key on send-or-not drafts (caution or danger = flagged).

The key is written from what would happen if the draft were sent, never from what the guard says; this
measures the guard against it. Each draft is checked in its own context (channel, audience, date), as
`hikeshi check --jsonl` would check it with those fields, and optionally with no context at all (the prompt
alone), which is what a caller who ignores those fields would see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hikeshi.guard import CheckContext, CheckRequest, Guard, default_guard
from hikeshi.records import Level
from hikeshi.respond.training.records import BankItem, ItemType, TrainingRole


@dataclass(frozen=True)
class Disagreement:
    item_id: str
    key: str  # "risky" or "fine"
    level: str
    prompt: str
    findings: tuple[str, ...]  # 「excerpt」(rule) of each finding


@dataclass
class Tally:
    risky: int = 0
    risky_flagged: int = 0
    fine: int = 0
    fine_passed: int = 0

    @property
    def flagged_rate(self) -> float:
        return self.risky_flagged / self.risky if self.risky else 0.0

    @property
    def passed_rate(self) -> float:
        return self.fine_passed / self.fine if self.fine else 0.0

    @property
    def disagreement_rate(self) -> float:
        total = self.risky + self.fine
        return (total - self.risky_flagged - self.fine_passed) / total if total else 0.0


@dataclass
class Agreement:
    overall: Tally = field(default_factory=Tally)
    by_role: dict[TrainingRole, Tally] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)


def measure_agreement(
    items: Sequence[BankItem], guard: Guard | None = None, *, with_context: bool = True
) -> Agreement:
    """Check every send-or-not draft once (batch) and tally flagged risky / passed fine, per role and overall."""
    drafts = [item for item in items if item.type is ItemType.SEND_OR_NOT]
    requests = [
        CheckRequest(
            text=item.prompt,
            context=CheckContext(channel=item.channel, audience=item.audience, date=item.date)
            if with_context
            else CheckContext(),
        )
        for item in drafts
    ]
    verdicts = (guard or default_guard()).check_many(requests)
    result = Agreement()
    for item, verdict in zip(drafts, verdicts, strict=True):
        flagged = verdict.level is not Level.OK
        tallies = (result.overall, result.by_role.setdefault(item.role, Tally()))
        for tally in tallies:
            if item.verdict == "risky":
                tally.risky += 1
                tally.risky_flagged += flagged
            else:
                tally.fine += 1
                tally.fine_passed += not flagged
        if flagged != (item.verdict == "risky"):
            result.disagreements.append(
                Disagreement(
                    item_id=item.id,
                    key=item.verdict or "",
                    level=verdict.level.value,
                    prompt=item.prompt,
                    findings=tuple(f"「{finding.excerpt}」({finding.rule})" for finding in verdict.findings),
                )
            )
    return result


def agreement_table(agreement: Agreement) -> list[str]:
    """Lines of the figures table (per role, then all), as the test and the bench print them."""
    lines = [f"{'role':<12} {'risky flagged':>16} {'fine passed':>14} {'disagree':>9}"]
    rows = [(role.value, tally) for role, tally in agreement.by_role.items()]
    for name, tally in [*rows, ("all", agreement.overall)]:
        lines.append(
            f"{name:<12} {tally.risky_flagged:>4}/{tally.risky:<3} {tally.flagged_rate:>6.1%} "
            f"{tally.fine_passed:>4}/{tally.fine:<3} {tally.passed_rate:>6.1%} {tally.disagreement_rate:>8.1%}"
        )
    return lines
