"""Grading one answer: parametrized over real items of the bank, with the expected score in the same row."""

from __future__ import annotations

from typing import Any

import pytest

from hikeshi.errors import InputError
from hikeshi.guard import default_guard
from hikeshi.records import Level
from hikeshi.respond.training import ItemType, item_by_id, load_bank, parse_answer, score
from hikeshi.respond.training.scoring import chunks
from tests.respond.training.support import key_answer, wrong_answer


@pytest.mark.parametrize(
    ("item_id", "raw", "points"),
    [
        ("sales-son-01", "risky", 1.0),
        ("sales-son-01", "送らない", 1.0),
        ("sales-son-01", "fine", 0.0),
        ("sales-son-14", "送る", 1.0),
        (
            "sales-span-01",
            ["私たちもプロとして成功報酬で仕事をしている", "先にわかっていたら", "無駄な時間"],
            1.0,
        ),
        ("sales-span-01", ["先にわかっていたら"], 1 / 2),
        ("sales-span-01", ["ご連絡ありがとうございます", "先にわかっていたら", "無駄な時間"], 1 / 3),
        ("sales-span-01", [{"start": 0, "end": 70}], 2 / 4),
        ("sales-span-01", [{"start": 30, "end": 32}, {"start": 50, "end": 52}], 1.0),
        ("sales-span-01", [], 0.0),
        ("manager-rule-07", "a", 1.0),
        ("manager-rule-07", "c", 0.0),
    ],
)
def test_answers_are_graded(item_id: str, raw: Any, points: float) -> None:
    item = item_by_id(item_id)
    result = score(item, parse_answer(item, raw))
    assert result.score == pytest.approx(points)
    assert result.correct is (points == 1.0)


@pytest.mark.parametrize(
    ("text", "points", "hint"),
    [
        (
            "ご連絡いただき、ありがとうございます。このたびはご検討いただき、心より感謝申し上げます。",
            1.0,
            "問題なし",
        ),
        (
            "ご連絡ありがとうございます。先にわかっていたら無駄な時間は使わなかったのですが。",
            0.0,
            "無駄な時間",
        ),
        ("承知しました。またよろしくお願いします。", 0.0, "残すべき内容が抜けています"),
        (
            "ご連絡ありがとうございます。私たちもプロとして成功報酬で仕事をしています。"
            "先にわかっていたら無駄な時間は使わなかったのですが。",
            0.0,
            "元の文面のまま",
        ),
    ],
)
def test_a_rewrite_is_graded_by_the_guard(text: str, points: float, hint: str) -> None:
    item = item_by_id("sales-rw-01")
    result = score(item, parse_answer(item, text))
    assert result.score == points
    assert any(hint in line for line in result.feedback), result.feedback


def test_every_model_rewrite_passes_the_guard_and_keeps_its_words() -> None:
    guard = default_guard()
    for item in load_bank():
        if item.type is ItemType.REWRITE:
            result = score(item, parse_answer(item, item.model_answer), guard)
            assert result.correct, (item.id, result.feedback)


def test_the_key_earns_full_marks_and_a_wrong_answer_none() -> None:
    guard = default_guard()
    for item in load_bank():
        if item.type is ItemType.REWRITE:
            continue  # graded by the guard: covered above
        assert score(item, parse_answer(item, key_answer(item)), guard).correct, item.id
        assert score(item, parse_answer(item, wrong_answer(item)), guard).score == 0.0, item.id


def test_a_scenario_is_graded_step_by_step_with_each_explanation() -> None:
    item = item_by_id("sales-sc-01")
    right = [step.correct_id for step in item.steps]
    first_wrong = next(choice.id for choice in item.steps[0].choices if not choice.correct)
    result = score(item, parse_answer(item, [first_wrong, *right[1:]]))
    assert result.score == pytest.approx(2 / 3) and not result.correct
    assert result.feedback[0].startswith("場面 1: ×") and result.feedback[1].startswith("場面 2: ○")
    assert score(item, parse_answer(item, ",".join(right))).correct


@pytest.mark.parametrize(
    ("item_id", "raw", "message"),
    [
        ("sales-son-01", "maybe", "risky（送らない）か fine（送る）"),
        ("sales-son-01", 1, "risky（送らない）か fine（送る）"),
        ("sales-span-01", "無駄な時間", "リスト"),
        ("sales-span-01", ["失礼な言葉"], "本文にありません"),
        ("sales-span-01", [{"start": 5, "end": 999}], "範囲外"),
        ("sales-rw-01", "   ", "文字列で"),
        ("sales-sc-01", ["a"], "場面は 3 つ"),
        ("sales-sc-01", ["a", "b", "z"], "選択肢 'z' はありません"),
        ("manager-rule-07", "z", "選択肢の記号"),
    ],
)
def test_bad_answers_are_refused_in_japanese(item_id: str, raw: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_answer(item_by_id(item_id), raw)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("先にわかっていたら、無駄な時間は使わない。", ["先にわかっていたら、", "無駄な時間は使わない。"]),
        ("本日限定！全品半額セール♪ お見逃しなく！", ["本日限定！", "全品半額セール♪", "お見逃しなく！"]),
        ("一行目\n二行目", ["一行目", "二行目"]),
    ],
)
def test_drafts_are_cut_into_tappable_pieces(text: str, pieces: list[str]) -> None:
    assert [text[start:end] for start, end in chunks(text)] == pieces


def test_every_key_span_can_be_tapped() -> None:
    """Each risky span overlaps at least one piece and no piece is blank, so the phone quiz can be answered."""
    for item in load_bank():
        if item.type is ItemType.FIND_SPAN:
            pieces = chunks(item.prompt)
            assert all(item.prompt[start:end].strip() for start, end in pieces)
            for span in item.spans:
                assert any(start < span.end and span.start < end for start, end in pieces), item.id


def test_the_guard_itself_still_answers_for_a_rewrite_in_context() -> None:
    """The 3/11 rewrite is checked with its date: a sale on that day is not ok, a memorial post is."""
    item = item_by_id("sns_staff-rw-01")
    assert item.date is not None
    sale = score(item, parse_answer(item, "本日限定！全品半額セール開催中です。"))
    assert sale.score < 1.0
    assert default_guard().check(item.model_answer or "").level is Level.OK
