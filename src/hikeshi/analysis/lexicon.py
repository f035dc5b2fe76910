"""Emotion lexicons: loading the team's TSV files and matching compiled entries against SudachiPy tokens.

Entries are matched on SudachiPy normalized forms rather than on characters, so one entry 「嬉しい」 covers
「うれしかった」「嬉しくて」, and a negation right after a match (「美味しくない」「許せない」 are handled
differently: the latter is its own entry) flips it to a separate `neg:` feature instead of counting as praise.
The compiled form (token tuples → labels) is produced by `python -m hikeshi.analysis.train` and stored inside
the model file, so run time needs no second tokenizer and no extra package.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from hikeshi.errors import ConfigError
from hikeshi.text.tokenize import Token, tokenize

DATA_DIR = Path(__file__).parent / "data"
WORD_LEXICON = DATA_DIR / "lexicon.tsv"
SURFACE_LEXICON = DATA_DIR / "surface.tsv"
MLASK_LEXICON = DATA_DIR / "mlask_emotions.tsv"

# Plutchik's eight, polarity, and "weary" (tiredness, boredom, reluctance: negative, aimed at no one).
LABELS = frozenset(
    {"joy", "sadness", "anticipation", "surprise", "anger", "fear", "disgust", "trust", "pos", "neg", "weary"}
)
# ML-Ask's ten categories (Nakamura's emotion classes), used as labels of the vendored ML-Ask dictionary.
MLASK_LABELS = frozenset(
    {"aware", "haji", "ikari", "iya", "kowa", "odoroki", "suki", "takaburi", "yasu", "yorokobi"}
)
# Tokens that negate what precedes them: ない/無い (auxiliary or adjective), ず/ん, ぬ.
_NEGATORS = frozenset({"ない", "無い", "ず", "ぬ"})
# Tokens allowed between a match and its negator: 「好きじゃない」「できません」.
_BRIDGE_POS = frozenset({"助動詞", "助詞"})
# Trailing tokens stripped from an entry when it is compiled: 「疲れた」 is the entry 「疲れる」.
_STRIPPABLE_TAIL = frozenset({"た", "だ", "ます", "です", "て", "よ", "ね"})
MAX_ENTRY_TOKENS = 5


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    term: str
    labels: tuple[str, ...]
    source: str  # feature prefix, e.g. "lex" (the team's lexicon) or "mlask"
    line: int = 0


@dataclass(frozen=True, slots=True)
class LexiconHit:
    feature: str  # e.g. "lex:joy" or, when negated, "neg:lex:joy"
    start: int  # token index
    end: int


def load_tsv(path: Path, source: str, allowed: frozenset[str] = LABELS) -> list[LexiconEntry]:
    """Read `term<TAB>labels` lines; a bad line raises ConfigError naming the file and line."""
    entries: list[LexiconEntry] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ConfigError(str(path), None, f"辞書を読めません: {error.strerror}") from None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise ConfigError(str(path), number, "「語<TAB>ラベル」の 2 列にしてください。")
        labels = tuple(label.strip() for label in parts[1].split(",") if label.strip())
        unknown = [label for label in labels if label not in allowed]
        if not labels or unknown:
            raise ConfigError(str(path), number, f"不明なラベル: {', '.join(unknown) or '（空）'}")
        entries.append(LexiconEntry(parts[0].strip(), labels, source, number))
    return entries


def entry_key(term: str) -> tuple[str, ...]:
    """The token-normalized key of a lexicon term (used when compiling, i.e. at training time).

    >>> entry_key("疲れた")
    ('疲れる',)
    """
    forms = [token.normalized for token in tokenize(term) if token.pos != "空白"]
    while len(forms) > 1 and forms[-1] in _STRIPPABLE_TAIL:
        forms.pop()
    return tuple(forms)


def compile_entries(entries: Iterable[LexiconEntry]) -> dict[str, list[str]]:
    """Token keys (joined with a space) → features; the form stored in the model file."""
    compiled: dict[str, set[str]] = {}
    for entry in entries:
        key = entry_key(entry.term)
        if not key or len(key) > MAX_ENTRY_TOKENS or _is_function_kana(key):
            continue
        compiled.setdefault(" ".join(key), set()).update(f"{entry.source}:{label}" for label in entry.labels)
    return {key: sorted(features) for key, features in sorted(compiled.items())}


def _is_function_kana(key: tuple[str, ...]) -> bool:
    """A key of one hiragana character is a particle in running text: 「しね」 strips to 「し」, 「やだ」 to 「や」.

    Compiling such a key would tag every 「〜し、〜し」「AやB」 as hostile, so these entries are skipped.
    """
    return len(key) == 1 and len(key[0]) == 1 and "\u3041" <= key[0] <= "\u309f"


class TokenLexicon:
    """Longest-match look-up of compiled entries over a token sequence, with negation."""

    def __init__(self, compiled: dict[str, list[str]]) -> None:
        self._entries: dict[tuple[str, ...], tuple[str, ...]] = {
            tuple(key.split(" ")): tuple(features) for key, features in compiled.items()
        }
        self._max_len = max((len(key) for key in self._entries), default=1)

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, tokens: Sequence[Token]) -> list[LexiconHit]:
        forms = [token.normalized for token in tokens]
        hits: list[LexiconHit] = []
        position = 0
        while position < len(forms):
            for length in range(min(self._max_len, len(forms) - position), 0, -1):
                features = self._entries.get(tuple(forms[position : position + length]))
                if features is None:
                    continue
                end = position + length
                prefix = "neg:" if _negated(tokens, end) else ""
                hits.extend(LexiconHit(prefix + feature, position, end) for feature in features)
                position = end - 1
                break
            position += 1
        return hits


def _negated(tokens: Sequence[Token], end: int) -> bool:
    """True when a negator follows within three tokens, bridged only by auxiliaries and particles."""
    for token in tokens[end : end + 3]:
        if token.normalized in _NEGATORS and token.pos in ("助動詞", "形容詞"):
            return True
        if token.pos not in _BRIDGE_POS:
            return False
    return False


class SurfaceLexicon:
    """Substring matching (Aho-Corasick) for emoji, kaomoji and laughter marks, which tokenizers split apart."""

    def __init__(self, compiled: dict[str, list[str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        for term, features in compiled.items():
            self._automaton.add_word(term, tuple(features))
        self._size = len(compiled)
        if compiled:
            self._automaton.make_automaton()

    def match(self, text: str) -> list[str]:
        if not self._size:
            return []
        found: list[str] = []
        for _end, features in self._automaton.iter_long(text):
            found.extend(features)
        return found


def compile_surface(entries: Iterable[LexiconEntry]) -> dict[str, list[str]]:
    from hikeshi.text.normalize import normalize

    compiled: dict[str, set[str]] = {}
    for entry in entries:
        term = normalize(entry.term).text
        if term:
            compiled.setdefault(term, set()).update(f"{entry.source}:{label}" for label in entry.labels)
    return {term: sorted(features) for term, features in sorted(compiled.items())}
