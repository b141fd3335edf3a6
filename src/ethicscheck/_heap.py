"""Keep Python's full garbage collections off the objects an audit keeps until it ends.

An audit builds objects that live until it ends — the modules it imports (pandas, presidio, spaCy,
scikit-learn, MLflow), the data, the model, the scanner, and then the scan's findings, one list per row.
Python's collector reads every tracked object on each full pass, and starts one whenever the objects that
survived its younger passes have grown by a quarter since the last: on 100,000 ads, 15 full passes read
~0.5 million objects each and find almost nothing to free (2.0 of the audit's 2.5 CPU s in the collector).

Inside :func:`settled_heap`, :func:`settle` (called where a stage has just built what the audit keeps:
the inputs and scanner, the model, the report before logging) moves every object alive to the collector's
permanent generation (``gc.freeze``), which its passes skip, and a full pass waits for 100 younger passes
instead of 10 (the quarter's-growth rule still applies). Garbage is still collected: what the younger
passes find, and when the block ends everything goes back to the oldest generation (``gc.unfreeze``) and
the thresholds are restored. Only when to collect changes, never what an audit computes.

A process that froze objects for its own reasons (a server before it forks) keeps its state: the block
then changes nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["settle", "settled_heap"]

#: Younger passes between two full ones inside the block (Python's default is 10).
FULL_PASS_EVERY = 100

_settling = False


@contextmanager
def settled_heap() -> Iterator[None]:
    """The block's :func:`settle` calls freeze what is alive; at its end the collector is as it was.

    Nested blocks, and a process with objects frozen already, leave the collector to the outermost owner.
    """
    global _settling
    if _settling or gc.get_freeze_count():
        yield
        return
    thresholds = gc.get_threshold()
    _settling = True
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], FULL_PASS_EVERY))
    try:
        yield
    finally:
        _settling = False
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def settle() -> None:
    """Inside :func:`settled_heap`: leave every object alive now out of the collector's passes until the block ends.

    Outside it, nothing.
    """
    if _settling:
        gc.freeze()
