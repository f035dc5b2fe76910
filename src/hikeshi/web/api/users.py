"""/api/me and /api/users: who is calling, and user management for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, status

from hikeshi.store.accounts import Role
from hikeshi.web import security
from hikeshi.web.auth import CurrentUser, accounts_of, require_api_user
from hikeshi.web.schemas import Me, UserIn, UserOut

router = APIRouter(tags=["ユーザー"])
admin = [Depends(require_api_user(Role.ADMIN))]


@router.get("/me", summary="呼び出し元（ユーザーまたはトークン）と権限")
def me(user: Annotated[CurrentUser, Depends(require_api_user(Role.VIEWER))]) -> Me:
    return Me(name=user.name, role=user.role, via=user.via)


@router.get("/users", summary="ユーザーの一覧（管理者）", dependencies=admin)
def list_users(request: Request) -> list[UserOut]:
    return [
        UserOut(name=user.name, role=user.role, created_at=user.created_at)
        for user in accounts_of(request).list_users()
    ]


@router.post(
    "/users",
    summary="ユーザーを追加する（管理者）",
    status_code=status.HTTP_201_CREATED,
    dependencies=admin,
    responses={409: {"description": "同じ名前のユーザーがいる"}},
)
def add_user(body: UserIn, request: Request) -> UserOut:
    accounts = accounts_of(request)
    if accounts.find_user(body.name.strip()) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"ユーザー「{body.name.strip()}」は既にいます。")
    user = security.create_user(accounts, body.name, body.role, body.password)
    return UserOut(name=user.name, role=user.role, created_at=user.created_at)


@router.delete(
    "/users/{user_name}",
    summary="ユーザーを削除する（管理者）",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=admin,
    responses={404: {"description": "ユーザーがいない"}},
)
def remove_user(user_name: Annotated[str, Path(min_length=1, max_length=100)], request: Request) -> None:
    accounts = accounts_of(request)
    if accounts.find_user(user_name) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"ユーザー「{user_name}」はいません。")
    accounts.remove_user(user_name)
