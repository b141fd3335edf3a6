"""Which redacted examples a scan shows: the same ones whatever order, batches or partitions the rows come in.

An example's key is a seeded hash of its text and its place among that text's findings of its entity
type; a scan shows the examples with the smallest distinct keys. A key depends on the text alone, so
a scan of all rows at once, of batches in any order and of Spark partitions in whatever order Spark
lists a folder's files all show the same examples, and merging two scans keeps the smallest keys of
both. A text that repeats (a re-posted ad) gives one example, not one per copy.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable

__all__ = ["ExampleKey", "ExampleSample", "smallest_examples", "text_key"]

#: (seeded hash of the text, place of the finding among the text's findings of its entity type)
ExampleKey = tuple[int, int]


def text_key(text: str, seed: int) -> int:
    """A 64-bit hash of ``text`` under ``seed`` (BLAKE2b): the same on every machine and Python process.

    Examples
    --------
    >>> text_key("call 212-555-0143", 0) == text_key("call 212-555-0143", 0) != text_key("call 212-555-0143", 1)
    True
    """
    digest = hashlib.blake2b(f"{seed}\x00".encode() + text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class ExampleSample:
    """The at most ``size`` examples with the smallest distinct keys among those offered.

    A redacted snippet is made only for a key that enters the sample (``make`` is called then), so a
    scan with many findings redacts a few texts, not all of them.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._heap: list[tuple[tuple[int, int], str]] = []  # (negated key, example): the largest key on top
        self._keys: set[ExampleKey] = set()

    def offer(self, key: ExampleKey, make: Callable[[], str]) -> None:
        if self.size == 0 or key in self._keys:
            return
        negated = (-key[0], -key[1])
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, (negated, make()))
        elif negated > self._heap[0][0]:
            dropped = heapq.heapreplace(self._heap, (negated, make()))
            self._keys.discard((-dropped[0][0], -dropped[0][1]))
        else:
            return
        self._keys.add(key)

    def chosen(self) -> tuple[tuple[ExampleKey, ...], tuple[str, ...]]:
        """The keys and examples, smallest key first."""
        return smallest_examples((((-k0, -k1), example) for (k0, k1), example in self._heap), self.size)


def smallest_examples(pairs: Iterable[tuple[ExampleKey, str]], size: int) -> tuple[tuple[ExampleKey, ...], tuple[str, ...]]:
    """The ``size`` examples with the smallest distinct keys of ``pairs`` (the merge of several scans' samples)."""
    unique = dict(pairs)
    keys = sorted(unique)[:size]
    return tuple(keys), tuple(unique[k] for k in keys)
