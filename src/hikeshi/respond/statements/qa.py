"""想定問答 from the position paper, in the three buckets Japanese crisis PR uses.

- 聞かれなくても言う (proactive): the apology, what happened, whether it continues, the prevention measures;
- 聞かれたら言う (asked): the details, the numbers, the cause or how it is being investigated, 処分;
- 聞かれても言えない (cannot): every negative-list topic, answered with its reason and never with the item.

Each entry carries a topic (事実, 危険性・継続性, 原因, 責任, 再発防止) and a time frame (過去・現在・未来), so a
reviewer can see at a glance that nothing is missing. Questions from the call centre's inquiry log that the paper
does not answer yet are added to 聞かれたら言う with a holding answer, marked for the team to complete.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from hikeshi.respond.statements.formatting import jcount, jdate, jdate_weekday, join_japanese, jwhen, sentence
from hikeshi.respond.statements.papers import AccountabilityStatus, PositionPaper
from hikeshi.respond.statements.records import Inquiry


class Bucket(StrEnum):
    PROACTIVE = "proactive"
    ASKED = "asked"
    CANNOT = "cannot"


BUCKET_LABELS = {
    Bucket.PROACTIVE: "聞かれなくても言う",
    Bucket.ASKED: "聞かれたら言う",
    Bucket.CANNOT: "聞かれても言えない",
}

TOPIC_LABELS = {
    "facts": "事実",
    "risk": "危険性・継続性",
    "cause": "原因",
    "responsibility": "責任",
    "prevention": "再発防止",
    "contact": "問い合わせ",
    "inquiry": "お問い合わせから",
}

FRAME_LABELS = {"past": "過去", "present": "現在", "future": "未来"}


class QAEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    bucket: Bucket
    topic: str
    frame: str
    question: str
    answer: str
    to_complete: bool = False

    @property
    def topic_label(self) -> str:
        return TOPIC_LABELS.get(self.topic, self.topic)

    @property
    def frame_label(self) -> str:
        return FRAME_LABELS.get(self.frame, self.frame)


def _key(question: str) -> str:
    """A question compared without width, spaces or punctuation: 「いつ分かりますか？」 = 「いつ分かりますか」."""
    folded = unicodedata.normalize("NFKC", question)
    return re.sub(r"[\s\W_]+", "", folded)


def _cause_answer(paper: PositionPaper) -> str:
    cause = paper.cause
    if not cause.investigating:
        return sentence(cause.text or "")
    due = jdate_weekday(cause.due) if cause.due else "確定次第"
    return f"原因は現在調査中で、結果は{due}までにご報告します。{cause.owner}が、{(cause.method or '').rstrip('。')}を進めています。"


def _impact_answer(paper: PositionPaper) -> str:
    impact = paper.impact
    count = jcount(impact.count, impact.unit)
    tail = "です。" if impact.confirmed else "です。確認を続けており、人数が変わる場合はお知らせします。"
    return f"{impact.who}は、これまでに確認できた範囲で{count}{tail}"


def _measures_answer(paper: PositionPaper) -> str:
    if not paper.measures:
        return "再発防止策は、原因の調査結果を踏まえて決め、決まり次第お知らせします。"
    parts = [f"{m.owner}が{jdate(m.due)}までに、{m.what.rstrip('。')}" for m in paper.measures]
    return "次の再発防止策を実施します。" + "。".join(parts) + "。"


def _accountability_answer(paper: PositionPaper) -> str:
    if not paper.accountability:
        return "処分や責任の取り方は、調査結果を踏まえて決め、決まり次第お知らせします。"
    parts = []
    for item in paper.accountability:
        if item.status == AccountabilityStatus.DECIDED:
            parts.append(f"{item.subject}については、{sentence(item.measure)}")
        else:
            due = jdate_weekday(item.due) if item.due else "決定次第"
            parts.append(f"{item.subject}については、{item.measure.rstrip('。')}。{due}までに決定します。")
    return "".join(parts)


def _unknowns_answer(paper: PositionPaper) -> str:
    if not paper.unknowns:
        return "現時点で、ほかに確認中の事項はありません。"
    parts = [
        f"{u.what.rstrip('。')}について、{jwhen(u.when)}までに確認してお知らせします。"
        for u in paper.unknowns
    ]
    return "".join(parts)


def build_qa(paper: PositionPaper, inquiries: Sequence[Inquiry] = ()) -> list[QAEntry]:
    """Every Q&A entry for `paper`, in bucket order; inquiries not yet answered by the paper come last."""
    apology = (
        f"{join_japanese(paper.apology_to)}に、深くお詫び申し上げます。"
        f"{sentence(paper.summary)}その責任は当社にあります。"
    )
    contact = paper.contacts.public
    entries = [
        QAEntry(
            bucket=Bucket.PROACTIVE,
            topic="facts",
            frame="past",
            question="何があったのですか。",
            answer=apology,
        ),
        QAEntry(
            bucket=Bucket.PROACTIVE,
            topic="risk",
            frame="present",
            question="被害は広がっていますか。今も続いていますか。",
            answer=_impact_answer(paper)
            + "".join(sentence(action.what) for action in paper.actions[:1])
            + _unknowns_answer(paper),
        ),
        QAEntry(
            bucket=Bucket.PROACTIVE,
            topic="prevention",
            frame="future",
            question="再発を防ぐために何をしますか。",
            answer=_measures_answer(paper),
        ),
        QAEntry(
            bucket=Bucket.ASKED,
            topic="facts",
            frame="past",
            question="いつ、どこで、誰が、何をしたのですか。",
            answer=(
                f"{paper.facts.when}、{paper.facts.where}で、{paper.facts.who}が"
                f"{sentence(paper.facts.what)}{sentence(paper.facts.how)}"
            ),
        ),
        QAEntry(
            bucket=Bucket.ASKED,
            topic="facts",
            frame="past",
            question="これまでの経緯を教えてください。",
            answer="".join(f"{jwhen(e.at)}、{sentence(e.what)}" for e in paper.public_timeline()),
        ),
        QAEntry(
            bucket=Bucket.ASKED,
            topic="risk",
            frame="present",
            question="どのくらいの影響が出ていますか。",
            answer=_impact_answer(paper)
            + "".join(
                f"{figure.label}は{jcount(figure.value, figure.unit)}"
                f"{f'（{jwhen(figure.as_of)}時点）' if figure.as_of else ''}です。"
                for figure in paper.impact.figures
            ),
        ),
        QAEntry(
            bucket=Bucket.ASKED,
            topic="cause",
            frame="past",
            question="なぜこのようなことが起きたのですか。",
            answer=_cause_answer(paper),
        ),
        QAEntry(
            bucket=Bucket.ASKED,
            topic="responsibility",
            frame="future",
            question="関係者の処分や経営の責任はどうなりますか。",
            answer=_accountability_answer(paper),
        ),
        QAEntry(
            bucket=Bucket.ASKED,
            topic="risk",
            frame="future",
            question="ほかにも同じようなことはありませんか。",
            answer=_unknowns_answer(paper),
        ),
        QAEntry(
            bucket=Bucket.ASKED,
            topic="contact",
            frame="present",
            question="問い合わせはどこにすればよいですか。",
            answer=f"{contact.name}（電話 {contact.phone}、{contact.hours}、メール {contact.email}）で承ります。",
        ),
    ]
    entries.extend(
        QAEntry(
            bucket=Bucket(extra.bucket),
            topic=extra.topic,
            frame="present",
            question=extra.question,
            answer=extra.answer,
        )
        for extra in paper.extra_qa
    )
    for item in paper.negative:
        entries.append(
            QAEntry(
                bucket=Bucket.CANNOT,
                topic="facts",
                frame="present",
                question=f"{item.topic}を教えてください。",
                answer=f"{item.reason.rstrip('。')}、お答えを控えさせていただきます。",
            )
        )
    if paper.cause.investigating:
        entries.append(
            QAEntry(
                bucket=Bucket.CANNOT,
                topic="cause",
                frame="future",
                question="調査でどんなことが分かってきていますか。",
                answer=(
                    "調査の途中で推測をお伝えすることは控えます。結果は"
                    f"{jdate_weekday(paper.cause.due) if paper.cause.due else '確定次第'}までにご報告します。"
                ),
            )
        )
    known = {_key(entry.question) for entry in entries}
    next_report = jwhen(paper.next_update) if paper.next_update else "次回のお知らせ"
    for inquiry in inquiries:
        key = _key(inquiry.question)
        if not key or key in known:
            continue
        known.add(key)
        answer = inquiry.answer or (
            f"確認できた事実の範囲でお答えします。分からないことは推測で答えず、{next_report}にお知らせすると伝えます。"
        )
        entries.append(
            QAEntry(
                bucket=Bucket.ASKED,
                topic="inquiry",
                frame="present",
                question=inquiry.question.strip(),
                answer=answer,
                to_complete=inquiry.answer is None,
            )
        )
    order = list(Bucket)
    return sorted(entries, key=lambda entry: order.index(entry.bucket))
