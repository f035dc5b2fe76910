"""What every API route shares: the documented error answers and the store/watch dependencies."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.routing import APIRoute
from starlette.responses import Response

from hikeshi.errors import InputError
from hikeshi.records import Watch
from hikeshi.settings import Settings
from hikeshi.store import Store
from hikeshi.store.base import no_watch_message
from hikeshi.untrusted_json import loads_array_body
from hikeshi.web.schemas import ErrorBody, ValidationErrorBody

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "処理できない入力（理由は detail）"},
    401: {"model": ErrorBody, "description": "認証が必要、またはトークンが無効"},
    403: {"model": ErrorBody, "description": "権限が足りない、または CSRF トークンがない"},
    413: {"model": ErrorBody, "description": "本文が大きすぎる"},
    422: {"model": ValidationErrorBody, "description": "入力の形式が正しくない"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "ウォッチがない"}}


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def existing_watch(
    store: StoreDep, name: Annotated[str, Path(min_length=1, max_length=200, description="ウォッチ名")]
) -> Watch:
    """The watch named in the path, or 404 with the same Japanese message as the CLI."""
    watch = store.find_watch(name)
    if watch is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, no_watch_message(name))
    return watch


WatchDep = Annotated[Watch, Depends(existing_watch)]


class ItemwiseJsonRequest(Request):
    """A request whose JSON body survives one item nested too deep for `json.loads` (see `loads_array_body`)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = loads_array_body(await self.body())
            except InputError as error:
                raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
        return self._json


class ItemwiseJsonRoute(APIRoute):
    """Routes that take batches from outside (post intake): a bad item is reported, the others are kept."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            return await handler(ItemwiseJsonRequest(request.scope, request.receive))

        return handle
