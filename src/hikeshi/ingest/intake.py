"""Intake for third-party collectors: a batch of post objects in, per-item errors and counts out.

This is the function the web API exposes (POST a JSON array). It shares validation, exclusion, analysis and
idempotent storage with the file import, so a collector that retries a batch after a timeout adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from hikeshi.errors import HikeshiError, InputError
from hikeshi.ingest.parse import post_from_record
from hikeshi.ingest.pipeline import Analyzer, DuplicateTracker, ingest_posts
from hikeshi.ingest.records import IntakeError, IntakeResult, ParsedRecord
from hikeshi.store import Store
from hikeshi.untrusted_json import UnreadableValue, check_untrusted

INTAKE_SOURCE = "intake"
MAX_INTAKE_ITEMS = 10_000


def intake_posts(
    store: Store,
    watch_name: str,
    payload: Sequence[Any],
    *,
    analyzer: Analyzer | None = None,
    now: dt.datetime | None = None,
    duplicates: DuplicateTracker | None = None,
) -> IntakeResult:
    """Validate each item (Post fields; source defaults to "intake"), store the good ones, report the rest.

    Raises InputError when the watch does not exist or the payload is too large; a bad item (wrong types, a
    lone surrogate such as "\\ud800" anywhere in it, nesting deeper than `untrusted_json.MAX_DEPTH`) never
    fails the whole batch.
    """
    watch = store.get_watch(watch_name)
    if len(payload) > MAX_INTAKE_ITEMS:
        raise InputError(
            f"1 回に送れるのは {MAX_INTAKE_ITEMS:,} 件までです（{len(payload):,} 件が送られました）。"
        )
    fetched_at = now or dt.datetime.now(dt.UTC)
    records: list[ParsedRecord] = []
    for index, item in enumerate(payload):
        line = index + 1
        if isinstance(item, UnreadableValue):  # the body parser could not read this item (see the web API)
            records.append(ParsedRecord(line, error=item.message))
            continue
        if not isinstance(item, dict):
            records.append(ParsedRecord(line, error="各要素は投稿のオブジェクト {...} にしてください。"))
            continue
        try:
            check_untrusted(item)  # the body parser let it through; nesting and lone surrogates fail here
            records.append(ParsedRecord(line, post=post_from_record(item, INTAKE_SOURCE, fetched_at)))
        except HikeshiError as error:
            records.append(ParsedRecord(line, error=str(error)))
    report = ingest_posts(
        store, watch, records, analyzer=analyzer, batch_size=max(len(records), 1), duplicates=duplicates
    )
    return IntakeResult(
        received=len(payload),
        inserted=report.inserted,
        duplicates=report.duplicates,
        excluded=report.excluded,
        errors=[IntakeError(index=bad.line - 1, message=bad.message) for bad in report.bad],
    )
