"""Near-duplicate grouping: copy-paste storms and quote chains collapse into one group id.

A flame is often the same sentence posted hundreds of times with a different emoji, mention or URL, or a post
that quotes another and adds a word. Counting those as independent voices would inflate volume and reach, so
each text is reduced to character shingles of `hikeshi.text.normalize(text).text` (mentions, URLs, 「RT」 and
spaces removed) and indexed with datasketch's MinHash LSH; a new text joins the group of the first similar text
seen before it. Works as a stream (`NearDuplicateGrouper.add`) and on a batch (`group_near_duplicates`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

from hikeshi.text.normalize import normalize

_NOISE = re.compile(r"https?://\S+|www\.\S+|@[0-9a-z_]+|#|\brt\b:?|\s+")
SHINGLE = 4
NUM_PERM = 64
SEED = 7


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Character shingles of the normalized text without mentions, URLs, hashtags' # and spaces.

    >>> sorted(shingles("@taro 最悪です https://x.test/1"))
    ['最悪です']
    """
    cleaned = _NOISE.sub("", normalize(text).text)
    if len(cleaned) <= size:
        return {cleaned} if cleaned else set()
    return {cleaned[i : i + size] for i in range(len(cleaned) - size + 1)}


class NearDuplicateGrouper:
    """Assigns each added text the id of its group: the key of the first near-duplicate seen, else its own key.

    `threshold` is the estimated Jaccard similarity of shingle sets above which two texts are one group; 0.6
    joins 「返金しろ！！ #A社」 and 「返金しろ @A社公式」 but keeps different complaints about the same product apart.
    """

    def __init__(self, threshold: float = 0.6, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, MinHash] = {}
        self._group_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._group_of)

    def _signature(self, grams: set[str]) -> MinHash:
        signature = MinHash(num_perm=self.num_perm, seed=SEED)
        signature.update_batch([gram.encode("utf-8") for gram in sorted(grams)])
        return signature

    def add(self, key: str, text: str) -> str:
        """Index `text` under `key` (unique, e.g. a Post key) and return its group id. Re-adding a key is a no-op."""
        known = self._group_of.get(key)
        if known is not None:
            return known
        grams = shingles(text)
        if not grams:
            self._group_of[key] = key
            return key
        signature = self._signature(grams)
        candidates = [
            candidate
            for candidate in self._lsh.query(signature)
            if signature.jaccard(self._signatures[candidate]) >= self.threshold
        ]
        # The earliest-indexed candidate's group; candidates come back in no set order, so order by insertion.
        group = key
        if candidates:
            order = {existing: position for position, existing in enumerate(self._signatures)}
            group = self._group_of[min(candidates, key=order.__getitem__)]
        self._lsh.insert(key, signature)
        self._signatures[key] = signature
        self._group_of[key] = group
        return group

    def add_many(self, items: Iterable[tuple[str, str]]) -> list[str]:
        return [self.add(key, text) for key, text in items]


def group_near_duplicates(texts: Sequence[str], threshold: float = 0.6) -> list[int]:
    """Group ids for a batch: the index of the first text of each text's group.

    >>> group_near_duplicates(["A社の対応ひどすぎ、返金しろ", "RT A社の対応ひどすぎ、返金しろ", "今日は晴れ"])
    [0, 0, 2]
    """
    grouper = NearDuplicateGrouper(threshold=threshold)
    return [int(group) for group in grouper.add_many((str(i), text) for i, text in enumerate(texts))]
