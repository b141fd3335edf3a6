"""The CLI's one error path: what the user or the environment can fix is one line and exit 2.

Everything that reaches :func:`report_failure` is either an :class:`EthicsCheckError` (its message
already names the file, field or column), an ``OSError`` (a file, folder, disk or network problem,
named here with its fix), or a bug in ethicscheck: its traceback goes to a file, and the user gets
one line saying where, never the traceback itself.
"""

from __future__ import annotations

import errno
import os
import tempfile
import traceback
from datetime import datetime, timezone
from pathlib import Path

from ethicscheck.errors import EthicsCheckError

__all__ = ["EXIT_USAGE", "describe_os_error", "report_failure", "save_traceback"]

EXIT_USAGE = 2


def report_failure(exc: BaseException) -> str:
    """The one line to print for an exception that ended a command (a bug's traceback is saved first)."""
    if isinstance(exc, EthicsCheckError):
        return str(exc)
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    if isinstance(exc, MemoryError):
        return "Ran out of memory. Audit a sample (privacy.max_rows, a smaller data file) or use a machine with more memory."
    saved = save_traceback(exc)
    where = f"the traceback is in {saved}" if saved else "its traceback could not be saved"
    return f"ethicscheck hit a bug ({type(exc).__name__}); {where}. Please report it with that file."


def describe_os_error(exc: OSError) -> str:
    """Name the file and the fix for a file-system or network error."""
    name = exc.filename if exc.filename is not None else ""
    target = f" {name}" if name else ""
    code = exc.errno
    if code == errno.ENOSPC:
        return f"No space left on the device while writing{target}. Free some space, or write the report elsewhere with --out."
    if code == errno.EDQUOT:
        return f"Disk quota exceeded while writing{target}. Free some space, or write the report elsewhere with --out."
    if code == errno.EFBIG:
        return (
            f"File too large while writing{target}: a file-size limit (ulimit -f, or the file system's) was reached. "
            "Raise the limit, or write the report elsewhere with --out."
        )
    if code in (errno.EACCES, errno.EPERM):
        return f"Permission denied:{target}. Choose a folder you can write (--out) or fix its permissions."
    if code == errno.EROFS:
        return f"Read-only file system:{target}. Write the report elsewhere with --out."
    if code == errno.EEXIST or isinstance(exc, FileExistsError):
        return f"{name or 'A path'} already exists and is a file, not a folder. Pass --out a folder, or move the file."
    if code == errno.ENOTDIR:
        return f"{name or 'A path'}: part of this path is a file, not a folder. Pass --out a folder path."
    if code == errno.EISDIR:
        return f"{name or 'A path'} is a folder where a file was expected."
    if code == errno.ENOENT:
        return f"{name or 'A file'} does not exist. Check the path."
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return f"Network problem: {exc.strerror or type(exc).__name__}{target}. Check that the server is up and reachable."
    return f"{exc.strerror or type(exc).__name__}:{target}. Check the path and try again."


def save_traceback(exc: BaseException) -> Path | None:
    """Write the traceback to ``$TMPDIR/ethicscheck-bug-<time>-<pid>.txt``; None when even that fails."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = Path(tempfile.gettempdir()) / f"ethicscheck-bug-{stamp}-{os.getpid()}.txt"
    try:
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError:
        return None
    return path
