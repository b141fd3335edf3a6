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
