"""Which MLflow tracking URI to use, and metric-name slugs MLflow accepts."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import urllib.parse

from ethicscheck.errors import ConfigError

__all__ = ["resolve_tracking_uri", "artifact_location", "slug", "unique_slugs", "public_uri", "DEFAULT_TRACKING_URI"]

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"


def resolve_tracking_uri(configured: str | None, override: str | None = None) -> str:
    """Command line > config > ``$MLFLOW_TRACKING_URI`` > ``sqlite:///mlflow.db``.

    ethicscheck never falls back to MLflow's ``./mlruns`` file store, which MLflow 3 refuses unless
    opted in.

    Raises
    ------
    ConfigError
        The chosen URI cannot be parsed (e.g. ``http://[::1``) or an http(s) URI names no host; the
        message says where it came from.
    """
    env = os.environ.get("MLFLOW_TRACKING_URI")
    for uri, origin in ((override, "--tracking-uri"), (configured, "tracking.uri"), (env, "$MLFLOW_TRACKING_URI")):
        if uri:
            _check_uri(uri, origin)
            return uri
    return DEFAULT_TRACKING_URI


def artifact_location(tracking_uri: str) -> str | None:
    """Where a new experiment keeps its artifacts: ``mlartifacts/`` beside a sqlite store's file.

    Without it MLflow puts a sqlite store's artifacts in ``./mlruns`` of whatever folder the process
    runs in. A tracking server decides for itself (None).

    Examples
    --------
    >>> artifact_location("sqlite:////srv/audits/mlflow.db")
    'file:///srv/audits/mlartifacts'
    >>> artifact_location("http://127.0.0.1:5000") is None
    True
    """
    if not tracking_uri.startswith("sqlite:///"):
        return None
    from pathlib import Path

    database = Path(urllib.parse.unquote(tracking_uri.removeprefix("sqlite:///").split("?")[0]))  # '/abs' or 'relative'
    return (database.resolve().parent / "mlartifacts").as_uri()


def _check_uri(uri: str, origin: str) -> None:
    problem = ""
    try:
        parts = urllib.parse.urlsplit(uri)
        parts.port  # noqa: B018 - parsing the port is the check (a bad one raises)
    except ValueError as exc:
        problem = str(exc)
    else:
        if parts.scheme in ("http", "https") and not parts.hostname:
            problem = "no host name"
    if problem:
        raise ConfigError(
            f"{origin} '{public_uri_text(uri)}' is not a usable MLflow tracking URI ({problem}). "
            "Use e.g. http://127.0.0.1:5000 or sqlite:///mlflow.db."
        )


def public_uri_text(uri: str) -> str:
    """:func:`public_uri`, or for a URI too broken to parse, the text before any credentials."""
    try:
        return public_uri(uri)
    except ValueError:
        return uri.split("@")[-1] if "@" in uri else uri


def public_uri(uri: str) -> str:
    """The URI without credentials, safe to put into a report."""
    parts = urllib.parse.urlsplit(uri)
    if not (parts.username or parts.password or parts.query):
        return uri  # urlunsplit would turn sqlite:///x into sqlite:/x
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=""))


_UNSAFE = re.compile(r"[^a-z0-9_.-]+")


def slug(value: str) -> str:
    """A readable metric-name part MLflow accepts (it rejects ``=`` and most punctuation).

    ASCII letters and digits survive in lower case; runs of anything else become ``_``. A value with
    nothing readable left (a non-Latin script) becomes ``_`` plus a short stable hash.
    """
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    cleaned = _UNSAFE.sub("_", folded).strip("_")
    return (cleaned or f"_{_short_hash(value)}")[:120]


def unique_slugs(values: list[str]) -> dict[str, str]:
    """Slugs for a feature's groups, made unique: colliding ones get a short hash of the raw value."""
    plain = {v: slug(v) for v in values}
    counts: dict[str, int] = {}
    for s in plain.values():
        counts[s] = counts.get(s, 0) + 1
    return {v: s if counts[s] == 1 else f"{s}-{_short_hash(v)}" for v, s in plain.items()}


def _short_hash(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:6]
