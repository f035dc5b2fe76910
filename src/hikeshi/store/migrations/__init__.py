"""Alembic migrations for the hikeshi store, shipped inside the package and applied when a Store opens."""
