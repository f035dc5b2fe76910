"""Request and response bodies of /api/incidents that are not already records of the library.

Text fields carry the store's own rules in the schema (a visible character, no control characters other than
newline and tab, the store's length limits), so a request the schema allows is one the store accepts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.records import SignalKind
from hikeshi.respond.evidence.capture import MAX_TOP
from hikeshi.respond.incidents.records import IncidentDetail, IncidentStatus, IncidentType, Role

MAX_ID = 2**53
"""Ids beyond this are refused by the schema (no database holds them; SQLite stops at 2**63)."""
VISIBLE_TEXT = r"^[^\x00-\x08\x0b-\x1f]*[^\s\x00-\x1f][^\x00-\x08\x0b-\x1f]*$"
"""At least one visible character; no control characters except tab and newline (as `IncidentStore` checks)."""
NAME = r"^[^\x00-\x1f]*[^\s\x00-\x1f][^\x00-\x1f]*$"
TASK_KEY = r"^([0-9]{1,12}|[a-z0-9_]*[a-z_][a-z0-9_]*)$"

IncidentId = Annotated[int, Path(ge=1, le=MAX_ID, description="インシデントの番号")]
TaskKey = Annotated[
    str,
    Path(
        min_length=1,
        max_length=60,
        pattern=TASK_KEY,
        description="タスクのキー（preserve_evidence など、プレイブックの id）またはタスクの番号",
    ),
]
PersonName = Annotated[str, Field(min_length=1, max_length=100, pattern=NAME, description="担当者の名前")]


class SignalRef(BaseModel):
    """A stored signal of the watch, as `/api/watches/{name}/signals` returns it (kind and window start)."""

    model_config = ConfigDict(extra="forbid")

    kind: SignalKind
    window_start: AwareDatetime


class IncidentOpen(BaseModel):
    """インシデントを開く。signal を指定すると、そのシグナルから開きます（対応中のものがあればそれを返します）。"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"watch": "ミナト住建", "title": "営業担当の LINE が拡散", "severity": 3}]
        },
    )

    watch: str = Field(min_length=1, max_length=200, description="ウォッチ名")
    title: str | None = Field(
        default=None,
        max_length=200,
        pattern=VISIBLE_TEXT,
        description="タイトル（省略時はシグナルの種類と時刻、またはウォッチ名から作ります）",
    )
    severity: int = Field(
        default=3, ge=1, le=4, description="深刻度 1〜4（signal を指定したときはその深刻度）"
    )
    type: IncidentType = Field(default=IncidentType.UNKNOWN, description="種類")
    drill: bool = Field(default=False, description="訓練（実績の集計に含めません）")
    signal: SignalRef | None = Field(default=None, description="このシグナルから開く")


class IncidentOut(IncidentDetail):
    """An incident with its tasks, its timeline (oldest first) and the ids of the pinned events."""

    pinned: list[int] = Field(default_factory=list, description="ピン留めされたイベントの番号")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=10_000, pattern=VISIBLE_TEXT, description="メモ（あとから編集・削除はできません）"
    )


class CompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=10_000, pattern=VISIBLE_TEXT, description="完了のメモ")


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: PersonName | None = Field(description="担当者（null で外します）")


class RoleIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"role": "pr", "person": "佐藤"}]}
    )

    role: Role = Field(
        description="commander（責任者）, pr（広報）, legal（法務）, support（お客様相談室）, executive（経営）, scribe（記録係）"
    )
    person: PersonName | None = Field(description="担当者（null で外します）")


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: IncidentStatus = Field(
        description="active（対応中）, monitoring（経過観察）, calmed（沈静化）, closed（終了）"
    )


class SeverityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    severity: int = Field(ge=1, le=4, description="1 注意・2 要注意・3 警戒・4 危険")


class TypeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: IncidentType = Field(
        description="criticism（批判集中型）, debate（議論過熱型）, trolling（荒らし型）, unknown（不明）"
    )


class PinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: int = Field(ge=1, le=MAX_ID, description="タイムラインのイベントの番号")
    pinned: bool = Field(default=True, description="false でピン留めを外します")


class CapturePost(BaseModel):
    """保存済みの投稿を 1 件保全する（「ソース:ID」、例: x:1234567890）。"""

    model_config = ConfigDict(extra="forbid")

    post_key: str = Field(min_length=1, max_length=600, pattern=NAME, description="投稿のキー（ソース:ID）")


class CaptureUrl(BaseModel):
    """ページを保全する（取得したままの HTML・本文・HTTP ヘッダー・スクリーンショット、それぞれハッシュ付き）。"""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=8, max_length=2000, pattern=r"^https?://\S+$", description="保全するページの URL"
    )
    screenshot: bool = Field(default=True, description="スクリーンショットも撮る")


class CaptureTop(BaseModel):
    """インシデントの期間で拡散の大きい投稿を上位 top 件保全する。"""

    model_config = ConfigDict(extra="forbid")

    top: int = Field(ge=1, le=MAX_TOP, description="件数")


EvidenceCapture = Annotated[
    CapturePost | CaptureUrl | CaptureTop,
    Field(description="post_key・url・top のどれか 1 つを指定します"),
]
