"""Required literals of a regular expression, so that most lexicon regexes never run.

A draft is scanned once by Aho-Corasick; a regex runs only if one of the literal strings that any match of it
must contain was seen. With hundreds of rules this keeps the guard within a few tokenizer passes per message.
Uses the standard library's regex parser (`re._parser`), which has been stable across CPython 3.11–3.13.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_CLASS_SIZE = 16


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings of which every match contains at least one, or None when no such set is known.

    >>> sorted(required_literals("二度と(来|利用)"))
    ['二度と']
    >>> sorted(required_literals("(死ね|殺す)ぞ?"))
    ['殺す', '死ね']
    """
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found, _exact = _sequence(list(parsed))
    return frozenset(found) if found else None


def _quality(options: set[str]) -> tuple[int, int]:
    return (min(len(option) for option in options), -len(options))


MAX_PREFIXES = 64
_Options = tuple[
    set[str] | None, bool
]  # (literal set, whether the item matches exactly one of those strings)


def _sequence(items: list[tuple[Any, Any]]) -> _Options:
    """Best literal set of a sequence; exact neighbours extend each other: (謝|あやま)れ → 謝れ, あやまれ."""
    candidates: list[set[str]] = []
    prefixes: set[str] = {""}
    exact_so_far = True
    for op, argument in items:
        options, exact = _item(op, argument)
        if options is not None and exact and len(prefixes) * len(options) <= MAX_PREFIXES:
            prefixes = {prefix + option for prefix in prefixes for option in options}
            continue
        exact_so_far = False
        if prefixes != {""}:
            candidates.append(prefixes)
        prefixes = set(options) if options is not None and exact else {""}
        if options and not exact:
            candidates.append(options)
    if prefixes != {""}:
        candidates.append(prefixes)
    if not candidates:
        return None, False
    best = max(candidates, key=_quality)
    return best, exact_so_far and len(candidates) == 1


def _item(op: Any, argument: Any) -> _Options:
    if op is sre.LITERAL:
        return {chr(argument)}, True
    if op is sre.IN:
        chars = {chr(value) for kind, value in argument if kind is sre.LITERAL}
        if len(chars) == len(argument) and 0 < len(chars) <= MAX_CLASS_SIZE:
            return chars, True
        return None, False
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = argument
        if add_flags & re.IGNORECASE:
            return None, False
        return _sequence(list(body))
    if op is sre.BRANCH:
        union: set[str] = set()
        all_exact = True
        for branch in argument[1]:
            options, exact = _sequence(list(branch))
            if not options:
                return None, False
            union |= options
            all_exact = all_exact and exact
        return union, all_exact
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        minimum, maximum, body = argument
        if minimum < 1:
            return None, False
        options, exact = _sequence(list(body))
        return options, exact and minimum == maximum == 1
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(list(argument))
    return None, False
