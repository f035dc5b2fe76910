"""The guard against the bank's send-or-not key (written blind to the guard): the figures, printed, and the bar.

The issue's bar is ≥ 85 % of risky drafts flagged (caution or danger) and ≥ 85 % of fine drafts passed. The
fine side holds. The risky side is measured below it: the guard misses threats phrased politely (「ご自宅に
伺う」「法的措置」「警察に通報」), personal data that is not a phone number or address (注文番号・来店日時と人数・
部屋番号), stealth-marketing and fake-review instructions, and, by design, lowers everything in internal chat (so a
manager's 「給料泥棒」 passes). That test is an expected failure until the guard covers those patterns; it turns
into a failure (XPASS, strict) the day it does, so that the marker is removed.
"""

from __future__ import annotations

import pytest

from hikeshi.respond.training import load_bank
from hikeshi.respond.training.agreement import Agreement, agreement_table, measure_agreement

BAR = 0.85


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    measured = measure_agreement(load_bank())
    print("\n" + "\n".join(agreement_table(measured)))
    overall = measured.overall
    print(
        f"bench: training_agreement n={overall.risky + overall.fine} risky_flagged={overall.flagged_rate:.3f} "
        f"fine_passed={overall.passed_rate:.3f} disagreement={overall.disagreement_rate:.3f}"
    )
    for entry in measured.disagreements:
        print(f"  disagree {entry.item_id} key={entry.key} guard={entry.level}: {entry.prompt[:50]}")
    return measured


def test_the_guard_passes_the_fine_drafts(agreement: Agreement) -> None:
    assert agreement.overall.fine >= 50
    assert agreement.overall.passed_rate >= BAR


@pytest.mark.xfail(
    strict=True,
    reason="guard misses polite threats, non-standard personal data, stealth-marketing instructions and "
    "internal-chat harassment (see module docstring); measured 52/65 = 80.0 %",
)
def test_the_guard_flags_the_risky_drafts(agreement: Agreement) -> None:
    assert agreement.overall.risky >= 50
    assert agreement.overall.flagged_rate >= BAR


def test_every_disagreement_is_listed_once(agreement: Agreement) -> None:
    overall = agreement.overall
    missed = overall.risky - overall.risky_flagged + overall.fine - overall.fine_passed
    assert len(agreement.disagreements) == missed
    assert len({entry.item_id for entry in agreement.disagreements}) == missed
