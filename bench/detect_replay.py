"""Detection delay and false signals on replayed streams, against a naive "10 posts in 30 minutes" rule.

    .venv/bin/python bench/detect_replay.py                       # the bundled streams (data/replay/)
    .venv/bin/python bench/detect_replay.py FILE.jsonl --onset 2026-03-12T21:10+09:00 --terms 社名,略称

Posts are analysed with `hikeshi.analysis.analyze` (the product's analyzer) and replayed through
`hikeshi.detect.run_detectors` in event-time order. For each stream it prints: the delay from the known onset
to the first volume_spike or negativity_rise, how many of those fired before the onset (the calm days), and for
a praise surge the negativity_rise count and the highest volume_spike severity; then the same delay and
false-signal count for the naive rule (fires when 10 posts fall within 30 minutes; 6-hour cooldown).
Figures only, no asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hikeshi.detect import run_detectors
from hikeshi.records import Analysis, Emotions, Post, Sentiment, Signal, SignalKind, Watch

ROOT = Path(__file__).resolve().parent.parent
REPLAY = ROOT / "data" / "replay"
ALERTS = (SignalKind.VOLUME_SPIKE, SignalKind.NEGATIVITY_RISE)
NAIVE_COUNT, NAIVE_WINDOW, NAIVE_COOLDOWN = 10, dt.timedelta(minutes=30), dt.timedelta(hours=6)

Analyzer = Callable[[Sequence[str]], list[Analysis]]


@dataclass(frozen=True)
class Stream:
    name: str
    kind: str
    watch: Watch
    onset: dt.datetime
    posts: list[Post]


def load_analyzer() -> tuple[Analyzer, str]:
    try:
        from hikeshi.analysis import analyze
    except ImportError as error:  # the analyzer is a separate component; say plainly what was used instead
        print(
            f"NOTE: hikeshi.analysis.analyze is not importable ({error}); every post is scored neutral, "
            "so negativity-based detectors cannot fire."
        )

        def neutral(texts: Sequence[str]) -> list[Analysis]:
            zero = Emotions(joy=0, sadness=0, anticipation=0, surprise=0, anger=0, fear=0, disgust=0, trust=0)
            return [
                Analysis(sentiment=Sentiment(negative=0, neutral=1, positive=0), emotions=zero) for _ in texts
            ]

        return neutral, "neutral placeholder"
    return analyze, "hikeshi.analysis.analyze"


def read_posts(path: Path) -> list[Post]:
    posts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            posts.append(Post.model_validate_json(line))
        except ValueError as error:
            print(f"{path.name}:{number}: skipped ({str(error).splitlines()[0]})", file=sys.stderr)
    return posts


def bundled() -> list[Stream]:
    manifest = json.loads((REPLAY / "manifest.json").read_text(encoding="utf-8"))
    return [
        Stream(
            name=entry["file"],
            kind=entry["kind"],
            watch=Watch(name=entry["watch"]["name"], terms=entry["watch"]["terms"]),
            onset=dt.datetime.fromisoformat(entry["onset"]),
            posts=read_posts(REPLAY / entry["file"]),
        )
        for entry in manifest
    ]


def naive_rule(posts: Sequence[Post]) -> list[dt.datetime]:
    """Times the naive rule fires: 10 posts within 30 minutes, then silent for 6 hours."""
    fired: list[dt.datetime] = []
    window: deque[dt.datetime] = deque()
    for post in sorted(posts, key=lambda item: item.created_at):
        now = post.created_at
        window.append(now)
        while window[0] <= now - NAIVE_WINDOW:
            window.popleft()
        if len(window) >= NAIVE_COUNT and (not fired or now - fired[-1] >= NAIVE_COOLDOWN):
            fired.append(now)
    return fired


def minutes(delta: dt.timedelta | None) -> str:
    return "missed" if delta is None else f"{delta.total_seconds() / 60:.0f} min"


def report(stream: Stream, analyzer: Analyzer) -> None:
    started = time.perf_counter()
    analyses = analyzer([post.text for post in stream.posts])
    analysed = time.perf_counter()
    signals: list[Signal] = run_detectors(stream.watch, zip(stream.posts, analyses, strict=True))
    detected = time.perf_counter()
    alerts = [signal for signal in signals if signal.kind in ALERTS]
    calm = [signal for signal in alerts if signal.detected_at < stream.onset]
    after = [signal for signal in alerts if signal.detected_at >= stream.onset]
    naive = naive_rule(stream.posts)
    naive_after = [moment for moment in naive if moment >= stream.onset]
    days = (stream.onset - min(post.created_at for post in stream.posts)).total_seconds() / 86400
    print(
        f"\n== {stream.name} ({stream.kind}): {len(stream.posts)} posts, onset {stream.onset.isoformat()}, "
        f"{days:.1f} calm days before it"
    )
    print(
        f"   analyze {analysed - started:.2f} s, detect {detected - analysed:.2f} s "
        f"({len(stream.posts) / max(detected - analysed, 1e-9):,.0f} posts/s), {len(signals)} signals: "
        + ", ".join(
            f"{kind.value} {sum(s.kind == kind for s in signals)}"
            for kind in SignalKind
            if any(s.kind == kind for s in signals)
        )
    )
    first = after[0] if after else None
    print(
        f"   hikeshi: first alert after onset {minutes(first.detected_at - stream.onset if first else None)}"
        f"{f' ({first.kind.value}, severity {first.severity})' if first else ''}; "
        f"alerts in calm days {len(calm)}"
    )
    if stream.kind == "buzz":
        rises = [signal for signal in after if signal.kind == SignalKind.NEGATIVITY_RISE]
        spikes = [signal.severity for signal in after if signal.kind == SignalKind.VOLUME_SPIKE]
        print(
            f"   buzz: negativity_rise after onset {len(rises)}; highest volume_spike severity "
            f"{max(spikes, default=0)} (buzz must stay at 2 or below)"
        )
    print(
        f"   naive 10-in-30: first fire after onset "
        f"{minutes(naive_after[0] - stream.onset if naive_after else None)}; "
        f"fires in calm days {len([moment for moment in naive if moment < stream.onset])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, help="extra JSON-lines streams (Post fields)")
    parser.add_argument("--onset", help="known onset of the extra streams (ISO 8601 with offset)")
    parser.add_argument("--terms", default="", help="watch terms of the extra streams, comma-separated")
    parser.add_argument("--kind", default="flame", choices=("flame", "buzz"))
    args = parser.parse_args()
    analyzer, analyzer_name = load_analyzer()
    print(f"analyzer: {analyzer_name}")
    streams = bundled()
    for path in args.files:
        if not args.onset:
            parser.error("--onset is required with extra files")
        terms = [term for term in args.terms.split(",") if term] or [path.stem]
        streams.append(
            Stream(
                path.name,
                args.kind,
                Watch(name=terms[0], terms=terms),
                dt.datetime.fromisoformat(args.onset),
                read_posts(path),
            )
        )
    for stream in streams:
        report(stream, analyzer)


if __name__ == "__main__":
    main()
