"""Substring search over post text that uses each backend's index: SQLite FTS5 trigram, PostgreSQL pg_trgm.

Japanese has no spaces between words, so a word index would need a segmenter whose boundaries rarely match
what people type (「不買」 inside 「不買運動」). Trigram indexes find any substring of three or more characters;
shorter terms (「炎上」 is two) fall back to LIKE, which is exact but scans.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, and_, column, true
from sqlalchemy import text as sql_text

from hikeshi.store.models import PostRow

TRIGRAM = 3


def split_query(query: str) -> list[str]:
    """Whitespace (including the full-width space) separates terms; all terms must occur."""
    return [term for term in query.replace("\u3000", " ").split() if term]


def text_condition(dialect: str, query: str) -> ColumnElement[bool]:
    terms = split_query(query)
    if not terms:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if dialect == "sqlite":
        long_terms = [term for term in terms if len(term) >= TRIGRAM]
        if long_terms:
            match = " AND ".join('"' + term.replace('"', '""') + '"' for term in long_terms)
            rowids = (
                sql_text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts_query")
                .bindparams(fts_query=match)
                .columns(column("rowid", Integer))
            )
            conditions.append(PostRow.id.in_(rowids))
        conditions.extend(
            PostRow.text.like(f"%{_escape_like(term)}%", escape="\\") for term in terms if len(term) < TRIGRAM
        )
    elif dialect == "postgresql":
        # ILIKE is what the gin_trgm_ops index accelerates; it is also case-insensitive for Latin names.
        conditions.extend(PostRow.text.ilike(f"%{_escape_like(term)}%", escape="\\") for term in terms)
    else:
        conditions.extend(PostRow.text.like(f"%{_escape_like(term)}%", escape="\\") for term in terms)
    return and_(*conditions)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
