"""Statement fit on the replay: volume and negativity before and after, top terms, and 二次炎上."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.reports import TermCount, statement_fit, statement_fits
from hikeshi.reports.fit import top_terms
from hikeshi.respond.incidents.store import IncidentStore
from hikeshi.timezones import JST
from tests.reports.conftest import STATEMENT_AT, Minato


def test_the_apology_turned_criticism_to_itself(minato: Minato) -> None:
    fit = statement_fit(minato.store, minato.incident.watch, STATEMENT_AT)
    before, after = fit.before, fit.after
    assert (before.start, before.end, after.end) == (
        STATEMENT_AT - dt.timedelta(hours=6),
        STATEMENT_AT,
        STATEMENT_AT + dt.timedelta(hours=6),
    )
    assert (before.posts, before.analyzed, before.negative) == (805, 805, 728)
    assert (after.posts, after.analyzed, after.negative) == (448, 448, 250)
    assert fit.volume_ratio == pytest.approx(448 / 805)
    assert fit.negativity_change == pytest.approx(250 / 448 - 728 / 805)
    # Criticism moved to the apology: 5% of the negative posts before, 92% after, and a new angle 「謝罪文」.
    assert (before.negative_on_statement, after.negative_on_statement) == (36, 229)
    assert fit.criticism_of_statement
    assert fit.statement_angles == ["謝罪文"]
    assert any("5% から 92%" in reason for reason in fit.reasons)
    before_terms = [term.term for term in before.top_terms]
    after_terms = [term.term for term in after.top_terms]
    assert "会社の体質" in before_terms and "不買" in before_terms
    assert after_terms[:2] == ["謝罪", "謝罪文"]


def test_a_quiet_day_shows_no_second_flame(minato: Minato) -> None:
    fit = statement_fit(
        minato.store, minato.incident.watch, dt.datetime(2026, 3, 9, 12, 0, tzinfo=JST), hours=12
    )
    assert fit.before.posts > 0 and fit.after.posts > 0
    assert not fit.criticism_of_statement and fit.reasons == [] and fit.statement_angles == []


def test_every_statement_on_the_timeline_gets_a_fit(minato: Minato) -> None:
    events = IncidentStore(minato.store).events(minato.incident.id)
    fits = statement_fits(minato.store, events, minato.incident.watch)
    assert [fit.at for fit in fits] == [STATEMENT_AT]
    assert fits[0].label == "お詫びを公表（X・自社サイト）"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # 「体質」 and 「会社」 say nothing beyond 「会社の体質」; 「社長」 stands on its own.
        ([("会社", 318), ("会社の体質", 303), ("体質", 303), ("社長", 249)], ["会社の体質", "社長"]),
        # Most who wrote 「謝罪」 did not write about the apology's text: both stay.
        ([("謝罪", 266), ("謝罪文", 111), ("文", 111), ("担当", 100)], ["謝罪", "謝罪文", "担当"]),
        ([("不買", 10), ("解約", 9)], ["不買", "解約"]),
    ],
)
def test_top_terms_leave_out_parts_of_a_phrase(counts: list[tuple[str, int]], expected: list[str]) -> None:
    ranked = top_terms([TermCount(term=term, authors=authors) for term, authors in counts])
    assert [count.term for count in ranked] == expected
