"""Request and response bodies of the REST API that are not already records of the library.

Library records (Verdict, Watch, Signal, StoredPost, IntakeResult, ...) are returned as they are, so the
API, the CLI's JSON output and the Python API share one shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hikeshi.guard import CheckContext, CheckRequest
from hikeshi.records import Audience, Channel, Verdict
from hikeshi.store import StoredPost
from hikeshi.store.accounts import Role

MAX_DRAFT_CHARS = 20_000
MAX_BATCH_ITEMS = 1_000
"""Hard cap of the schema; `Settings.max_check_batch` (default 100) is the limit actually enforced."""


class ErrorBody(BaseModel):
    detail: str = Field(description="何が問題で、どうすればよいか（日本語）")


class FieldError(BaseModel):
    loc: list[str | int] = Field(description='問題のある項目の位置（例: ["body", "text"]）')
    msg: str = Field(description="理由（日本語）")
    type: str = Field(description="エラーの種類（pydantic の型名）")


class ValidationErrorBody(BaseModel):
    detail: str = Field(description="全体の説明（日本語）")
    errors: list[FieldError] = Field(default_factory=list, description="項目ごとの理由")


class CheckIn(BaseModel):
    """送信前チェックする下書き 1 件。"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "先にわかっていたら会社や私も無駄な時間は使わない",
                    "channel": "line",
                    "audience": "customer",
                }
            ]
        },
    )

    text: str = Field(min_length=1, max_length=MAX_DRAFT_CHARS, description="下書きの本文")
    channel: Channel | None = Field(
        default=None, description="送信先のチャネル（省略時は公開投稿とみなします）"
    )
    audience: Audience | None = Field(default=None, description="読み手（customer, public, internal）")
    date: dt.date | None = Field(
        default=None, description="投稿予定日（3/11 など配慮が必要な日の判定に使います）"
    )

    def to_request(self) -> CheckRequest:
        return CheckRequest(
            text=self.text, context=CheckContext(channel=self.channel, audience=self.audience, date=self.date)
        )


class BatchCheckItem(CheckIn):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None, max_length=200, description="呼び出し側の識別子（結果にそのまま返します）"
    )


class BatchCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BatchCheckItem] = Field(
        min_length=1,
        max_length=MAX_BATCH_ITEMS,
        description="下書きの配列（件数の上限は設定 max_check_batch）",
    )


class CheckResult(Verdict):
    """One verdict of a batch, with the caller's id."""

    id: str | None = None


class BatchCheckOut(BaseModel):
    results: list[CheckResult] = Field(description="入力と同じ順序の判定")


class PostPage(BaseModel):
    """One page of a watch's posts, newest first."""

    items: list[StoredPost]
    limit: int
    offset: int
    next_offset: int | None = Field(description="次のページの offset（これが最後のページなら null）")


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    role: Role = Role.VIEWER
    password: str = Field(min_length=8, max_length=1024)


class UserOut(BaseModel):
    name: str
    role: Role
    created_at: AwareDatetime


class Me(BaseModel):
    name: str
    role: Role
    via: str = Field(description="session（ブラウザ）または token（API トークン）")


# --- validation errors in Japanese -----------------------------------------------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "必須の項目です。",
    "extra_forbidden": "この項目は受け付けていません。",
    "string_type": "文字列にしてください。",
    "string_unicode": "UTF-8 で表せない文字（対になっていないサロゲート）があります。",
    "string_too_short": "短すぎます（{min_length} 文字以上）。",
    "string_too_long": "長すぎます（{max_length} 文字以内）。",
    "too_short": "少なすぎます（{min_length} 件以上）。",
    "too_long": "多すぎます（{max_length} 件以内）。",
    "int_parsing": "整数で指定してください。",
    "int_type": "整数で指定してください。",
    "float_parsing": "数値で指定してください。",
    "float_type": "数値で指定してください。",
    "bool_parsing": "true か false で指定してください。",
    "greater_than_equal": "{ge} 以上にしてください。",
    "less_than_equal": "{le} 以下にしてください。",
    "greater_than": "{gt} より大きくしてください。",
    "less_than": "{lt} より小さくしてください。",
    "enum": "次のいずれかにしてください: {expected}。",
    "literal_error": "次のいずれかにしてください: {expected}。",
    "date_from_datetime_parsing": "日付は YYYY-MM-DD で指定してください。",
    "date_parsing": "日付は YYYY-MM-DD で指定してください。",
    "date_type": "日付は YYYY-MM-DD で指定してください。",
    "datetime_parsing": "日時は ISO 8601（例: 2026-12-01T09:00:00+09:00）で指定してください。",
    "datetime_from_date_parsing": "日時は ISO 8601（例: 2026-12-01T09:00:00+09:00）で指定してください。",
    "datetime_type": "日時は ISO 8601（例: 2026-12-01T09:00:00+09:00）で指定してください。",
    "timezone_aware": "日時にはタイムゾーン（例: +09:00）を付けてください。",
    "json_invalid": "JSON として読めません。",
    "json_type": "JSON として読めません。",
    "model_type": "オブジェクト {...} にしてください。",
    "model_attributes_type": "オブジェクト {...} にしてください。",
    "dict_type": "オブジェクト {...} にしてください。",
    "list_type": "配列 [...] にしてください。",
}
_LOCATIONS = {"body": "本文", "query": "クエリ", "path": "パス", "header": "ヘッダー", "cookie": "クッキー"}


def _message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", "値が正しくありません。"))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return str(error.get("msg", "値が正しくありません。"))


def _where(loc: Sequence[str | int]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        place = _LOCATIONS[parts[0]]
        rest = ".".join(parts[1:])
        return f"{place}の {rest}" if rest else place
    return ".".join(parts)


def validation_error_body(errors: Sequence[Any]) -> ValidationErrorBody:
    """FastAPI's validation errors as one Japanese sentence plus one entry per field."""
    fields: list[FieldError] = []
    for error in errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        fields.append(FieldError(loc=loc, msg=_message(error), type=str(error.get("type", ""))))
    shown = "; ".join(f"{_where(field.loc)}: {field.msg}" for field in fields[:5])
    more = f"（ほか {len(fields) - 5} 件）" if len(fields) > 5 else ""
    return ValidationErrorBody(detail=f"入力が正しくありません。{shown}{more}", errors=fields)
