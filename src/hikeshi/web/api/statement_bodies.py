"""Request and response bodies of /api/statements and the statement routes under /api/incidents.

Text fields carry the store's own rules in the schema (a visible character, no control characters other than
newline, tab and carriage return, the store's length limits), so a request the schema allows is one the library
accepts; the few rules a schema cannot say (a paper's cause under investigation needs a method, an owner and a
date) are answered 422 with the paper's own Japanese message.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.records import Finding, Level
from hikeshi.respond.statements.approval import MAX_REASON
from hikeshi.respond.statements.lint import MAX_STATEMENT_CHARS, Section, SectionPresence, StatementKind
from hikeshi.respond.statements.lint.facts import LintFacts
from hikeshi.respond.statements.records import DraftKind, PublishChannel, Statement, StatementVersion
from hikeshi.respond.statements.store import MAX_TEXT, MAX_TITLE
from hikeshi.web.api.incident_bodies import MAX_ID, VISIBLE_TEXT

STATEMENT_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*[^\s\x00-\x1f][^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
"""At least one visible character; no control characters but tab, newline and carriage return (`clean_text`)."""
TITLE = r"^[^\x00-\x1f]*[^\s\x00-\x1f][^\x00-\x1f]*$"
ANY_VISIBLE = r"^[\s\S]*\S[\s\S]*$"

StatementId = Annotated[int, Path(ge=1, le=MAX_ID, description="声明の番号")]
Reason = Annotated[str, Field(max_length=MAX_REASON, pattern=VISIBLE_TEXT)]


class LintIn(BaseModel):
    """`hikeshi statement lint --jsonl` の 1 行と同じ入力。facts はインシデントの番号（保存済みのポジションペーパーの
    最新版、facts_version で版を指定）か、ポジションペーパーの内容そのもの（一部だけでも可）です。"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "draft-1",
                    "text": "不快な思いをされた方がいらっしゃったのであれば、お詫び申し上げます。",
                    "kind": "holding",
                }
            ]
        },
    )

    id: str | int | None = Field(default=None, description="呼び出し側の識別子（そのまま返します）")
    text: str = Field(max_length=MAX_STATEMENT_CHARS, pattern=ANY_VISIBLE, description="点検する文面")
    kind: StatementKind | None = Field(
        default=None,
        description="statement, holding, press_release, sns, qa, call_script（足りない項目の判定に使います）",
    )
    facts: Annotated[int, Field(ge=1, le=MAX_ID)] | LintFacts | None = Field(
        default=None,
        description="インシデントの番号（保存済みのポジションペーパーを使う）、またはポジションペーパーの内容",
    )
    facts_version: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="facts がインシデントの番号のとき、使う版（省略時は最新版）",
    )


class LintOut(BaseModel):
    """`hikeshi statement lint --jsonl` の出力 1 行と同じ形。"""

    id: str | int | None
    level: Level
    findings: list[Finding] = Field(description="箇所（start・end は文面の文字位置）・理由・直し方")
    sections: SectionPresence
    missing: list[Section] = Field(description="この種類に足りない項目")


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"kind": "holding"}]})

    kind: DraftKind = Field(
        description="holding（第一報）, statement（お詫び）, press_release, sns_x, sns, qa（想定問答）, "
        "call_script（電話対応スクリプト）, press_kit（記者会見キット）"
    )
    paper_version: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="使うポジションペーパーの版（省略時は最新版）"
    )


class TextIn(BaseModel):
    """新しい版の本文。承認待ち・承認済みの声明は下書きに戻ります。同じ本文なら何も変えずに今の声明を返します。"""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT, pattern=STATEMENT_TEXT, description="本文（Markdown）")
    title: str | None = Field(default=None, max_length=MAX_TITLE, pattern=TITLE, description="題名")
    note: Reason | None = Field(default=None, description="何を直したか")


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    override_reason: Reason | None = Field(
        default=None, description="文面チェックが「危険」でも承認する理由（記録に残ります）"
    )


class SendBackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="差し戻しの理由")


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"channel": "x"}]})

    channel: PublishChannel = Field(description="x, website, press, line, instagram, email")
    at: AwareDatetime | None = Field(default=None, description="公表した日時（省略時は今）")


class InquiryIn(BaseModel):
    """コールセンターの問い合わせ 1 件。想定問答にない質問は、次の想定問答に「聞かれたら言う」として加わります。"""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=2000, pattern=VISIBLE_TEXT, description="ご質問（相手の言葉どおりに）")
    answer: str | None = Field(
        default=None, max_length=4000, pattern=VISIBLE_TEXT, description="お伝えした回答"
    )
    channel: str = Field(
        default="phone", pattern=r"^(phone|email|form|sns)$", description="phone・email・form・sns"
    )
    caller: str = Field(
        default="customer",
        pattern=r"^(customer|public|press|other)$",
        description="customer・public・press・other",
    )
    repeat: bool = Field(default=False, description="同じ方から 2 回目以降")
    escalated: bool = Field(default=False, description="責任者・広報・法務に引き継いだ")
    at: AwareDatetime | None = Field(default=None, description="受けた日時（省略時は今）")


class StatementDetail(Statement):
    """A statement with every version (oldest first) and the linter's verdict on each."""

    versions: list[StatementVersion] = Field(default_factory=list)


def detail_of(statement: Statement, versions: list[StatementVersion]) -> StatementDetail:
    return StatementDetail(**statement.model_dump(), versions=versions)
