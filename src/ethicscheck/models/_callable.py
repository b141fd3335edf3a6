"""A Python function ``f(DataFrame) -> decisions | scores | probabilities``."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ethicscheck._values import scrub_message
from ethicscheck.config import CallableModelConfig
from ethicscheck.errors import ModelError
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._guard import user_code
from ethicscheck.models._inputs import InputSpec, LoadContext
from ethicscheck.models._protocol import ModelInfo, Predictions

__all__ = ["CallableDetector", "load_callable", "import_target"]


class CallableDetector(BatchDetector):
    """Calls the function on each batch of input columns."""

    def __init__(self, function: Callable[[pd.DataFrame], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.function = function

    def _score(self, batch: pd.DataFrame) -> Predictions:
        with user_code(self.info.source, doing="scoring rows"):
            raw = self.function(self.inputs.take(batch))
        return self._read(raw, len(batch))


def load_callable(config: CallableModelConfig, *, inputs: InputSpec, positive_class: Any, context: LoadContext) -> CallableDetector:
    """Import ``config.target`` (a file target relative to ``context.base_dir``) and wrap it."""
    function = import_target(config.target, base_dir=context.base_dir, field="model.target")
    info = ModelInfo(kind="callable", source=config.target.rsplit("/", 1)[-1])
    return CallableDetector(
        function,
        inputs=inputs,
        positive_class=positive_class,
        threshold=config.threshold,
        batch_size=config.batch_size,
        info=info,
        output=config.output,
    )


def import_target(target: str, *, base_dir: Path | None = None, field: str) -> Callable[..., Any]:
    """Resolve ``'package.module:name'`` or ``'path/to/file.py:name'`` to the named callable.

    Raises
    ------
    ModelError
        The target is malformed, cannot be imported, or is not callable.
    """
    module_part, sep, attribute = target.rpartition(":")
    if not sep or not module_part or not attribute:
        raise ModelError(f"{field} '{target}' must look like 'package.module:function' or 'file.py:function'.")
    hint = " Install it or check PYTHONPATH." if not module_part.endswith(".py") else ""
    with user_code(f"{field} '{module_part}'", doing="importing it", hint=hint):
        if module_part.endswith(".py"):
            path = Path(module_part)
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path
            if not path.is_file():
                raise ModelError(f"{field}: file {path} does not exist.")
            spec = importlib.util.spec_from_file_location(f"_ethicscheck_target_{path.stem}", path)
            if spec is None or spec.loader is None:
                raise ModelError(f"{field}: {path} cannot be imported as a Python module.")
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
        else:
            try:
                module = importlib.import_module(module_part)
            except ImportError as exc:
                raise ModelError(f"{field}: cannot import '{module_part}' ({scrub_message(str(exc))}).{hint}") from None
    function: object = getattr(module, attribute, None)
    if not callable(function):
        raise ModelError(f"{field}: '{module_part}' has no callable named '{attribute}'.")
    return function
