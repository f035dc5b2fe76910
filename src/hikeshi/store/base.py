"""`StoreBase`: the engine, migrations on open, and the helpers every part of the store shares."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from hikeshi.errors import InputError
from hikeshi.settings import Settings
from hikeshi.store.engine import IMMEDIATE_OPTION, make_engine
from hikeshi.store.migrate import upgrade
from hikeshi.store.models import Base, WatchRow


class StoreBase:
    """Opens the database (applying pending migrations) and resolves watch names to row ids."""

    def __init__(self, database_url: str, *, migrate: bool = True) -> None:
        self.database_url = database_url
        self.engine: Engine = make_engine(database_url)
        self.dialect = self.engine.dialect.name
        # Writes take SQLite's write lock when they begin, so two writers (the daemon and an import) queue on
        # the busy timeout instead of failing to upgrade a read lock halfway through a batch.
        self.writer: Engine = self.engine.execution_options(**{IMMEDIATE_OPTION: True})
        if migrate:
            try:
                upgrade(self.engine)
            except OperationalError as error:
                self.engine.dispose()
                raise InputError(
                    f"データベース {self.engine.url.render_as_string(hide_password=True)} を開けません: "
                    f"{str(error.orig).strip().splitlines()[0] if error.orig else error}"
                ) from None

    @classmethod
    def open(cls, settings: Settings) -> Self:
        return cls(settings.database_url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _watch_id(self, connection: Connection, name: str) -> int:
        watch_id = connection.scalar(select(WatchRow.id).where(WatchRow.name == name))
        if watch_id is None:
            raise InputError(no_watch_message(name))
        return watch_id

    def _insert(self, table: type[Base]) -> sqlite.Insert | postgresql.Insert:
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)


def no_watch_message(name: str) -> str:
    return f"ウォッチ「{name}」はありません。`hikeshi watch list` で確認するか、`hikeshi watch add` で作成してください。"
