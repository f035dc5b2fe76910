"""Scoring one answer to one bank item: pure functions, the same for the web quiz, the CLI and scripted answers.

Answers arrive as JSON values (`--answers FILE.jsonl`, form fields turned into the same shapes):
send_or_not `"risky"`/`"fine"` (or 送らない/送る); find_span a list of `{"start", "end"}` or of excerpts;
rewrite the trainee's text; scenario one choice id per step (`["b", "a", "b"]` or `"b,a,b"`); rule a choice id.
`parse_answer` turns them into an `Answer` or raises InputError with a Japanese message; `score` grades it.

A rewrite is graded by the guard itself: it must keep the item's content words and come back `ok` (1 point);
`caution` with the words kept earns half a point, so a rewrite that only trips the learned model's softest
warning is not marked as wrong as one that keeps the blame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hikeshi.errors import InputError
from hikeshi.guard import CheckContext, Guard, default_guard
from hikeshi.records import Level
from hikeshi.respond.training.bank import missing_keep_words
from hikeshi.respond.training.records import BankItem, ItemScore, ItemType

MAX_REWRITE_CHARS = 2000
VERDICT_WORDS = {
    "risky": "risky",
    "fine": "fine",
    "送らない": "risky",
    "危ない": "risky",
    "危険": "risky",
    "送る": "fine",
    "問題ない": "fine",
    "問題なし": "fine",
}
_CHUNK_BREAK = re.compile(r"[、。！？!?\n]+|\s+")


@dataclass(frozen=True)
class Answer:
    """A parsed answer: `value` is what is stored (JSON-ready), `spans` the offsets for find_span items."""

    value: Any
    spans: tuple[tuple[int, int], ...] = ()


def parse_answer(item: BankItem, raw: Any) -> Answer:
    """The trainee's answer in the item's shape; any other shape is an InputError naming what is expected."""
    if item.type is ItemType.SEND_OR_NOT:
        verdict = VERDICT_WORDS.get(str(raw).strip()) if isinstance(raw, str) else None
        if verdict is None:
            raise InputError(f"{item.id}: 答えは risky（送らない）か fine（送る）です（{raw!r}）。")
        return Answer(verdict)
    if item.type is ItemType.FIND_SPAN:
        spans = _parse_spans(item, raw)
        return Answer([{"start": start, "end": end} for start, end in spans], spans)
    if item.type is ItemType.REWRITE:
        if not isinstance(raw, str) or not raw.strip():
            raise InputError(f"{item.id}: 書き直した文面を文字列で入れてください。")
        if len(raw) > MAX_REWRITE_CHARS:
            raise InputError(f"{item.id}: 書き直しは {MAX_REWRITE_CHARS:,} 文字以内にしてください。")
        return Answer(raw.strip())
    if item.type is ItemType.SCENARIO:
        return Answer(_parse_steps(item, raw))
    ids = [choice.id for choice in item.choices]
    if not isinstance(raw, str) or raw.strip() not in ids:
        raise InputError(f"{item.id}: 答えは選択肢の記号（{'・'.join(ids)}）のどれかです（{raw!r}）。")
    return Answer(raw.strip())


def _parse_spans(item: BankItem, raw: Any) -> tuple[tuple[int, int], ...]:
    if not isinstance(raw, list):
        raise InputError(
            f"{item.id}: 危ない箇所を、抜き出した文字列か {{start, end}} のリストで入れてください。"
        )
    spans: list[tuple[int, int]] = []
    for entry in raw:
        if isinstance(entry, str):
            start = item.prompt.find(entry) if entry else -1
            if start < 0:
                raise InputError(f"{item.id}: 「{entry}」は本文にありません。")
            spans.append((start, start + len(entry)))
        elif (
            isinstance(entry, dict)
            and isinstance(entry.get("start"), int)
            and isinstance(entry.get("end"), int)
        ):
            start, end = entry["start"], entry["end"]
            if not 0 <= start < end <= len(item.prompt):
                raise InputError(
                    f"{item.id}: 位置 {start}〜{end} は本文の範囲外です（0〜{len(item.prompt)}）。"
                )
            spans.append((start, end))
        else:
            raise InputError(f"{item.id}: 危ない箇所の書き方が読めません（{entry!r}）。")
    return tuple(sorted(spans))


def _parse_steps(item: BankItem, raw: Any) -> list[str]:
    chosen = [part.strip() for part in raw.split(",")] if isinstance(raw, str) else raw
    if not isinstance(chosen, list) or not all(isinstance(part, str) for part in chosen):
        raise InputError(f'{item.id}: 各場面の選択肢の記号をリストで入れてください（例 ["b", "a"]）。')
    if len(chosen) != len(item.steps):
        raise InputError(f"{item.id}: 場面は {len(item.steps)} つあります（答えは {len(chosen)} つ）。")
    for number, (step, choice_id) in enumerate(zip(item.steps, chosen, strict=True), start=1):
        if choice_id not in {choice.id for choice in step.choices}:
            raise InputError(f"{item.id}: 場面 {number} に選択肢 {choice_id!r} はありません。")
    return list(chosen)


def score(item: BankItem, answer: Answer, guard: Guard | None = None) -> ItemScore:
    """Grade a parsed answer; `guard` is only needed (and only built) for rewrite items."""
    if item.type is ItemType.SEND_OR_NOT:
        right = answer.value == item.verdict
        return ItemScore(score=1.0 if right else 0.0, correct=right)
    if item.type is ItemType.FIND_SPAN:
        return score_spans(item, answer.spans)
    if item.type is ItemType.REWRITE:
        return score_rewrite(item, str(answer.value), guard or default_guard())
    if item.type is ItemType.SCENARIO:
        return score_steps(item, list(answer.value))
    right = answer.value == item.correct_choice
    return ItemScore(score=1.0 if right else 0.0, correct=right)


def score_spans(item: BankItem, chosen: Sequence[tuple[int, int]]) -> ItemScore:
    """Overlap, on the draft's pieces, of what was chosen and what is risky (intersection over union).

    Marking is judged piece by piece (the pieces a phone shows, see `chunks`): a piece is risky when a key span
    touches it, and chosen when a chosen span does. Choosing the whole draft therefore scores no better than
    choosing its risky pieces plus all the innocent ones.
    """

    def touched(spans: Sequence[tuple[int, int]]) -> set[int]:
        return {
            number
            for number, (start, end) in enumerate(chunks(item.prompt))
            if any(start < span_end and span_start < end for span_start, span_end in spans)
        }

    risky = touched([(span.start, span.end) for span in item.spans])
    picked = touched(chosen)
    missed, extra = len(risky - picked), len(picked - risky)
    feedback = []
    if missed:
        feedback.append(f"見落とした箇所があります（{missed} か所）。")
    if extra:
        feedback.append(f"問題のない部分を {extra} か所選んでいます。")
    union = risky | picked
    return ItemScore(
        score=len(risky & picked) / len(union), correct=not missed and not extra, feedback=feedback
    )


def score_rewrite(item: BankItem, text: str, guard: Guard) -> ItemScore:
    """The guard's verdict on the trainee's rewrite, in the item's context, plus the content words kept."""
    if "".join(text.split()) == "".join(item.prompt.split()):
        return ItemScore(
            score=0.0, correct=False, feedback=["元の文面のままです。危ない部分を書き直してください。"]
        )
    context = CheckContext(channel=item.channel, audience=item.audience, date=item.date)
    verdict = guard.check(text, context)
    missing = missing_keep_words(text, item.keep)
    feedback = [f"残すべき内容が抜けています: {'、'.join(group.replace('|', '／') for group in missing)}"]
    feedback = feedback if missing else []
    for finding in verdict.findings:
        feedback.append(f"hikeshi check: 「{finding.excerpt}」— {finding.reason}")
    if verdict.level is Level.OK and not feedback:
        feedback.append("hikeshi check の判定は「問題なし」です。")
    points = 0.0 if missing else {Level.OK: 1.0, Level.CAUTION: 0.5, Level.DANGER: 0.0}[verdict.level]
    return ItemScore(score=points, correct=points == 1.0, feedback=feedback)


def score_steps(item: BankItem, chosen: list[str]) -> ItemScore:
    right = [step.correct_id == choice for step, choice in zip(item.steps, chosen, strict=True)]
    feedback = []
    for number, (step, choice_id) in enumerate(zip(item.steps, chosen, strict=True), start=1):
        picked = next(choice for choice in step.choices if choice.id == choice_id)
        mark = "○" if picked.correct else "×"
        feedback.append(f"場面 {number}: {mark} {picked.explanation or ''}".rstrip())
    return ItemScore(score=sum(right) / len(right), correct=all(right), feedback=feedback)


def chunks(text: str) -> list[tuple[int, int]]:
    """The draft cut at punctuation and spaces: the pieces a trainee taps on a phone to mark risky wording.

    >>> [("先にわかっていたら、無駄な時間は使わない。"[s:e]) for s, e in chunks("先にわかっていたら、無駄な時間は使わない。")]
    ['先にわかっていたら、', '無駄な時間は使わない。']
    """
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _CHUNK_BREAK.finditer(text):
        end = match.end() if match.group().strip() else match.start()
        if end > start and text[start:end].strip():
            pieces.append((start, end))
        start = match.end()
    if start < len(text) and text[start:].strip():
        pieces.append((start, len(text)))
    return pieces
