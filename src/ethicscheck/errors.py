"""The exceptions ethicscheck raises for user mistakes.

Every error a user can fix (a bad config, a missing column, a model that does not load) is an
``EthicsCheckError``. The CLI turns it into one line on stderr and exit code 2; anything else that
escapes is a bug in ethicscheck.
"""

from __future__ import annotations

__all__ = [
    "require_supported_mlflow",
    "EthicsCheckError",
    "ConfigError",
    "DataError",
    "ModelError",
    "TrackingError",
    "PersonalDataError",
    "MissingExtraError",
    "require_extra",
    "EthicsCheckDeprecationWarning",
    "renamed_keyword",
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


class PersonalDataError(EthicsCheckError):
    """Personal data was found in something about to be published and was not replaced by a pseudonym
    (``privacy.on_personal_data: stop``, or a value that cannot be traced to where it came from)."""


class MissingExtraError(EthicsCheckError):
    """A feature needs an optional dependency group (a pip "extra") that is not installed."""


#: Optional dependency groups: extra name -> (import name, distribution) of what it installs.
EXTRAS: dict[str, tuple[tuple[str, str], ...]] = {
    "compare": (("art", "adversarial-robustness-toolbox"), ("diffprivlib", "diffprivlib")),
    "dp": (("diffprivlib", "diffprivlib"),),
    "onnx": (("onnxruntime", "onnxruntime"),),
    "spark": (("pyspark", "pyspark"),),
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


def require_supported_mlflow() -> None:
    """Raise :class:`TrackingError` (exit 2) when the installed MLflow is older than ethicscheck supports.

    ethicscheck's MLflow range is its package requirement (``mlflow>=3.17,<3.19`` in pyproject). MLflow 2.x
    is refused rather than half-supported: its run, dataset and evaluation APIs differ from 3.x, and no
    2.x release is tested. The message names the installed version and the two ways forward.
    """
    from importlib.metadata import PackageNotFoundError, requires, version

    try:
        installed = version("mlflow")
    except PackageNotFoundError:
        return  # the import that follows names the missing package
    try:
        wanted = next(
            (r.split(";")[0].strip() for r in requires("ethicscheck") or () if r.replace(" ", "").startswith("mlflow")), "mlflow>=3"
        )
    except PackageNotFoundError:
        wanted = "mlflow>=3"
    major = int(installed.split(".")[0]) if installed.split(".")[0].isdigit() else 0
    if major < 3:
        raise TrackingError(
            f"MLflow {installed} is installed; ethicscheck supports {wanted} (MLflow 2.x is not supported: its run, dataset and "
            f"model-evaluation APIs differ). Upgrade it with pip install '{wanted}', or audit without MLflow: --no-tracking "
            "(tracking.enabled: false)."
        )


class EthicsCheckDeprecationWarning(FutureWarning):
    """A setting or argument still read under an old name; the message names the new one.

    A ``FutureWarning`` rather than a ``DeprecationWarning`` so that Python shows it by default: the
    person who can fix it is the author of a config file, not a library developer.
    """


def renamed_keyword(
    value: float | None, old_value: float | None, *, old: str, new: str, function: str, default: float | None = None
) -> float:
    """The value of a keyword argument that was renamed: ``new``'s, or ``old``'s with a warning naming ``new``.

    ``default`` is the value when neither keyword was given (None: one of them is required).

    Raises
    ------
    TypeError
        Neither keyword was given and there is no default (the message names the new one).
    """
    if old_value is not None:
        import warnings

        warnings.warn(f"{function}({old}=...) is deprecated; pass {new}=...", EthicsCheckDeprecationWarning, stacklevel=3)
        if value is None:
            return old_value
    if value is None:
        if default is not None:
            return default
        raise TypeError(f"{function}() needs the keyword argument {new}")
    return value
