"""Read a YAML audit config into a validated :class:`AuditConfig`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ethicscheck.config._models import AuditConfig
from ethicscheck.errors import ConfigError

__all__ = ["load_config", "read_config_file", "config_from_dict", "config_schema", "format_validation_error"]

# Fields holding file paths; relative ones resolve from the config file's folder, so a config runs
# the same from any working directory.
_PATH_FIELDS: tuple[tuple[str, str], ...] = (
    ("data", "path"),
    ("model", "path"),
    ("output", "dir"),
    ("membership_risk", "members"),
    ("membership_risk", "nonmembers"),
)


def load_config(path: str | Path, *, overrides: dict[str, Any] | None = None) -> AuditConfig:
    """Load, resolve and validate an audit config file.

    Parameters
    ----------
    path : str or Path
        YAML file.
    overrides : dict, optional
        Nested values applied on top of the file before validation, e.g.
        ``{"data": {"path": "/tmp/ads.csv"}}``. Override paths are taken as given (relative to the
        working directory), not relative to the config file.

    Returns
    -------
    AuditConfig

    Raises
    ------
    ConfigError
        When the file is missing, is not YAML, or does not validate. The message names the file and
        the field path, e.g. ``demo.yaml: model -> sklearn -> path: Field required``.
    """
    raw = read_config_file(path)
    if overrides:
        raw = _deep_merge(raw, overrides)
    return config_from_dict(raw, source=str(path))


def read_config_file(path: str | Path) -> dict[str, Any]:
    """The YAML mapping of a config file, with relative file paths resolved from its folder (not validated).

    Raises
    ------
    ConfigError
        The file is missing, not UTF-8, not YAML, or not a mapping.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Config file {path} does not exist. Pass the path of a YAML audit config.")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the config as UTF-8.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings (name, data, model, ...), got {type(raw).__name__}.")
    _resolve_paths(raw, path.parent.resolve())
    return raw


def config_from_dict(raw: dict[str, Any], *, source: str = "config") -> AuditConfig:
    """Validate a config given as a dict (paths taken as they are)."""
    try:
        return AuditConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from None


def config_schema() -> dict[str, Any]:
    """The JSON Schema of the audit config, as printed by ``ethicscheck schema``."""
    schema = AuditConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ethicscheck audit config"
    return schema


def format_validation_error(exc: ValidationError, source: str) -> str:
    """One line per problem: ``source: a -> b -> c: message (got ...)``."""
    lines = []
    for err in exc.errors():
        where = " -> ".join(str(part) for part in err["loc"]) or "(top level)"
        got = ""
        if err["type"] not in ("missing",) and "input" in err and not isinstance(err["input"], dict):
            got = f" (got {json.dumps(err['input'], default=str)[:80]})"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field; check the spelling against `ethicscheck schema`"
        lines.append(f"{source}: {where}: {message}{got}")
    return "\n".join(lines)


def _resolve_paths(raw: dict[str, Any], base: Path) -> None:
    for section, key in _PATH_FIELDS:
        block = raw.get(section)
        if isinstance(block, dict) and isinstance(block.get(key), str):
            block[key] = _resolved(block[key], base)
    probes = raw.get("probes")
    if isinstance(probes, dict) and isinstance(probes.get("lexicon_files"), list):
        probes["lexicon_files"] = [_resolved(p, base) if isinstance(p, str) else p for p in probes["lexicon_files"]]
    for gate in raw.get("gates") or []:
        regression = gate.get("regression") if isinstance(gate, dict) else None
        if isinstance(regression, dict) and isinstance(regression.get("baseline"), str) and ":/" not in regression["baseline"]:
            regression["baseline"] = _resolved(regression["baseline"], base)


def _resolved(value: str, base: Path) -> str:
    if "://" in value:  # a URI (s3a://, hdfs://, file:///): not a path on this machine
        return value
    candidate = Path(value).expanduser()
    return str(candidate if candidate.is_absolute() else (base / candidate).resolve())


def _deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
