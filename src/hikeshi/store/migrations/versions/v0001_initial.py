"""Initial schema: watches, posts (+ full-text index), analyses, signals, sources, suggest snapshots.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)

# SQLite: an external-content FTS5 table with the trigram tokenizer, so that any substring of three or more
# characters (「不買運動」 inside 「ナミキ住宅の不買運動が」) is found without a word segmenter; triggers keep it in sync.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE posts_fts USING fts5(text, content='posts', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
         INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text);
       END""",
    """CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
         INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
       END""",
    """CREATE TRIGGER posts_fts_update AFTER UPDATE OF text ON posts BEGIN
         INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
         INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text);
       END""",
]
# PostgreSQL: pg_trgm (a trusted extension since PostgreSQL 13) with a GIN index serves ILIKE '%…%'.
POSTGRES_FTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_posts_text_trgm ON posts USING gin (text gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        "watches",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("exclude", sa.JSON(), nullable=False),
        sa.Column("risk_terms", sa.JSON(), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_table(
        "posts",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("watch_id", BIG_ID, sa.ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("source_id", sa.String(500), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("author", sa.String(500)),
        sa.Column("author_followers", sa.BigInteger()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("fetched_at", TIME),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("parent_id", sa.String(500)),
        sa.Column("quote_id", sa.String(500)),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("rating", sa.Float()),
        sa.Column("dup_group", sa.String(100)),
        sa.UniqueConstraint("watch_id", "source", "source_id", name="uq_posts_watch_source_id"),
    )
    op.create_index("ix_posts_watch_created", "posts", ["watch_id", "created_at"])
    op.create_table(
        "analyses",
        sa.Column("post_id", BIG_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("negative", sa.Float(), nullable=False),
        sa.Column("neutral", sa.Float(), nullable=False),
        sa.Column("positive", sa.Float(), nullable=False),
        sa.Column("sentiment_label", sa.String(10), nullable=False),
        sa.Column("emotions", sa.JSON(), nullable=False),
        sa.Column("harm", sa.JSON(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("model_versions", sa.JSON(), nullable=False),
    )
    op.create_index("ix_analyses_sentiment_label", "analyses", ["sentiment_label"])
    op.create_table(
        "signals",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("watch_id", BIG_ID, sa.ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("window_start", TIME, nullable=False),
        sa.Column("detected_at", TIME, nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.UniqueConstraint("watch_id", "kind", "window_start", name="uq_signals_watch_kind_window"),
    )
    op.create_table(
        "sources",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("watch_id", BIG_ID, sa.ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("last_polled_at", TIME),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_index("ix_sources_watch_id", "sources", ["watch_id"])
    op.create_table(
        "suggest_snapshots",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("watch_id", BIG_ID, sa.ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("engine", sa.String(50), nullable=False),
        sa.Column("query", sa.String(500), nullable=False),
        sa.Column("taken_at", TIME, nullable=False),
        sa.Column("suggestions", sa.JSON(), nullable=False),
    )
    op.create_index(
        "ix_suggest_watch_engine_query_taken",
        "suggest_snapshots",
        ["watch_id", "engine", "query", "taken_at"],
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("posts_fts_insert", "posts_fts_delete", "posts_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS posts_fts")
    for table in ("suggest_snapshots", "sources", "signals", "analyses", "posts", "watches"):
        op.drop_table(table)
