"""Generators of the documentation's reference pages (used by scripts/docs_hook.py, the mkdocs hook)."""
