"""Alembic environment: runs on the connection that `hikeshi.store.migrate` hands over.

Run from the `alembic` command line (for writing a new revision), it opens `sqlalchemy.url` itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from hikeshi.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///hikeshi.sqlite3")
    with engine.connect() as new_connection:
        _run(new_connection)
