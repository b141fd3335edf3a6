"""The exceptions ethicscheck raises for user mistakes.

Every error a user can fix (a bad config, a missing column, a model that does not load) is an
``EthicsCheckError``. The CLI turns it into one line on stderr and exit code 2; anything else that
escapes is a bug in ethicscheck.
"""

from __future__ import annotations

__all__ = [
    "EthicsCheckError",
    "ConfigError",
    "DataError",
    "ModelError",
    "TrackingError",
    "MissingExtraError",
    "require_extra",
    "EthicsCheckDeprecationWarning",
]


class EthicsCheckError(Exception):
    """Root of every error that a user can fix; the CLI exits with code 2."""


class ConfigError(EthicsCheckError):
    """The configuration file is missing, unreadable or invalid."""


class DataError(EthicsCheckError):
    """The labeled data cannot be read or does not fit the configured column roles."""


class ModelError(EthicsCheckError):
    """The detection model cannot be loaded or did not return usable predictions."""


class TrackingError(EthicsCheckError):
    """MLflow could not be reached or refused what ethicscheck logged."""


class MissingExtraError(EthicsCheckError):
    """A feature needs an optional dependency group (a pip "extra") that is not installed."""


#: Optional dependency groups: extra name -> (import name, distribution) of what it installs.
EXTRAS: dict[str, tuple[tuple[str, str], ...]] = {
    "compare": (("art", "adversarial-robustness-toolbox"), ("diffprivlib", "diffprivlib")),
    "dp": (("diffprivlib", "diffprivlib"),),
    "onnx": (("onnxruntime", "onnxruntime"),),
}


def require_extra(extra: str, *, feature: str, modules: tuple[str, ...] | None = None) -> None:
    """Raise :class:`MissingExtraError` (exit 2) naming the pip command when ``extra``'s packages are missing.

    ``modules`` limits the check to some of the extra's import names (e.g. only ``diffprivlib``).
    Looking a module up does not import it.
    """
    from importlib.util import find_spec

    missing = [dist for module, dist in EXTRAS[extra] if (modules is None or module in modules) and find_spec(module) is None]
    if missing:
        raise MissingExtraError(
            f"{feature} needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed. "
            f"Install the extra: pip install 'ethicscheck[{extra}]'."
        )


class EthicsCheckDeprecationWarning(FutureWarning):
    """A setting or argument still read under an old name; the message names the new one.

    A ``FutureWarning`` rather than a ``DeprecationWarning`` so that Python shows it by default: the
    person who can fix it is the author of a config file, not a library developer.
    """
