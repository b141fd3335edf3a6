"""What a published result says about how it was made: the config as published, package versions, clock.

Shared by the orchestrators (audit and compare), so both describe their runs the same way.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ethicscheck._pseudonyms import pseudonym
from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
from ethicscheck.config import AuditConfig
from ethicscheck.models import public_url
from ethicscheck.privacy import contact_finder
from ethicscheck.tracking import public_uri

__all__ = ["public_config", "public_file_name", "published_file_name", "config_digest", "package_versions", "now"]

#: Packages whose versions shape an audit's numbers.
_PACKAGES = ("numpy", "pandas", "scikit-learn", "fairlearn", "presidio-analyzer", "mlflow", "skops")


def public_config(config: AuditConfig) -> dict[str, Any]:
    """The resolved config as published: file paths reduced to file names, no header values, no pseudonym salt."""
    data = config.model_dump(mode="json")

    def named(path: str | Path) -> str:
        return published_file_name(config, Path(path).name)

    if data.get("task") == "classification":  # published (and digested) exactly as before verification audits existed
        data.pop("task")
        data.pop("verification", None)
    data["data"]["path"] = named(config.data.path)
    if config.data.table is None:
        data["data"].pop("table", None)  # an audit of a file publishes (and digests) the config as before
    else:  # a table is its name (data.path stands for it inside ethicscheck)
        data["data"]["table"] = data["data"].pop("path")
    if data["model"].get("path"):
        data["model"]["path"] = named(data["model"]["path"])
    if data["privacy"].get("hash_salt"):  # a published salt would let anyone recompute the pseudonyms
        data["privacy"]["hash_salt"] = "***"
    if data["model"].get("headers"):
        data["model"]["headers"] = {k: "***" for k in data["model"]["headers"]}
    if data["model"].get("url"):
        data["model"]["url"] = public_url(data["model"]["url"])
    if data["output"].get("dir"):
        data["output"]["dir"] = Path(data["output"]["dir"]).name
    if data["tracking"].get("uri"):
        data["tracking"]["uri"] = public_uri(data["tracking"]["uri"])
    if data.get("membership_risk") is None:
        data.pop("membership_risk", None)  # an audit without it publishes (and digests) the config as before
    else:
        for key in ("members", "nonmembers"):
            data["membership_risk"][key] = named(data["membership_risk"][key])
    if data.get("probes"):
        data["probes"]["lexicon_files"] = [Path(p).name for p in data["probes"]["lexicon_files"]]
    return data


def public_file_name(name: str, *, salt: str, phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS) -> str:
    """A file name as published: ``file-<hash>.<suffix>`` when the self-scan's recognizers find contact data in it."""
    if not contact_finder(tuple(phone_regions))(name):
        return name
    return pseudonym(name, prefix="file", salt=salt) + Path(name).suffix


def published_file_name(config: AuditConfig, name: str) -> str:
    """:func:`public_file_name` with the audit's privacy settings: how a file is named in what the audit publishes or prints."""
    return public_file_name(name, salt=config.privacy.hash_salt, phone_regions=tuple(config.privacy.phone_regions))


def config_digest(published: dict[str, Any]) -> str:
    """SHA-256 of a published config (key order does not matter)."""
    return hashlib.sha256(json.dumps(published, sort_keys=True, default=str).encode()).hexdigest()


def package_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Installed versions of the packages that shape results (for provenance)."""
    return {name: _version(name) for name in (*_PACKAGES, *extra)}


def now() -> str:
    """The current UTC time, to the second, in ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"
