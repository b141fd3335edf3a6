"""Which rows a sampled scan (``privacy.max_rows``) reads: chosen by their content, so every engine scans the same rows.

Each row gets a seeded 64-bit key from what the scan reads of it — its scanned texts and its groups
(BLAKE2b, as the redacted examples' keys: :func:`~ethicscheck.privacy._examples.text_key`). The sample
is the ``max_rows`` rows with the smallest keys. A key depends on the row alone, not on its position,
so the rows in memory, streamed in batches, or split into Spark partitions in any order give the same
sample. Rows with equal keys have the same texts and the same groups, so the scan finds and counts the
same in any of them: where such copies straddle the cut, any ``ties`` of them complete the sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ethicscheck.fairness import GroupEncoding
from ethicscheck.privacy._cells import cell_texts
from ethicscheck.privacy._examples import text_key

__all__ = ["SampleCut", "row_keys", "sample_cut", "smallest_keys"]


def row_keys(frame: pd.DataFrame, columns: Sequence[str], groups: Sequence[GroupEncoding], seed: int) -> np.ndarray:
    """A seeded 64-bit key per row of ``frame`` from its ``columns`` (the text the scan reads in each cell, a missing
    cell counting as empty) and ``groups``."""
    parts = [[value if value is not None else "" for value in cell_texts(frame[column])] for column in columns]
    parts += [[encoding.labels[code] if code >= 0 else "" for code in encoding.codes.tolist()] for encoding in groups]
    rows = ["\x1f".join(values) for values in zip(*parts)] if parts else [""] * len(frame)
    return np.fromiter((text_key(f"row\x1e{row}", seed) for row in rows), dtype=np.uint64, count=len(rows))


def smallest_keys(keys: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` smallest of ``keys`` (copies kept), sorted; the smallest keys of two parts merge by the same call."""
    if len(keys) > k:
        keys = np.partition(keys, k - 1)[:k]
    return np.sort(keys)


@dataclass
class SampleCut:
    """Rows with a key below ``key`` are in the sample, and ``ties`` more rows whose key equals it."""

    key: int
    ties: int

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """Positions of the sampled rows among ``keys`` (this part's rows), taking ties from what is left."""
        tied = np.flatnonzero(keys == self.key)[: self.ties]
        self.ties -= len(tied)
        return np.sort(np.concatenate([np.flatnonzero(keys < self.key), tied]))


def sample_cut(smallest: np.ndarray, *, max_rows: int | None, n_rows: int) -> SampleCut | None:
    """The cut of a ``max_rows`` sample of ``n_rows`` rows, from their ``max_rows`` smallest keys; None: every row is scanned."""
    if max_rows is None or max_rows >= n_rows:
        return None
    key = smallest[max_rows - 1]
    return SampleCut(int(key), max_rows - int(np.count_nonzero(smallest < key)))
