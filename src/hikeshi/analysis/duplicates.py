"""Near-duplicate grouping: copy-paste storms and quote chains collapse into one group id.

A flame is often the same sentence posted hundreds of times with a different emoji, mention or URL, or a post
that quotes another and adds a word. Counting those as independent voices would inflate volume and reach, so
each text is reduced to 4-character shingles of its NFKC, lower-cased form without mentions, URLs, 「RT」,
punctuation, symbols and spaces, and a new text joins the group of the first similar text seen before it.

Why it is vectorised: grouping runs inside `hikeshi ingest`, whose cost per post is bounded by a multiple of a
SudachiPy tokenization. Hashing shingles one by one through `datasketch.MinHash.update_batch` (SHA-1 per
shingle) plus an LSH insert costs about 300 µs a post; here the shingles of a whole batch are hashed with
numpy and each permutation is applied to all of them at once. The signatures are exactly datasketch's
"affine32" MinHash (its permutations, seeded by `SEED`, with `shingle_hash` as the hash function; a test
checks equality), so `MinHash.jaccard` semantics hold. Why a banding index of its own instead of
`MinHashLSH`: a bucket keeps at most `PER_GROUP` members of each group, so a storm of 10,000 copies is checked
against a couple of earlier copies, not all of them, and grouping stays linear in the number of posts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from datasketch import MinHash  # type: ignore[import-untyped]

SHINGLE = 4
NUM_PERM = 64
BANDS = 16  # 16 bands of 4 rows: P(candidate) ≈ 0.89 at Jaccard 0.6, 0.9998 at 0.8, 0.025 at 0.2
SEED = 7
PER_GROUP = 2  # members of one group kept per bucket: enough for quote chains, bounded for storms
GROUP_ID_LENGTH = 100  # posts.dup_group is VARCHAR(100)
CHUNK = 128  # texts hashed together: large enough to amortise numpy calls, small enough for the cache

_NOISE = re.compile(r"https?://\S+|www\.\S+|@[0-9a-z_]+|\brt\b")
_NON_WORD = re.compile(r"[\W_]+")
# Stretched characters: 「最悪ーーー」 is 「最悪ー」 and 「wwwww」 is 「ww」 (digits are left alone: 1000円 ≠ 100円).
_LONG_MARKS = re.compile(r"ー{2,}")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_MASK64 = (1 << 64) - 1
_MASK32 = (1 << 32) - 1
_POLY = 0x9E3779B97F4A7C15  # odd multiplier of the polynomial that folds a shingle's code points into 64 bits
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's finalizer, as datasketch's affine32 pre-mix

UInt32Array = npt.NDArray[np.uint32]
UInt64Array = npt.NDArray[np.uint64]


def clean(text: str) -> str:
    """The part of a text that near-duplicates share: NFKC, lower case, no mentions/URLs/RT/punctuation.

    >>> clean("RT @taro: ｻｲｱｸーーー！！ https://x.test/1 #A社")
    'サイアクーa社'
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    cleaned = _NON_WORD.sub("", _NOISE.sub(" ", folded))
    return _REPEATS.sub(r"\1\1", _LONG_MARKS.sub("ー", cleaned))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Character shingles of `clean(text)`; a text shorter than a shingle is one shingle of its own.

    >>> sorted(shingles("@taro 最悪です https://x.test/1"))
    ['最悪です']
    """
    cleaned = clean(text)
    if len(cleaned) <= size:
        return {cleaned} if cleaned else set()
    return {cleaned[i : i + size] for i in range(len(cleaned) - size + 1)}


def shingle_hash(gram: str) -> int:
    """The 32-bit hash of one shingle (code points folded by a polynomial, then xor-folded to 32 bits).

    The reference for the vectorised `_window_hashes`, and the `hashfunc` that makes a datasketch `MinHash`
    of `shingles(text)` equal to this module's signature. A short text's shingle is padded with code point 0.
    """
    points = [ord(char) for char in gram] + [0] * (SHINGLE - len(gram))
    value = 0
    for point in points:
        value = (value * _POLY + point) & _MASK64
    return (value ^ (value >> 32)) & _MASK32


def _window_hashes(cleaned: Sequence[str]) -> tuple[UInt32Array, list[int]]:
    """Shingle hashes of many cleaned texts at once, and each text's number of shingles (0 when empty).

    The texts are laid end to end, each followed by SHINGLE - 1 zero code points, so that a window starting
    inside a text never mixes two texts and a text shorter than a shingle still has one (padded) window.
    """
    pad = "\0" * (SHINGLE - 1)
    joined = pad.join(cleaned) + pad
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    windows = len(points) - SHINGLE + 1
    value = points[:windows].copy()
    poly = np.uint64(_POLY)
    for offset in range(1, SHINGLE):
        value *= poly
        value += points[offset : offset + windows]
    folded = (value ^ (value >> np.uint64(32))).astype(np.uint32)
    counts = [max(len(text) - SHINGLE + 1, 1) if text else 0 for text in cleaned]
    keep = np.zeros(windows, dtype=bool)
    start = 0
    for text, count in zip(cleaned, counts, strict=True):
        keep[start : start + count] = True
        start += len(text) + SHINGLE - 1
    return folded[keep], counts


class SignatureMaker:
    """MinHash signatures (datasketch affine32, `num_perm` permutations) for a batch of texts in one pass."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED) -> None:
        a, b = MinHash(num_perm=num_perm, seed=seed).permutations
        self.num_perm = num_perm
        self.seed = seed
        self._a = np.asarray(a, dtype=np.uint32)
        self._b = np.asarray(b, dtype=np.uint32)

    def signatures(self, texts: Sequence[str]) -> tuple[UInt32Array, list[bool]]:
        """One signature row per text (rows of texts with nothing left after `clean` are all 0xFFFFFFFF),
        and whether each text had any shingle. Works in chunks so that the permuted hashes stay in cache."""
        result = np.full((len(texts), self.num_perm), _MASK32, dtype=np.uint32)
        present: list[bool] = []
        for start in range(0, len(texts), CHUNK):
            present += self._fill(texts[start : start + CHUNK], result[start : start + CHUNK])
        return result, present

    def _fill(self, texts: Sequence[str], result: UInt32Array) -> list[bool]:
        cleaned = [clean(text) for text in texts]
        hashes, counts = _window_hashes(cleaned)
        present = [count > 0 for count in counts]
        if hashes.size == 0:
            return present
        s1, m1, s2, m2, s3 = _FMIX32
        mixed = hashes ^ (hashes >> np.uint32(s1))
        mixed *= np.uint32(m1)
        mixed ^= mixed >> np.uint32(s2)
        mixed *= np.uint32(m2)
        mixed ^= mixed >> np.uint32(s3)
        permuted = mixed[:, None] * self._a[None, :] + self._b[None, :]
        nonempty = [count for count in counts if count]
        starts = np.cumsum([0, *nonempty[:-1]])
        result[np.asarray(present)] = np.minimum.reduceat(permuted, starts, axis=0)
        return present


