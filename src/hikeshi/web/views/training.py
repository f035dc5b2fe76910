"""View models of the training pages: form fields to answers, and answers back to what the trainee sees.

Kept apart from the route handlers so that the shapes the templates read are plain records, built once: the
draft cut into tappable pieces for a find-span item, the draft with the key spans marked after an answer, and
a readable line for the trainee's own answer and for the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hikeshi.errors import InputError
from hikeshi.respond.training import BankItem, ItemType
from hikeshi.respond.training.scoring import chunks


@dataclass(frozen=True)
class Piece:
    """A stretch of the draft: `index` numbers tappable pieces; `marked` flags a key span after answering."""

    index: int
    text: str
    marked: bool = False


def tappable_pieces(item: BankItem) -> list[Piece]:
    return [Piece(number, item.prompt[start:end]) for number, (start, end) in enumerate(chunks(item.prompt))]


def marked_draft(item: BankItem) -> list[Piece]:
    """The draft as pieces, the key spans marked (find-span items; other drafts come back as one piece)."""
    pieces: list[Piece] = []
    cursor = 0
    for span in item.spans:
        if span.start > cursor:
            pieces.append(Piece(len(pieces), item.prompt[cursor : span.start]))
        pieces.append(Piece(len(pieces), item.prompt[span.start : span.end], marked=True))
        cursor = span.end
    if cursor < len(item.prompt):
        pieces.append(Piece(len(pieces), item.prompt[cursor:]))
    return pieces


def parse_picked(item: BankItem, picked: str) -> list[str]:
    """The scenario choices made so far (「b,a」), each checked against its step."""
    chosen = [part for part in picked.split(",") if part] if picked else []
    if len(chosen) >= len(item.steps):
        raise InputError("場面の数より多くの答えが送られました。最初の場面からやり直してください。")
    for step, choice_id in zip(item.steps, chosen, strict=False):
        if choice_id not in {choice.id for choice in step.choices}:
            raise InputError("場面の答えが読めません。最初の場面からやり直してください。")
    return chosen


def form_answer(item: BankItem, answer: str, text: str, chunk: list[str], picked: list[str]) -> Any:
    """The raw answer (the shape `scoring.parse_answer` reads) from the fields of the item's form."""
    if item.type is ItemType.FIND_SPAN:
        pieces = chunks(item.prompt)
        numbers = {int(value) for value in chunk if value.isdigit() and int(value) < len(pieces)}
        return [{"start": pieces[number][0], "end": pieces[number][1]} for number in sorted(numbers)]
    if item.type is ItemType.REWRITE:
        return text
    if item.type is ItemType.SCENARIO:
        return [*picked, answer]
    return answer


def answer_line(item: BankItem, value: Any) -> str:
    """The trainee's stored answer in words."""
    if item.type is ItemType.SEND_OR_NOT:
        return "送らない（危ない）" if value == "risky" else "このまま送る"
    if item.type is ItemType.FIND_SPAN:
        spans = value if isinstance(value, list) else []
        chosen = [
            f"「{item.prompt[entry['start'] : entry['end']]}」" for entry in spans if isinstance(entry, dict)
        ]
        return " ".join(chosen) or "（選択なし）"
    if item.type is ItemType.SCENARIO:
        return "・".join(str(part) for part in value) if isinstance(value, list) else str(value)
    if item.type is ItemType.RULE:
        return next(
            (f"{choice.id}) {choice.text}" for choice in item.choices if choice.id == value), str(value)
        )
    return str(value)


def key_line(item: BankItem) -> str:
    """The answer key in words."""
    if item.type is ItemType.SEND_OR_NOT:
        return "送らない（危ない）" if item.verdict == "risky" else "このまま送ってよい"
    if item.type is ItemType.FIND_SPAN:
        return " ".join(f"「{span.text}」" for span in item.spans)
    if item.type is ItemType.SCENARIO:
        return "・".join(step.correct_id for step in item.steps)
    if item.type is ItemType.RULE:
        return next(
            f"{choice.id}) {choice.text}" for choice in item.choices if choice.id == item.correct_choice
        )
    return item.model_answer or ""


CHANNEL_LABELS = {
    "line": "LINE",
    "dm": "DM・社内チャット",
    "email": "メール",
    "x": "X（旧 Twitter）",
    "instagram": "Instagram",
    "review_reply": "口コミへの返信",
    "press": "声明・取材",
}
AUDIENCE_LABELS = {"customer": "お客様", "public": "一般の人々", "internal": "社内"}
ROLE_HINTS = {
    "new_hire": "入社 1〜2 年目の方、アルバイト・派遣・内定者の方",
    "sales": "お客様に LINE・メール・電話で連絡する方",
    "sns_staff": "会社の公式アカウントを運用する方",
    "manager": "部下を持つ方、役員・経営者",
    "call_centre": "お問い合わせの電話・メールを受ける方",
}


def context_line(item: BankItem) -> str:
    """Where the draft is going, in words (「LINE・お客様宛て・2027年3月11日に送信」)."""
    parts = []
    if item.channel is not None:
        parts.append(CHANNEL_LABELS.get(item.channel.value, item.channel.value))
    elif item.audience is not None and item.audience.value == "customer":
        parts.append("電話")
    if item.audience is not None:
        parts.append(f"{AUDIENCE_LABELS.get(item.audience.value, item.audience.value)}宛て")
    if item.date is not None:
        parts.append(f"{item.date.year}年{item.date.month}月{item.date.day}日に送信")
    return "・".join(parts)


DOCUMENT_LABELS = {
    "sns_policy": "SNSポリシー",
    "terms_of_use": "SNS利用規約（運用方針）",
    "employee_rules": "従業員SNS利用規程",
    "sns_guideline": "SNSガイドライン",
    "crisis_manual": "炎上対応マニュアル",
}


@dataclass(frozen=True)
class StepReview:
    """One step of a played scenario: what was chosen, whether it was right, and the better move if not."""

    number: int
    situation: str
    picked: str
    right: bool
    explanation: str
    better: str | None


def review_steps(item: BankItem, chosen: list[str]) -> list[StepReview]:
    reviews = []
    for number, (step, choice_id) in enumerate(zip(item.steps, chosen, strict=False), start=1):
        picked = next(choice for choice in step.choices if choice.id == choice_id)
        best = next(choice for choice in step.choices if choice.correct)
        reviews.append(
            StepReview(
                number=number,
                situation=step.situation,
                picked=picked.text,
                right=picked.correct,
                explanation=picked.explanation or "",
                better=None if picked.correct else best.text,
            )
        )
    return reviews
