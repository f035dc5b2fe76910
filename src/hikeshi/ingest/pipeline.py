"""ingest → analyze → store, in batches that are each one transaction.

Why batches: a batch is analysed and written in one transaction, so a process killed at any moment (kill -9)
leaves whole batches behind; the next run skips every post already stored (by its stable key) without
analysing it again, and inserts the rest. Re-running the same import therefore adds nothing twice and loses
nothing. Why skip before analysing: analysis is the expensive part, so a resumed or repeated import costs
one key lookup per batch for the part already done.

Near-duplicates: every new post gets a `dup_group` (the key of the first post of its copy-paste or quote
group, `hikeshi.analysis.duplicates`), written right after its batch. Groups already stored never change;
posts stored earlier, by this run or an earlier one, are matched because the grouper is restored from the
watch's stored posts of the `DUP_WINDOW` before the first new post (lazily: a run that adds nothing reads
nothing). A post left without a group by a crash between the two writes is grouped by the next run that adds
posts in its window.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, cast

from hikeshi.errors import HikeshiError
from hikeshi.ingest.readers import READERS, detect_format, open_input
from hikeshi.ingest.records import BadRecord, IngestReport, ParsedRecord
from hikeshi.records import Analysis, Post, Watch
from hikeshi.store import Store

if TYPE_CHECKING:
    from hikeshi.analysis.duplicates import NearDuplicateGrouper

Analyzer = Callable[[Sequence[str]], list[Analysis]]
"""The batch analyzer signature of `hikeshi.analysis.analyze`: one Analysis per text, in order."""
DEFAULT_BATCH_SIZE = 500
DUP_WINDOW = dt.timedelta(days=7)
"""How far before a run's first new post stored posts are matched as near-duplicate originals."""
DUP_RESTORE_LIMIT = 50_000
"""At most this many stored posts (the newest of the window) are read back to restore the grouper."""


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


class DuplicateTracker:
    """Near-duplicate state of one watch: a grouper restored from the store on first use, then kept current.

    `ingest_posts` makes one per call; a long-running caller (the monitor daemon) may keep one per watch and
    pass it to every call, so that the stored window is read once instead of on every poll.
    """

    def __init__(self, store: Store, watch_name: str, window: dt.timedelta = DUP_WINDOW) -> None:
        self.store = store
        self.watch_name = watch_name
        self.window = window
        # Imported here, like the analyzer: importing hikeshi.analysis loads the models (about a second).
        from hikeshi.analysis.duplicates import NearDuplicateGrouper

        self.grouper: NearDuplicateGrouper = NearDuplicateGrouper()
        self._restored = False

    def assign(self, posts: Sequence[Post]) -> dict[tuple[str, str], str]:
        """Group ids for new posts (earliest first, so a group is named after its oldest post), plus any stored
        post of the restored window that had none yet."""
        if not posts:
            return {}
        groups = {} if self._restored else self._restore(min(post.created_at for post in posts))
        ordered = sorted(posts, key=lambda post: post.created_at)
        assigned = self.grouper.add_many((post.key, post.text) for post in ordered)
        for post, group in zip(ordered, assigned, strict=True):
            groups[(post.source, post.source_id)] = group
        return groups

    def _restore(self, first: dt.datetime) -> dict[tuple[str, str], str]:
        self._restored = True
        stored = self.store.search_posts(self.watch_name, since=first - self.window, limit=DUP_RESTORE_LIMIT)
        stored.reverse()  # oldest first, so that the earliest member of a group is indexed first
        restored = self.grouper.restore((hit.post.key, hit.post.text, hit.dup_group) for hit in stored)
        return {
            (hit.post.source, hit.post.source_id): group
            for hit, group in zip(stored, restored, strict=True)
            if hit.dup_group is None
        }


class DuplicateTrackers:
    """One DuplicateTracker per watch for a long-running process (the web intake), rebuilt from the store
    once it is `max_age` old, so posts ingested by other processes are picked up and memory stays bounded.

    `use(watch)` is a context manager that also serialises calls for one watch.
    """

    def __init__(self, store: Store, max_age: dt.timedelta = dt.timedelta(hours=1)) -> None:
        self.store = store
        self.max_age = max_age
        self._entries: dict[str, tuple[dt.datetime, DuplicateTracker, threading.Lock]] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def use(self, watch_name: str, now: dt.datetime | None = None) -> Iterator[DuplicateTracker]:
        moment = now or dt.datetime.now(dt.UTC)
        with self._lock:
            entry = self._entries.get(watch_name)
            if entry is None or moment - entry[0] > self.max_age:
                entry = (moment, DuplicateTracker(self.store, watch_name), threading.Lock())
                self._entries[watch_name] = entry
        with entry[2]:
            yield entry[1]


def ingest_posts(
    store: Store,
    watch: Watch,
    records: Iterable[ParsedRecord],
    *,
    analyzer: Analyzer | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_bad: Callable[[BadRecord], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    group_duplicates: bool = True,
    duplicates: DuplicateTracker | None = None,
) -> IngestReport:
    """Store the posts among `records` (bad ones are reported and skipped), analysing each new one first.

    With `group_duplicates` (the default) each new post also gets its near-duplicate group; `duplicates`
    reuses a tracker across calls.
    """
    analyze = analyzer or default_analyzer()
    tracker = duplicates or (DuplicateTracker(store, watch.name) if group_duplicates else None)
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
            _store_batch(store, watch.name, batch, analyze, report, tracker)
            batch = []
        if on_progress is not None:
            on_progress(1)
    if batch:
        _store_batch(store, watch.name, batch, analyze, report, tracker)
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
    group_duplicates: bool = True,
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
            group_duplicates=group_duplicates,
        )
    finally:
        if path != "-":
            handle.close()


def _store_batch(
    store: Store,
    watch_name: str,
    batch: list[Post],
    analyze: Analyzer,
    report: IngestReport,
    tracker: DuplicateTracker | None,
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
    groups = tracker.assign(new_posts) if tracker is not None else {}
    inserted = store.add_posts(watch_name, new_posts, analyses)
    if groups:
        store.set_dup_groups(watch_name, groups)
    report.inserted += inserted
    report.duplicates += len(batch) - inserted
