"""Write a report folder whole or not at all.

An audit writes into a fresh hidden folder beside the target and swaps it in when everything is
written: a reader never sees half a report, no file of an older audit survives beside a newer one,
an interrupted or failed audit leaves the previous report as it was, and two audits finishing into
one folder each swap in whole (the later wins; a lock on the parent folder orders the swaps).
Entries of the old folder that are not report files (the demo's ``inputs/``, a user's notes) are
carried over into the new one.
"""

from __future__ import annotations

import errno
import fcntl
import fnmatch
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["REPORT_FILES", "staged_folder"]

#: What an audit writes into its folder; an older audit's files matching these never survive a new one.
REPORT_FILES: tuple[str, ...] = ("audit.json", "model_card.*", "chart_*.svg", "junit.xml", "summary.md")


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder to write into; when the block ends without error, it becomes ``target``.

    Raises
    ------
    OSError
        ``target`` is an existing file, or its parent cannot be written (the error names ``target``).
    """
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(blocking))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.writing-", dir=target.parent))
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(target)) from None
    try:
        try:
            yield staging
        except OSError as exc:
            if exc.filename is None:  # a full disk names no file: name the report folder
                raise type(exc)(exc.errno, exc.strerror, str(target)) from None
            raise
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    descriptor = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # one swap at a time in this parent folder
        if target.is_dir():
            for entry in target.iterdir():
                if not _is_report_file(entry.name) and not (staging / entry.name).exists():
                    os.rename(entry, staging / entry.name)
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rename(target, retired / target.name)
            os.rename(staging, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, target)
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def _is_report_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in REPORT_FILES)
