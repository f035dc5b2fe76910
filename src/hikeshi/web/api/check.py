"""POST /api/check and /api/check/batch: the pre-send guard (`hikeshi.guard.check_many`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, status

from hikeshi.guard import check_many
from hikeshi.records import Verdict
from hikeshi.store.accounts import Role
from hikeshi.web.api.common import SettingsDep
from hikeshi.web.auth import require_api_user
from hikeshi.web.schemas import BatchCheckIn, BatchCheckOut, CheckIn, CheckResult

router = APIRouter(tags=["送信前チェック"], dependencies=[Depends(require_api_user(Role.ANALYST))])


@router.post(
    "/check",
    summary="下書きを送信前チェックする",
    description="危険度（ok / caution / danger）、危険な箇所（文字位置）と理由、穏当な言い換え案を返します。",
)
def check_draft(draft: Annotated[CheckIn, Body()]) -> Verdict:
    return check_many([draft.to_request()])[0]


@router.post(
    "/check/batch",
    summary="複数の下書きをまとめてチェックする",
    description="入力と同じ順序で判定を返します。1 回の件数には上限（設定 max_check_batch、既定 100）があります。",
)
def check_batch(batch: BatchCheckIn, settings: SettingsDep) -> BatchCheckOut:
    if len(batch.items) > settings.max_check_batch:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"1 回にチェックできるのは {settings.max_check_batch} 件までです（{len(batch.items)} 件が送られました）。",
        )
    verdicts = check_many([item.to_request() for item in batch.items])
    return BatchCheckOut(
        results=[
            CheckResult(id=item.id, **verdict.model_dump())
            for item, verdict in zip(batch.items, verdicts, strict=True)
        ]
    )
