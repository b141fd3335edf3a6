"""ethicscheck's recognizers for anti-trafficking data: one module each, registered explicitly.

Each public module of this package is one recognizer and names its class in a module-level ``RECOGNIZER``:
that line is the registration (no subclass walking, no second list to keep in step). A module whose name
starts with ``_`` is a helper. :func:`recognizers_by_entity` (also readable as ``RECOGNIZERS``) maps each
entity type to the classes that find it, in module-name order; ``from ethicscheck.privacy.recognizers import
<ClassName>`` reads a registered class by its name.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Any

__all__ = ["RECOGNIZERS", "recognizers_by_entity"]


def recognizers_by_entity() -> dict[str, tuple[type[Any], ...]]:
    """Entity type -> the recognizer classes that find it: the ``RECOGNIZER`` of every module of this package.

    Raises
    ------
    ImportError
        A public module of the package names no ``RECOGNIZER``, or its class has no ``ENTITY``.
    """
    return _registered(tuple(__path__))


@lru_cache(maxsize=4)
def _registered(folders: tuple[str, ...]) -> dict[str, tuple[type[Any], ...]]:
    found: dict[str, list[type[Any]]] = {}
    for name in sorted({m.name for m in pkgutil.iter_modules(list(folders)) if not m.name.startswith("_")}):
        module = importlib.import_module(f"{__name__}.{name}")
        recognizer = getattr(module, "RECOGNIZER", None)
        entity = getattr(recognizer, "ENTITY", "")
        if not isinstance(recognizer, type) or not entity:
            raise ImportError(
                f"{module.__name__} is a recognizer module but names no recognizer class with an ENTITY: end it with "
                "RECOGNIZER = <its class> (or start the module's name with '_' if it is a helper)"
            )
        found.setdefault(entity, []).append(recognizer)
    return {entity: tuple(classes) for entity, classes in found.items()}


def __getattr__(name: str) -> Any:
    if name == "RECOGNIZERS":
        return recognizers_by_entity()
    for classes in recognizers_by_entity().values():
        for recognizer in classes:
            if recognizer.__name__ == name:
                return recognizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
