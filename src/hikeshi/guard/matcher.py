"""Finds lexicon rules in a normalised draft: one Aho-Corasick pass for literal terms, then the regexes."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from hikeshi.guard.lexicon import CompiledRule
from hikeshi.guard.literals import required_literals
from hikeshi.text.normalize import normalize
from hikeshi.text.sentences import Sentence, split_sentences


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule matched at [start, end) of the normalised text."""

    start: int
    end: int
    rule: CompiledRule


class Matcher:
    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.rules = list(rules)
        self._automaton = ahocorasick.Automaton()
        # One automaton holds both the literal terms (→ rule indices) and the literals that gate each regex.
        terms: dict[str, list[int]] = {}
        gates: dict[str, list[int]] = {}
        self._patterns: list[tuple[int, re.Pattern[str]]] = []
        self._ungated: list[int] = []
        for index, rule in enumerate(self.rules):
            for term in rule.rule.terms:
                terms.setdefault(normalize(term).folded, []).append(index)
            for pattern in rule.patterns:
                pattern_id = len(self._patterns)
                self._patterns.append((index, pattern))
                literals = required_literals(pattern.pattern)
                if literals is None:
                    self._ungated.append(pattern_id)
                else:
                    for literal in literals:
                        gates.setdefault(literal, []).append(pattern_id)
        for key in terms.keys() | gates.keys():
            self._automaton.add_word(key, (len(key), tuple(terms.get(key, ())), tuple(gates.get(key, ()))))
        self._has_words = bool(terms or gates)
        if self._has_words:
            self._automaton.make_automaton()

    def find(self, folded: str) -> list[RuleHit]:
        """All hits that pass their rule's near/unless conditions; at most one hit per rule and sentence.

        `near` is looked for in the hit's sentence first, then in the rule's window of neighbouring sentences on
        the same line; `unless` is tested on whichever of the two supplied the context.
        """
        if not folded:
            return []
        sentences = split_sentences(folded) or [Sentence(0, len(folded), folded)]
        sentence_starts = [s.start for s in sentences]
        candidates: list[tuple[int, int, int]] = []
        opened: set[int] = set(self._ungated)
        if self._has_words:
            for last, (length, indices, pattern_ids) in self._automaton.iter(folded):
                for index in indices:
                    candidates.append((last + 1 - length, last + 1, index))
                opened.update(pattern_ids)
        for pattern_id in opened:
            index, pattern = self._patterns[pattern_id]
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    candidates.append((match.start(), match.end(), index))
        hits: list[RuleHit] = []
        # (rule, sentence) pairs already hit or rejected: near/unless depend on nothing else, so test each once.
        decided: set[tuple[int, int]] = set()
        for start, end, index in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
            sentence_index = max(bisect_right(sentence_starts, start) - 1, 0)
            key = (index, sentence_index)
            if key in decided:
                continue
            decided.add(key)
            rule = self.rules[index]
            context = sentences[sentence_index].text
            if rule.near is not None and not rule.near.search(context):
                window = rule.rule.near_window
                if not window:
                    continue
                context = _window(folded, sentences, sentence_index, window)
                if not rule.near.search(context):
                    continue
            if rule.unless is not None and rule.unless.search(context):
                continue
            hits.append(RuleHit(start, end, rule))
        return hits


def _window(folded: str, sentences: list[Sentence], index: int, width: int) -> str:
    """The sentence with up to `width` neighbours on each side, cut at line breaks (a new line is a new context)."""
    sentence = sentences[index]
    line_start = folded.rfind("\n", 0, sentence.start) + 1
    line_end = folded.find("\n", sentence.end)
    if line_end < 0:
        line_end = len(folded)
    first = sentences[max(index - width, 0)].start
    last = sentences[min(index + width, len(sentences) - 1)].end
    return folded[max(first, line_start) : min(last, line_end)]
