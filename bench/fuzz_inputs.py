"""Fuzzing the input edges with hypothesis: does any input make a parser or the guard raise something other than
a `HikeshiError` (or break its per-line contract)?

Targets, each given generated inputs built from real Japanese posts, arbitrary unicode including lone
surrogates, JSON nested up to 200,000 deep, wrong types in every field, raw bytes and mutated lines:

- jsonlines: `hikeshi.cli.jsonlines.read_json_lines` (check/analyze --jsonl) plus the fields those commands read
- ingest-jsonl: `hikeshi.ingest.readers.read_jsonl` (`hikeshi ingest` of a JSON-lines file)
- ingest-record: `hikeshi.ingest.parse.post_from_record` on generated records
- ingest-csv: `read_csv` and `read_review_csv` on generated CSV bytes (UTF-8, broken UTF-8, Shift_JIS)
- intake: the web API's body parser (`loads_array_body`) then `intake_posts` into a temporary SQLite store
- guard: `Guard.check` on arbitrary text and contexts
- analysis: `hikeshi.analysis.analyze` on the same texts (batch-first: one bad text would lose the batch)

A crash is any other exception, or a broken contract: a record or message that cannot be encoded as UTF-8
(it would fail when printed or stored), counts that do not add up, finding offsets outside the text.
Only the generate phase runs (no shrinking), so every input counts and the run time is predictable.
This is a benchmark, not a test: it prints figures and never fails; pytest does not collect it.

    .venv/bin/python bench/fuzz_inputs.py --examples 20000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from _data import benchmark_texts
from hikeshi.analysis import analyze
from hikeshi.cli.check import _record_context
from hikeshi.cli.jsonlines import read_json_lines, record_text
from hikeshi.errors import HikeshiError
from hikeshi.guard import CheckContext, default_guard
from hikeshi.ingest import intake_posts, post_from_record
from hikeshi.ingest.pipeline import DuplicateTracker
from hikeshi.ingest.readers import READERS, detect_format, read_jsonl
from hikeshi.records import Analysis, Audience, Channel, Emotions, Post, Sentiment, Watch
from hikeshi.store import Store
from hikeshi.untrusted_json import loads_array_body

DEFAULT_EXAMPLES = 1_000_000
FETCHED = dt.datetime(2026, 5, 10, tzinfo=dt.UTC)
WATCH = "ナミキ住宅"
PHRASES = [
    "ナミキ住宅の営業、先にわかっていたら無駄な時間は使わないって言われた",
    "二度と来ないでください",
    "ナミキ住宅で建てて本当に良かった。担当さんありがとう",
    "常識的に考えてわかりますよね？",
    "本日限定！全品半額セール♪",
    "🙇‍♂️(´;ω;`)ｳｯ…",
    "ﾅﾐｷ住宅ｷｬﾝﾍﾟｰﾝ ＃PR",
]
FIELDS = [
    "id",
    "text",
    "created_at",
    "source",
    "source_id",
    "author",
    "author_followers",
    "url",
    "metrics",
    "likes",
    "reposts",
    "views",
    "parent_id",
    "quote_id",
    "language",
    "rating",
    "reply",
    "fetched_at",
    "channel",
    "audience",
    "date",
]

# --- strategies ------------------------------------------------------------------------------------------------

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
any_character = st.characters(exclude_categories=())  # every code point, lone surrogates included


def _phrases() -> list[str]:
    return PHRASES + [text for text in benchmark_texts()[:300] if text.strip()]


def _splice(base: str, insert: str, at: int) -> str:
    position = at % (len(base) + 1)
    return base[:position] + insert + base[position:]


def _strategies() -> dict[str, Any]:
    japanese = st.sampled_from(_phrases())
    texts = st.one_of(
        japanese,
        st.text(any_character, max_size=60),
        st.builds(_splice, japanese, st.text(surrogates, min_size=1, max_size=2), st.integers(0, 400)),
        st.builds(_splice, japanese, st.text(any_character, max_size=8), st.integers(0, 400)),
    )
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        texts,
    )
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
        max_leaves=5,
    )
    times = st.one_of(
        st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
            dt.datetime.isoformat
        ),
        st.sampled_from(
            ["2026-05-01T10:00:00+09:00", "2026/05/01 10:00", "2026年5月1日", "2026-05-01T01:00:00Z"]
        ),
        st.integers(-(2**40), 2**40),
        st.floats(),
        values,
    )
    plausible = {
        "text": texts,
        "created_at": times,
        "fetched_at": times,
        "date": times,
        "channel": st.sampled_from([*(channel.value for channel in Channel), "fax"]) | values,
        "audience": st.sampled_from([*(audience.value for audience in Audience), "everyone"]) | values,
        "metrics": st.dictionaries(
            st.sampled_from(["likes", "reposts", "replies", "views", "x"]), values, max_size=4
        )
        | texts,
    }
    records = st.builds(
        lambda text, created_at, known, extra: {"text": text, "created_at": created_at, **known, **extra},
        texts,
        times,
        st.dictionaries(
            st.sampled_from(FIELDS),
            st.one_of(*{id(v): v for v in plausible.values()}.values(), values),
            max_size=3,
        ),
        st.dictionaries(texts, values, max_size=1),
    )
    deep = st.builds(
        lambda opener, depth, inner: opener * depth + inner + _closer(opener) * depth,
        st.sampled_from(["[", '{"a":', '{"text":[']),
        st.one_of(st.integers(0, 300), st.sampled_from([999, 1_000, 5_000, 100_000, 200_000])),
        st.sampled_from(["1", '"炎上"', "", "[]"]),
    )
    record_lines = st.builds(_dump, records, st.booleans())
    lines = st.one_of(
        record_lines,
        record_lines,
        deep.map(str.encode),
        st.binary(max_size=80),
        st.builds(
            lambda line, junk, at: _splice_bytes(line, junk, at),
            record_lines,
            st.binary(max_size=4),
            st.integers(),
        ),
        values.map(lambda value: _dump(value, True)),
    )
    files = st.lists(lines, min_size=1, max_size=5).map(lambda chunk: b"\n".join(chunk) + b"\n")
    bodies = st.lists(
        st.one_of(record_lines, record_lines, deep.map(str.encode), values.map(lambda v: _dump(v, True))),
        max_size=6,
    ).map(lambda items: b"[" + b",".join(items) + b"]")
    headers = st.lists(
        st.sampled_from(
            [
                "text",
                "created_at",
                "source_id",
                "author",
                "rating",
                "評価",
                "本文",
                "投稿日",
                "返信",
                "likes",
                "metrics",
            ]
        ),
        min_size=1,
        max_size=6,
    )
    csv_files = st.builds(
        _csv_bytes,
        headers,
        st.lists(st.lists(texts, max_size=7), max_size=4),
        st.sampled_from(["utf-8", "cp932", "utf-8-sig"]),
    )
    contexts = st.builds(
        CheckContext,
        channel=st.none() | st.sampled_from(list(Channel)),
        audience=st.none() | st.sampled_from(list(Audience)),
        date=st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    )
    return {
        "texts": texts,
        "records": records,
        "files": files,
        "bodies": bodies,
        "csv": csv_files,
        "contexts": contexts,
    }


def _closer(opener: str) -> str:
    return {"[": "]", '{"a":': "}", '{"text":[': "]}"}[opener]


def _dump(value: Any, ascii_only: bool) -> bytes:
    # Lone surrogates: as \\ud800 escapes (valid JSON) or, without ensure_ascii, as CESU-like invalid UTF-8.
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def _splice_bytes(line: bytes, junk: bytes, at: int) -> bytes:
    position = at % (len(line) + 1)
    return line[:position] + junk + line[position:]


def _csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, "surrogatepass" if encoding != "cp932" else "replace")


# --- contracts -------------------------------------------------------------------------------------------------


class Broken(Exception):
    """A contract was broken without an exception (counted as a crash)."""


def _printable(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Broken(f"{what} cannot be encoded as UTF-8") from None


def _storable(post: Post) -> None:
    for name, value in post.model_dump().items():
        if isinstance(value, str):
            _printable(value, f"Post.{name}")


def drive_jsonlines(data: bytes, _: Any) -> int:
    count = 0
    for line in read_json_lines(io.BytesIO(data)):
        count += 1
        if line.record is None:
            _printable(line.error or "", "error message")
            json.dumps(line.record_id, ensure_ascii=False).encode("utf-8")
            continue
        json.dumps(line.record_id, sort_keys=True, ensure_ascii=False).encode(
            "utf-8"
        )  # the repeated-id check
        try:
            _printable(record_text(line.record), "text")
            _record_context(line.record)
        except HikeshiError as error:
            _printable(str(error), "error message")
    return count


def drive_ingest_jsonl(data: bytes, _: Any) -> int:
    count = 0
    for record in read_jsonl(io.BytesIO(data), FETCHED):
        count += 1
        if record.post is not None:
            _storable(record.post)
        else:
            _printable(record.error or "", "error message")
    return count


def drive_ingest_record(record: dict[str, Any], _: Any) -> int:
    try:
        _storable(post_from_record(record, "jsonl", FETCHED))
    except HikeshiError as error:
        _printable(str(error), "error message")
    return 1


def drive_ingest_csv(data: bytes, _: Any) -> int:
    count = 0
    for name in ("csv", "review-csv"):
        for record in READERS[name](io.BytesIO(data), FETCHED):
            count += 1
            if record.post is not None:
                _storable(record.post)
    detect_format("posts.csv", data[:65536])
    return count


def drive_guard(text: str, context: CheckContext) -> int:
    verdict = default_guard().check(text, context)
    for finding in verdict.findings:
        if not 0 <= finding.start <= finding.end <= len(text):
            raise Broken(f"finding {finding.start}-{finding.end} outside a text of {len(text)}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return 1  # the CLI and the API refuse such text before the guard; the library answers it as it can
    verdict.model_dump_json()
    return 1


def drive_analysis(text: str, _: Any) -> int:
    if len(analyze([text, "ナミキ住宅で建てて良かった"])) != 2:
        raise Broken("analyze returned a different number of results")
    return 1


def _constant_analysis(texts: Sequence[str]) -> list[Analysis]:
    sentiment = Sentiment(negative=0.1, neutral=0.8, positive=0.1)
    emotions = Emotions(joy=0, sadness=0, anticipation=0, surprise=0, anger=0, fear=0, disgust=0, trust=0)
    return [Analysis(sentiment=sentiment, emotions=emotions) for _ in texts]


class IntakeDriver:
    def __init__(self, directory: Path) -> None:
        self.store = Store(f"sqlite:///{directory / 'fuzz.sqlite3'}")
        self.store.add_watch(Watch(name=WATCH, terms=["ナミキ住宅", "ナミキ"], exclude=["ナミキ川"]))
        self.duplicates = DuplicateTracker(self.store, WATCH)  # kept across calls, as the web app does

    def __call__(self, body: bytes, _: Any) -> int:
        try:
            items = loads_array_body(body)
        except (json.JSONDecodeError, UnicodeDecodeError, HikeshiError):
            return 1  # answered 422 or 400 by the API
        if not isinstance(items, list):
            return 1  # answered 422 by the API's schema
        result = intake_posts(
            self.store, WATCH, items, analyzer=_constant_analysis, duplicates=self.duplicates
        )
        handled = result.inserted + result.duplicates + result.excluded + len(result.errors)
        if handled != result.received or result.received != len(items):
            raise Broken(f"counts do not add up: {result.model_dump()}")
        for error in result.errors:
            _printable(error.message, "intake error message")
        result.model_dump_json()
        return len(items)


# --- running ---------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    inputs: int = 0
    items: int = 0
    refused: int = 0  # a HikeshiError raised where one is the documented answer
    crashes: int = 0
    seconds: float = 0.0
    kinds: dict[str, tuple[int, str]] = field(default_factory=dict)

    def crash(self, error: BaseException, value: Any) -> None:
        self.crashes += 1
        frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
        where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        kind = f"{type(error).__name__} at {where}"
        count, example = self.kinds.get(kind, (0, f"{str(error)[:100]} <- {ascii(value)[:160]}"))
        self.kinds[kind] = (count + 1, example)


def run(name: str, strategy: Any, drive: Callable[[Any, Any], int], examples: int, run_seed: int) -> Figures:
    figures = Figures()

    @seed(run_seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def fuzz(value: Any) -> None:
        figures.inputs += 1
        first, second = value if isinstance(value, tuple) else (value, None)
        try:
            figures.items += drive(first, second)
        except HikeshiError:
            figures.refused += 1
        except Exception as error:  # counting crashes is the point
            figures.crash(error, value)

    started = time.perf_counter()
    fuzz()
    figures.seconds = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=DEFAULT_EXAMPLES, help="inputs in all, split across targets"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--only", nargs="*", help="run only these targets")
    args = parser.parse_args()
    strategies = _strategies()
    with tempfile.TemporaryDirectory() as directory:
        targets: dict[str, tuple[Any, Callable[[Any, Any], int]]] = {
            "jsonlines": (strategies["files"], drive_jsonlines),
            "ingest-jsonl": (strategies["files"], drive_ingest_jsonl),
            "ingest-record": (strategies["records"], drive_ingest_record),
            "ingest-csv": (strategies["csv"], drive_ingest_csv),
            "intake": (strategies["bodies"], IntakeDriver(Path(directory))),
            "guard": (st.tuples(strategies["texts"], strategies["contexts"]), drive_guard),
            "analysis": (strategies["texts"], drive_analysis),
        }
        chosen = {name: target for name, target in targets.items() if not args.only or name in args.only}
        per_target = max(args.examples // len(chosen), 1)
        print(f"fuzz_inputs: {per_target:,} generated inputs per target, seed {args.seed}")
        print(f"{'target':<14} {'inputs':>9} {'items':>9} {'refused':>9} {'crashes':>8} {'seconds':>8}")
        results = {}
        for name, (strategy, drive) in chosen.items():
            figures = run(name, strategy, drive, per_target, args.seed)
            results[name] = figures
            print(
                f"{name:<14} {figures.inputs:>9,} {figures.items:>9,} {figures.refused:>9,} "
                f"{figures.crashes:>8,} {figures.seconds:>8.1f}",
                flush=True,
            )
    total = sum(figures.inputs for figures in results.values())
    crashes = sum(figures.crashes for figures in results.values())
    print(f"{'all':<14} {total:>9,} {'':>9} {'':>9} {crashes:>8,}")
    for name, figures in results.items():
        for kind, (count, example) in sorted(figures.kinds.items(), key=lambda item: -item[1][0]):
            print(f"  {name}: {count:,} × {kind}\n      e.g. {example}")


if __name__ == "__main__":
    main()
