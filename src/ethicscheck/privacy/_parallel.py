"""The input scan split over forked processes, started as soon as the data is read, while the audit does its own work.

The rows to scan are cut into chunks, each holding every copy of about :data:`_TEXTS_PER_CHUNK` distinct texts of the
first scanned column (a re-posted ad is scanned once, as in one process). The chunks' numbers wait in a pipe; each
forked helper takes the next one (a read of four bytes from a pipe is atomic), scans it, and takes another until none is
left. With ``privacy.n_jobs`` >= 2 the audit's process takes chunks too once it needs the answer (its own work done), so
the cores stay busy to the end without more processes than cores. Each process sends back the counts and capped
examples of the rows it scanned (:func:`~ethicscheck.privacy._scan.count_rows`), never the findings; every figure is a
count and the examples are those with the smallest keys, so the parts add up to the scan of all rows in one process
(:func:`~ethicscheck.privacy._merge.merge_scans`), whoever scanned which chunk.

The scanner is built and its Hyperscan gates compiled once, before the fork: the helpers inherit them. Forking follows
:mod:`ethicscheck._background` (Linux, a second core, no other Python thread); elsewhere :func:`start_split_scan` returns
None and the audit scans in its own process. Every wait ends: a helper that dies closes its pipe, one that takes no new
chunk for :data:`STALL_SECONDS` is ended; then :meth:`SplitScan.result` raises :class:`BackgroundFailed` and the caller
scans in its own process (where an error in the data shows with its usual message).
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ethicscheck._background import BackgroundFailed, BackgroundJob, forking_pays, start_in_background, usable_cores
from ethicscheck.fairness import GroupEncoding
from ethicscheck.privacy._merge import merge_scans
from ethicscheck.privacy._result import ColumnScan, OutputScan, PrivacyResult
from ethicscheck.privacy._scan import FoundSpan, ScanOptions, ScanPlan, count_rows, find_rows, prepare_scanner, scan_result

__all__ = ["STALL_SECONDS", "SplitScan", "start_split_scan"]

#: Distinct texts per chunk: ~0.3 s of scanning on bench ads, so the last chunks end close together.
_TEXTS_PER_CHUNK = 1000
#: Chunk numbers that fit in a pipe written at once (64 KiB of four-byte numbers, with room to spare).
_MAX_CHUNKS = 8192
_TOKEN = struct.Struct("<i")
#: Seconds without a chunk taken (or an answer) after which the helpers are taken to hang and are ended.
STALL_SECONDS = 600.0
#: How often a waiting audit looks at the helpers' progress.
_POLL_SECONDS = 0.5

#: What a process sends back: the counts and examples of its rows, and the raw values it found (kept in memory only).
Part = tuple[tuple[ColumnScan, ...], tuple[OutputScan, ...], set[str]]


@dataclass
class _Work:
    """What every process of a split scan shares (inherited by the forked helpers)."""

    frame: pd.DataFrame
    plan: ScanPlan
    options: ScanOptions
    groups: Sequence[GroupEncoding]
    seed: int
    chunks: list[np.ndarray]  # row positions in ``frame``, ascending
    tokens: int  # read end of the pipe holding the chunks' numbers

    def take(self) -> int | None:
        """The next chunk's number, or None when every chunk has been taken."""
        data = os.read(self.tokens, _TOKEN.size)
        if not data:
            return None
        if len(data) != _TOKEN.size:  # pragma: no cover - reads of four bytes from a pipe of four-byte writes are whole
            raise RuntimeError("a chunk number arrived in pieces")
        return int(_TOKEN.unpack(data)[0])

    def left(self) -> int:
        """Chunks not taken yet."""
        waiting = bytearray(4)
        fcntl.ioctl(self.tokens, termios.FIONREAD, waiting)
        return int.from_bytes(waiting, "little") // _TOKEN.size

    def scan(self, progress: Callable[[int], None] | None = None) -> Part | None:
        """Take and scan chunks until none is left; the counts of the rows scanned (None: no chunk was left)."""
        taken: list[np.ndarray] = []
        found: dict[str, list[list[FoundSpan]]] = {}
        while (chunk := self.take()) is not None:
            rows = self.chunks[chunk]
            for column, spans in find_rows(self.frame, self.plan, rows, self.options).items():
                found.setdefault(column, []).extend(spans)
            taken.append(rows)
            if progress is not None:
                progress(len(rows) * (len(self.plan.columns) + len(self.plan.output_columns)))
        if not taken:
            return None
        values: set[str] = set()
        rows = np.concatenate(taken)
        scans, outputs = count_rows(
            self.frame, self.plan, rows, found, self.options, groups=self.groups, seed=self.seed, found_values=values
        )
        return scans, outputs, values


