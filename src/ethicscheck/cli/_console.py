"""The one place the CLI prints: stage lines, progress bars, errors and the result summary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from ethicscheck._reporter import Advance

__all__ = ["ConsoleReporter", "out", "err", "error", "print_json", "warning"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """Print a user-facing error (one line per problem) to stderr.

    Messages name files and values; contact data in them (a phone number in a file name) is
    redacted here, the one place every error line passes through.
    """
    from ethicscheck._values import redact_contacts

    for line in str(message).splitlines() or [""]:
        err.print(f"[bold red]error:[/] {_escape(redact_contacts(line))}", markup=True, highlight=False, emoji=False)  # "[compare]" is text


def print_json(data: object) -> None:
    """Machine-readable output (``--json``): one JSON document on stdout, nothing else there."""
    import json
    import sys

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def warning(message: str) -> None:
    """Print a user-facing warning to stderr (contact data redacted, as in :func:`error`)."""
    from ethicscheck._values import redact_contacts

    err.print(f"[bold yellow]warning:[/] {_escape(redact_contacts(str(message)))}")


class ConsoleReporter:
    """Reports audit progress: bars on a terminal, plain stage lines in CI logs."""

    def stage(self, message: str) -> None:
        from ethicscheck._values import redact_contacts

        err.print(f"[dim]•[/] {_escape(redact_contacts(message))}")

    def warning(self, message: str) -> None:
        warning(message)

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Advance]:
        if not err.is_terminal:
            self.stage(f"{description} ({total:,})")

            def log_step(n: int, /, label: str | None = None) -> None:
                if label:  # a CI log has no bar: name each finished step instead
                    self.stage(f"done: {label}")

            yield log_step
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(description, total=total)

            def advance(n: int, /, label: str | None = None) -> None:
                bar.advance(task, n)

            yield advance


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