def group_id(key: str) -> str:
    """A post key as a group id that fits `posts.dup_group`; long keys keep a prefix and a digest."""
    if len(key) <= GROUP_ID_LENGTH:
        return key
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    return f"{key[: GROUP_ID_LENGTH - len(digest) - 1]}#{digest}"


class NearDuplicateGrouper:
    """Assigns each added text the id of its group: the key of the first near-duplicate seen, else its own key.

    `threshold` is the estimated Jaccard similarity of shingle sets at or above which two texts are one group;
    0.6 joins 「返金しろ！！ #A社」 and 「返金しろ @A社公式」 but keeps different complaints about the same
    product apart. A group, once given, never changes: a text similar to two groups joins the older one.
    """

    def __init__(self, threshold: float = 0.6, num_perm: int = NUM_PERM, bands: int = BANDS) -> None:
        if num_perm % bands:
            raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands = bands
        self._maker = SignatureMaker(num_perm)
        self._needed = int(np.ceil(threshold * num_perm - 1e-9))
        self._index: dict[str, int] = {}
        self._groups: list[str] = []
        self._signatures = np.empty((0, num_perm), dtype=np.uint32)
        self._buckets: dict[int, list[int]] = {}
        rng = np.random.RandomState(SEED)
        self._band_mix = rng.randint(1, 1 << 62, size=(num_perm // bands,), dtype=np.uint64) * 2 + 1

    def __len__(self) -> int:
        return len(self._groups)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def group_of(self, key: str) -> str | None:
        index = self._index.get(key)
        return None if index is None else self._groups[index]

    def add(self, key: str, text: str) -> str:
        """Index `text` under `key` (unique, e.g. a Post key) and return its group id. Re-adding a key is a no-op."""
        return self.add_many([(key, text)])[0]

    def add_many(self, items: Iterable[tuple[str, str]]) -> list[str]:
        """`add` for a batch, in order (a later item may join an earlier one of the same batch)."""
        pairs = list(items)
        return self._add(pairs, [None] * len(pairs))

    def restore(self, items: Iterable[tuple[str, str, str | None]]) -> list[str]:
        """Index stored posts (key, text, group) oldest first, keeping each known group as it is.

        An item without a group (stored, but never grouped: e.g. a run killed between writing a batch and
        its groups) is grouped as `add` would; the returned list has every item's group.
        """
        triples = list(items)
        return self._add([(key, text) for key, text, _ in triples], [group for _, _, group in triples])

    def _add(self, pairs: Sequence[tuple[str, str]], known: Sequence[str | None]) -> list[str]:
        fresh = [i for i, (key, _) in enumerate(pairs) if key not in self._index]
        signatures, present = self._maker.signatures([pairs[i][1] for i in fresh])
        bands = self._band_keys(signatures).tolist()
        start = len(self._groups)
        self._grow(start + len(fresh))
        self._signatures[start : start + len(fresh)] = signatures
        for row, item in enumerate(fresh):
            key = pairs[item][0]
            if key in self._index:  # the same key twice in one batch
                continue
            index = len(self._groups)
            if index != start + row:
                self._signatures[index] = signatures[row]
            group = known[item]
            if not present[row]:
                self._index[key] = index
                self._groups.append(group or group_id(key))
                continue
            row_bands = bands[row]
            if group is None:
                match = self._first_match(row_bands, signatures[row])
                group = self._groups[match] if match is not None else group_id(key)
            self._index[key] = index
            self._groups.append(group)
            self._remember(row_bands, index, group)
        return [self._groups[self._index[key]] for key, _ in pairs]

    def _first_match(self, row_bands: list[int], signature: UInt32Array) -> int | None:
        """The oldest indexed text sharing a band with this signature and similar enough, if any."""
        candidates: set[int] = set()
        for band in row_bands:
            members = self._buckets.get(band)
            if members is not None:
                candidates.update(members)
        if not candidates:
            return None
        ordered = sorted(candidates)
        agree = np.count_nonzero(self._signatures[ordered] == signature, axis=1)
        hits = np.flatnonzero(agree >= self._needed)
        return ordered[int(hits[0])] if hits.size else None

    def _remember(self, row_bands: list[int], index: int, group: str) -> None:
        for band in row_bands:
            members = self._buckets.get(band)
            if members is None:
                self._buckets[band] = [index]
            elif sum(1 for member in members if self._groups[member] == group) < PER_GROUP:
                members.append(index)

    def _band_keys(self, signatures: UInt32Array) -> UInt64Array:
        """One 64-bit key per (text, band): the band's rows mixed with odd multipliers, plus the band number."""
        rows = self.num_perm // self.bands
        shaped = signatures.reshape(len(signatures), self.bands, rows).astype(np.uint64)
        mixed = (shaped * self._band_mix).sum(axis=2, dtype=np.uint64)
        mixed ^= mixed >> np.uint64(31)
        keys: UInt64Array = mixed * np.uint64(self.bands) + np.arange(self.bands, dtype=np.uint64)
        return keys

    def _grow(self, size: int) -> None:
        if size <= len(self._signatures):
            return
        grown = np.empty((max(size, 2 * len(self._signatures), 1024), self.num_perm), dtype=np.uint32)
        grown[: len(self._groups)] = self._signatures[: len(self._groups)]
        self._signatures = grown


def group_near_duplicates(texts: Sequence[str], threshold: float = 0.6) -> list[int]:
    """Group ids for a batch: the index of the first text of each text's group.

    >>> group_near_duplicates(["A社の対応ひどすぎ、返金しろ", "RT A社の対応ひどすぎ、返金しろ", "今日は晴れ"])
    [0, 0, 2]
    """
    grouper = NearDuplicateGrouper(threshold=threshold)
    return [int(group) for group in grouper.add_many((str(i), text) for i, text in enumerate(texts))]
