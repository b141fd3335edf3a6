"""The one guard around code ethicscheck does not control: a model's loading and scoring.

A user's model may raise anything or call ``sys.exit``; the audit must end with one line naming the
model and exit code 2, never with a traceback or the model's own exit status.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ethicscheck._values import scrub_message
from ethicscheck.errors import EthicsCheckError, ModelError

__all__ = ["user_code"]


@contextmanager
def user_code(source: str, *, doing: str, hint: str = "") -> Iterator[None]:
    """Turn any exception or ``SystemExit`` raised inside the block into a :class:`ModelError`.

    Parameters
    ----------
    source : str
        The model as the user knows it (file name, URI, target), named in the message.
    doing : str
        What ethicscheck was doing, e.g. ``"loading it"`` or ``"scoring rows"``.
    hint : str
        A sentence appended to the message saying how to fix the usual cause.

    ``KeyboardInterrupt`` passes through, so Ctrl-C still ends the run with exit code 130.
    """
    try:
        yield
    except EthicsCheckError:
        raise
    except SystemExit as exc:
        raise ModelError(
            f"{source} called sys.exit({exc.code!r}) while {doing}; a model must return predictions or raise, not end the process."
        ) from None
    except Exception as exc:
        detail = scrub_message(str(exc))
        raise ModelError(f"{source} raised {type(exc).__name__}{': ' + detail if detail else ''} ({doing}).{hint}") from None