class SplitScan:
    """A scan running in forked helpers: :meth:`result` waits for it (scanning too, when asked), :meth:`cancel` ends it."""

    def __init__(self, work: _Work, helpers: list[BackgroundJob[Part | None]], *, joins: bool) -> None:
        self._work, self._helpers, self._joins = work, helpers, joins
        self._open = True

    @property
    def n_texts(self) -> int:
        """Texts the scan reads (rows times scanned columns), for a progress bar."""
        return len(self._work.plan.rows) * self._columns()

    def result(self, progress: Callable[[int], None] | None = None) -> tuple[PrivacyResult, set[str]]:
        """The scan of every planned row, as one process scanning them all would give it, and the raw values found.

        Parameters
        ----------
        progress : callable, optional
            Called with the number of texts scanned since the last call.

        Raises
        ------
        BackgroundFailed
            A helper ended without an answer or stopped taking chunks; every helper is ended.
        """
        work = self._work
        shown = 0

        def advance(n: int) -> None:
            nonlocal shown
            shown += n
            if progress is not None:
                progress(n)

        try:
            own = work.scan(advance) if self._joins else None
            parts = self._answers(advance)
        except BaseException:
            self.cancel()
            raise
        self._close()
        if own is not None:
            parts.append(own)
        if progress is not None and self.n_texts > shown:
            progress(self.n_texts - shown)
        values: set[str] = set()
        for _, _, found in parts:
            values |= found
        group_order = {encoding.name: encoding.labels for encoding in work.groups}
        results = [scan_result(work.plan, work.options, scans, outputs) for scans, outputs, _ in parts]
        merged = merge_scans(results, examples=work.options.examples, group_order=group_order, sampled=work.plan.sampled)
        return merged, values

    def _answers(self, advance: Callable[[int], None]) -> list[Part]:
        """Every helper's part, in the helpers' order; waits while chunks are being taken, ends helpers that stall."""
        work, n_chunks = self._work, len(self._work.chunks)
        answers: dict[int, Part | None] = {}
        left, moved = work.left(), time.monotonic()
        counted = n_chunks - left
        while len(answers) < len(self._helpers):
            for i, job in enumerate(self._helpers):
                if i not in answers and job.ready(0):
                    answers[i] = job.result()  # BackgroundFailed: the helper raised or died
                    moved = time.monotonic()
            if len(answers) == len(self._helpers):
                break
            now_left = work.left()
            if now_left != left:
                left, moved = now_left, time.monotonic()
                taken = n_chunks - left
                advance(sum(len(work.chunks[i]) for i in range(counted, taken)) * self._columns())
                counted = taken
            elif time.monotonic() - moved > STALL_SECONDS:
                raise BackgroundFailed(f"the scanning processes took no chunk for {STALL_SECONDS:.0f} s")
            select.select([job.fileno() for i, job in enumerate(self._helpers) if i not in answers], [], [], _POLL_SECONDS)
        return [part for _, part in sorted(answers.items()) if part is not None]

    def _columns(self) -> int:
        return len(self._work.plan.columns) + len(self._work.plan.output_columns)

    def cancel(self) -> None:
        """End every helper (the answer is no longer wanted); a no-op once answered."""
        for job in self._helpers:
            job.cancel()
        self._close()

    def _close(self) -> None:
        if self._open:
            self._open = False
            os.close(self._work.tokens)


def start_split_scan(
    frame: pd.DataFrame,
    plan: ScanPlan,
    options: ScanOptions,
    *,
    groups: Sequence[GroupEncoding] = (),
    seed: int = 0,
    processes: int = 1,
) -> SplitScan | None:
    """Start scanning the rows of ``plan`` in forked helpers; None where forking is not safe or pays nothing.

    ``processes`` is how many processes scan at once (``privacy.n_jobs``, at most the cores): one helper scans while
    this process works, and from two on this process is one of them once it waits for the answer.
    """
    if not forking_pays() or len(plan.rows) == 0:
        return None
    chunks = _chunks(frame, plan)
    if chunks is None:
        return None
    options = replace(options, n_jobs=1)  # each process scans its chunks itself
    prepare_scanner(options, plan.detectable)
    read, write = os.pipe()
    try:
        os.write(write, b"".join(_TOKEN.pack(i) for i in range(len(chunks))))
    finally:
        os.close(write)
    work = _Work(frame, plan, options, groups, seed, chunks, read)
    processes = max(1, min(processes, usable_cores()))
    joins = processes >= 2
    helpers: list[BackgroundJob[Part | None]] = []
    for _ in range(processes - 1 if joins else 1):
        job = start_in_background(work.scan)
        if job is None:  # a thread started meanwhile: the scan runs here
            for started in helpers:
                started.cancel()
            os.close(read)
            return None
        helpers.append(job)
    return SplitScan(work, helpers, joins=joins)


def _chunks(frame: pd.DataFrame, plan: ScanPlan) -> list[np.ndarray] | None:
    """The planned rows cut into chunks of whole groups of copies of the first scanned column's texts, in the order the
    texts first appear; rows without a text join the first chunk. None when the column's values cannot be hashed."""
    first = (*plan.columns, *plan.output_columns)[0]
    try:
        codes, distinct = pd.factorize(frame[first].iloc[plan.rows], use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists): the scan runs in one process, which reads them as no text
        return None
    per_chunk = max(_TEXTS_PER_CHUNK, -(-len(distinct) // _MAX_CHUNKS))
    chunk = np.maximum(codes, 0) // per_chunk
    order = np.argsort(chunk, kind="stable")
    bounds = np.cumsum(np.bincount(chunk, minlength=int(chunk.max()) + 1 if len(chunk) else 0))
    return [plan.rows[order[start:end]] for start, end in zip(np.concatenate([[0], bounds[:-1]]), bounds) if end > start]
