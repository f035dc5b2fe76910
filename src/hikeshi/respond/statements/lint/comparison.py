"""Shared pieces of the consistency check: where a value was written, grouping by key, and disagreement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import TypeVar

from hikeshi.respond.statements.lint.records import Mention, Mismatch, MismatchKind

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Located:
    file: str
    line: int
    value: str
    excerpt: str


def group(
    by_file: dict[str, list[T]], key: Callable[[T], K], skip: Collection[K]
) -> dict[K, dict[str, list[T]]]:
    """Mentions by key and file, keeping only keys that at least two files mention."""
    grouped: dict[K, dict[str, list[T]]] = defaultdict(lambda: defaultdict(list))
    for path, mentions in by_file.items():
        for mention in mentions:
            k = key(mention)
            if k not in skip:
                grouped[k][path].append(mention)
    return {k: dict(v) for k, v in grouped.items() if len(v) > 1}


def disagree(per_file: dict[str, list[T]], same: Callable[[T, T], bool]) -> bool:
    """Two documents disagree when no value of one matches any value of the other."""
    files = list(per_file)
    for i, first in enumerate(files):
        for second in files[i + 1 :]:
            if not any(same(a, b) for a in per_file[first] for b in per_file[second]):
                return True
    return False


def place(path: str, line: int, value: str, excerpt: str) -> Located:
    return Located(path, line, value, excerpt)


def as_mention(item: Located) -> Mention:
    return Mention(file=item.file, line=item.line, value=item.value, excerpt=item.excerpt)


def where(located: list[Located]) -> str:
    return "、".join(f"{item.value}（{item.file}:{item.line}）" for item in located)


def name_mismatch(subject: str, located: list[Located], expected: str | None) -> Mismatch:
    if expected is not None:
        message = f"{subject}がポジションペーパー（{expected}）と一字違います: " + where(located)
    else:
        message = f"{subject}が文書によって違います: " + where(located)
    return Mismatch(
        kind=MismatchKind.NAME,
        subject=subject,
        expected=expected,
        mentions=[as_mention(item) for item in located],
        message=message,
    )
