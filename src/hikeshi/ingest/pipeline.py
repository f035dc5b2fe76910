"""ingest → analyze → store, in batches that are each one transaction.

Why batches: a batch is analysed and written in one transaction, so a process killed at any moment (kill -9)
leaves whole batches behind; the next run skips every post already stored (by its stable key) without
analysing it again, and inserts the rest. Re-running the same import therefore adds nothing twice and loses
nothing. Why skip before analysing: analysis is the expensive part, so a resumed or repeated import costs
one key lookup per batch for the part already done.
"""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import cast

from hikeshi.errors import HikeshiError
from hikeshi.ingest.readers import READERS, detect_format, open_input
from hikeshi.ingest.records import BadRecord, IngestReport, ParsedRecord
from hikeshi.records import Analysis, Post, Watch
from hikeshi.store import Store

Analyzer = Callable[[Sequence[str]], list[Analysis]]
"""The batch analyzer signature of `hikeshi.analysis.analyze`: one Analysis per text, in order."""
DEFAULT_BATCH_SIZE = 500


class AnalyzerError(HikeshiError):
    """The analysis module is missing or returned something other than one Analysis per text."""


def default_analyzer() -> Analyzer:
    """`hikeshi.analysis.analyze`, the analyzers the guard shares; imported late so the store works without it."""
    try:
        module = importlib.import_module("hikeshi.analysis")
        return cast(Analyzer, module.analyze)
    except (ImportError, AttributeError) as error:
        raise AnalyzerError(f"分析モジュール (hikeshi.analysis.analyze) を読み込めません: {error}") from None


def is_excluded(text: str, exclude: Sequence[str]) -> bool:
    """True when the text contains an exclusion term, compared after NFKC and case folding.

    >>> is_excluded("ナミキ住宅ｷｬﾝﾍﾟｰﾝ", ["キャンペーン"])
    True
    """
    if not exclude:
        return False
    folded = _fold(text)
    return any(_fold(term) in folded for term in exclude if term.strip())


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def ingest_posts(
    store: Store,
    watch: Watch,
    records: Iterable[ParsedRecord],
    *,
    analyzer: Analyzer | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_bad: Callable[[BadRecord], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Store the posts among `records` (bad ones are reported and skipped), analysing each new one first."""
    analyze = analyzer or default_analyzer()
    report = IngestReport()
    batch: list[Post] = []
    for record in records:
        report.read += 1
        if record.post is None:
            bad = BadRecord(line=record.line, message=record.error or "読めないレコードです。")
            report.bad.append(bad)
            if on_bad is not None:
                on_bad(bad)
        elif is_excluded(record.post.text, watch.exclude):
            report.excluded += 1
        else:
            batch.append(record.post)
        if len(batch) >= batch_size:
            _store_batch(store, watch.name, batch, analyze, report)
            batch = []
        if on_progress is not None:
            on_progress(1)
    if batch:
        _store_batch(store, watch.name, batch, analyze, report)
    return report


def ingest_file(
    store: Store,
    watch_name: str,
    path: str,
    *,
    file_format: str | None = None,
    analyzer: Analyzer | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_bad: Callable[[BadRecord], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> IngestReport:
    """Import a JSON-lines, CSV or review-CSV file (`-` is standard input) into a watch."""
    watch = store.get_watch(watch_name)
    analyze = analyzer or default_analyzer()
    fetched_at = now or dt.datetime.now(dt.UTC)
    handle = open_input(path)
    try:
        if file_format is None:
            head = handle.peek(65536)[:65536] if hasattr(handle, "peek") else b""
            file_format = detect_format(path, head)
        reader = READERS[file_format]
        return ingest_posts(
            store,
            watch,
            reader(handle, fetched_at),
            analyzer=analyze,
            batch_size=batch_size,
            on_bad=on_bad,
            on_progress=on_progress,
        )
    finally:
        if path != "-":
            handle.close()


def _store_batch(
    store: Store, watch_name: str, batch: list[Post], analyze: Analyzer, report: IngestReport
) -> None:
    unique: dict[tuple[str, str], Post] = {}
    for post in batch:
        unique.setdefault((post.source, post.source_id), post)
    stored = store.existing_post_keys(watch_name, unique)
    new_posts = [post for key, post in unique.items() if key not in stored]
    analyses = analyze([post.text for post in new_posts]) if new_posts else []
    if len(analyses) != len(new_posts):
        raise AnalyzerError(
            f"分析結果の件数 ({len(analyses)}) が投稿の件数 ({len(new_posts)}) と一致しません。"
        )
    inserted = store.add_posts(watch_name, new_posts, analyses)
    report.inserted += inserted
    report.duplicates += len(batch) - inserted
