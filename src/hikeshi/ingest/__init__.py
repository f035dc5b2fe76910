"""Ingestion: files (JSON lines, CSV, review exports) and third-party batches → analysis → store.

`ingest_file(store, watch, path)` and `intake_posts(store, watch, payload)` share one pipeline whose batches
are single transactions keyed by each post's stable key, so repeating or resuming an import is safe.
"""

from hikeshi.ingest.intake import intake_posts
from hikeshi.ingest.parse import content_key, parse_time, post_from_record
from hikeshi.ingest.pipeline import Analyzer, default_analyzer, ingest_file, ingest_posts, is_excluded
from hikeshi.ingest.records import BadRecord, IngestReport, IntakeError, IntakeResult, ParsedRecord

__all__ = [
    "Analyzer",
    "BadRecord",
    "IngestReport",
    "IntakeError",
    "IntakeResult",
    "ParsedRecord",
    "content_key",
    "default_analyzer",
    "ingest_file",
    "ingest_posts",
    "intake_posts",
    "is_excluded",
    "parse_time",
    "post_from_record",
]
