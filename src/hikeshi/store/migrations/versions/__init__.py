"""Migration scripts, one per schema change, each written for SQLite and PostgreSQL alike."""
