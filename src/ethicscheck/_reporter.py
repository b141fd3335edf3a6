"""How a long run tells its user what it is doing, and how long each stage took.

Shared by the orchestrators (audit, compare): the CLI passes a reporter that draws progress bars, tests
and library callers get :class:`SilentReporter`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from ethicscheck.errors import TrackingError

__all__ = ["Advance", "Reporter", "SilentReporter", "report_not_logged", "timed"]


class Advance(Protocol):
    """Moves a progress display ``n`` steps on; ``label`` names the step just finished (shown in CI logs)."""

    def __call__(self, n: int, /, label: str | None = None) -> None: ...


class Reporter(Protocol):
    """How a run tells a user what it is doing (the CLI draws progress bars; tests stay silent)."""

    def stage(self, message: str) -> None: ...

    def progress(self, description: str, total: int) -> AbstractContextManager[Advance]:
        """A context manager yielding an :class:`Advance`."""
        ...

    def warning(self, message: str) -> None: ...


class SilentReporter:
    """A reporter that says nothing."""

    def stage(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Advance]:
        yield _ignore


def _ignore(n: int, /, label: str | None = None) -> None:
    pass


@contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds the block took to ``timings[name]`` (also when it raises)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = time.perf_counter() - start


def report_not_logged(problem: TrackingError, report_dir: Path, reporter: Reporter, *, required: bool) -> None:
    """Say, in one sentence after MLflow's problem, that the report is complete and how to log it later.

    Raises
    ------
    TrackingError
        When ``tracking.required`` is true (exit 2); otherwise the sentence is a warning and the audit's
        exit code is its verdict's.
    """
    later = (
        f"Nothing of this audit was logged to MLflow; the report is complete in {report_dir}, and `ethicscheck log "
        f"{report_dir}` logs it later."
    )
    if required:
        raise TrackingError(f"{problem} {later}")
    reporter.warning(f"{problem} {later}")
