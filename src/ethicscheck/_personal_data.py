"""The audit's publication rule for personal data: pseudonymise what the self-scan finds, or stop.

Two checkpoints, both judged by the self-scan's recognizers (``privacy.phone_regions``):

1. Before anything is computed (:func:`protect_inputs`): group values, feature display names and card
   fields. Pseudonyms made here flow into everything built later — chart file names, MLflow metric keys
   and tables — so nothing is slugged from a contact value. Engines that read rows in batches apply the
   same rule in two steps: :func:`protect_config` before reading, :func:`protect_groups` on the distinct
   group values their first pass collected. A face-matching audit applies :func:`protect_config` and
   :func:`protect_columns` (both sides' subject attributes) the same way.
2. After the report is written, before it is published (:func:`publish_without_personal_data`), for both
   kinds of audit: every report file (each JSON string, table cell, paragraph and chart label on its own;
   file names) and the evaluation-data values the input scan found. What it finds is replaced in the result,
   the card fields, gate names and a face-matching card's group nouns, and the report is written again and
   scanned again; anything still found stops the audit (fail closed).

With ``privacy.on_personal_data: stop`` either checkpoint stops the audit with exit 2 naming the column,
field or file, before anything is published.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd

from ethicscheck._pseudonyms import (
    check_card_fields,
    json_strings,
    pseudonym,
    pseudonymize_columns,
    pseudonymize_names,
    pseudonymize_strings,
    replace_everywhere,
)
from ethicscheck._reporter import Reporter
from ethicscheck.config import AuditConfig
from ethicscheck.data import Dataset
from ethicscheck.errors import PersonalDataError
from ethicscheck.privacy import ArtifactScan, Leak, contact_finder, find_leaks
from ethicscheck.result import AuditResult, VerificationAuditResult

__all__ = [
    "Protected",
    "Published",
    "keep_pseudonyms",
    "protect_columns",
    "protect_config",
    "protect_groups",
    "protect_inputs",
    "publish_without_personal_data",
]

#: The result of either kind of audit: a classification audit's or a face-matching (verification) audit's.
R = TypeVar("R", AuditResult, VerificationAuditResult)


@dataclass(frozen=True)
class Protected:
    """The config and data with contact data replaced, and the mapping back (kept local)."""

    config: AuditConfig
    dataset: Dataset
    pseudonyms: dict[str, str]


@dataclass(frozen=True)
class Published(Generic[R]):
    """The report as written after the self-scan: result, config and files, the scan, and new pseudonyms."""

    result: R
    config: AuditConfig
    files: dict[str, Path]
    scan: ArtifactScan
    pseudonyms: dict[str, str]


def protect_inputs(config: AuditConfig, dataset: Dataset) -> Protected:
    """Pseudonymise (or stop on) contact data in group values, feature display names and card fields.

    Raises
    ------
    PersonalDataError
        ``privacy.on_personal_data: stop`` and contact data was found (the message names the column or field).
    """
    config, named = protect_config(config)
    frame, groups = protect_columns(config, dataset.frame, [f.column for f in config.data.sensitive_features if f.bins is None])
    if groups:
        dataset = replace(dataset, frame=frame)
    return Protected(config, dataset, {**groups, **named})


def protect_columns(config: AuditConfig, frame: pd.DataFrame, columns: Iterable[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` with the values of ``columns`` that hold contact data replaced by ``group-<hash>``; and the mapping.

    Judged by the self-scan's recognizers (``privacy.phone_regions``), so a value only they see (a spelled-out
    phone number, a handle after "snap") is replaced like an e-mail address.

    Raises
    ------
    PersonalDataError
        ``privacy.on_personal_data: stop`` and a value holds contact data (the message names the column).
    """
    settings = config.privacy
    return pseudonymize_columns(
        frame,
        columns,
        salt=settings.hash_salt,
        finder=contact_finder(tuple(settings.phone_regions)),
        on_personal_data=settings.on_personal_data,
    )


def protect_config(config: AuditConfig) -> tuple[AuditConfig, dict[str, str]]:
    """``config`` with contact data in feature display names and card fields pseudonymised, and the mapping.

    Raises
    ------
    PersonalDataError
        ``privacy.on_personal_data: stop`` and a name or card field holds contact data (the message names it).
    """
    settings = config.privacy
    finder = contact_finder(tuple(settings.phone_regions))
    mode = settings.on_personal_data
    if mode == "stop":
        check_card_fields(config.card, finder)
    features = config.data.sensitive_features
    names = pseudonymize_names(
        {f"data.sensitive_features[{i}].name": f.display_name for i, f in enumerate(features)},
        salt=settings.hash_salt,
        finder=finder,
        on_personal_data=mode,
    )
    card = pseudonymize_strings(
        [text for _, text in json_strings(config.card.model_dump(mode="json"))], salt=settings.hash_salt, finder=finder
    )
    if names or card:
        config = _config_with(config, {**names, **card}, feature_names=names)
    return config, {**names, **card}


def protect_groups(config: AuditConfig, groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``{group value: group-<hash>}`` for the distinct group values (by column) that hold contact data.

    For engines that read rows in batches: the values are scanned once, on the driver, by the same
    recognizers as in memory; each batch then replaces them by the mapping.

    Raises
    ------
    PersonalDataError
        ``privacy.on_personal_data: stop`` and a group value holds contact data (the message names the column).
    """
    mapping: dict[str, str] = {}
    for column, values in groups.items():
        mapping.update(protect_columns(config, pd.DataFrame({column: sorted(values)}), [column])[1])
    return mapping


def publish_without_personal_data(
    result: R,
    config: AuditConfig,
    files: dict[str, Path],
    *,
    write: Callable[[R, AuditConfig], dict[str, Path]],
    known_values: set[str],
) -> Published[R]:
    """Scan the written report; pseudonymise what is found and write it again (or stop), and scan that.

    ``write(result, config)`` writes the report into the staging folder and returns its files. The same rule for a
    classification audit and a face-matching audit (whose report has no input values to look for: ``known_values``
    is empty).

    Raises
    ------
    PersonalDataError
        ``privacy.on_personal_data: stop`` and the scan found something, or a finding could not be traced to
        a value of the result or the card (it would be published unchanged). Nothing is published then.
    """
    settings = config.privacy
    regions = tuple(settings.phone_regions)
    scan, leaks = find_leaks(files.values(), known_values=known_values, phone_regions=regions)
    if not leaks:
        return Published(result, config, files, scan, {})
    if settings.on_personal_data == "stop":
        raise PersonalDataError(
            _stop_message(
                leaks,
                "privacy.on_personal_data is 'stop'",
                "Remove it from the data or config, or set privacy.on_personal_data: pseudonymize to publish a pseudonym instead",
            )
        )
    mapping = {leak.value: pseudonym(leak.value, prefix="contact", salt=settings.hash_salt) for leak in leaks}
    result = type(result).from_dict(replace_everywhere(result.to_dict(), mapping))
    config = _config_with(config, mapping)
    for path in files.values():  # chart names can change with the names in them: no first-pass file survives
        path.unlink(missing_ok=True)
    files = write(result, config)
    scan, leaks = find_leaks(files.values(), known_values=known_values, phone_regions=regions)
    if leaks:
        raise PersonalDataError(
            _stop_message(leaks, "it could not be replaced by a pseudonym", "Remove it from the data or config and run the audit again")
        )
    return Published(result, config, files, replace(scan, pseudonymized=len(mapping)), mapping)


def keep_pseudonyms(pseudonyms: Mapping[str, str], report_dir: Path, reporter: Reporter) -> Path | None:
    """Write the mapping back from pseudonyms beside ``report_dir`` (never into it) and warn where it is.

    Returns the file, or None when nothing was pseudonymised.
    """
    if not pseudonyms:
        return None
    private = report_dir.parent / f".{report_dir.name}.pseudonyms.json"
    private.write_text(json.dumps(dict(pseudonyms), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    reporter.warning(
        f"{len(pseudonyms)} value(s) held contact data and are published as pseudonyms (group-…, feature-…, contact-…); "
        f"the mapping is only in {private}, outside the report folder: do not share it."
    )
    return private


def _stop_message(leaks: tuple[Leak, ...], why: str, fix: str) -> str:
    first = leaks[0]
    places = sorted({leak.place for leak in leaks})
    more = f" (and {len(places) - 1} more place(s))" if len(places) > 1 else ""
    return f"The report would publish {first.kind} in {first.place}{more}, and {why}; nothing was published. {fix}."


def _config_with(config: AuditConfig, mapping: dict[str, str], *, feature_names: dict[str, str] | None = None) -> AuditConfig:
    """``config`` with ``mapping`` applied to the card fields, gate scopes and a face-matching card's group nouns, and
    features renamed per ``feature_names``.

    Column names stay: they address the data, which is already read.
    """
    features = [f.model_copy(update={"name": (feature_names or {}).get(f.display_name, f.name)}) for f in config.data.sensitive_features]
    card = type(config.card).model_validate(replace_everywhere(config.card.model_dump(mode="json"), mapping))
    gates = [type(g).model_validate(replace_everywhere(g.model_dump(mode="json", exclude_unset=True), mapping)) for g in config.gates]
    data = config.data.model_copy(update={"sensitive_features": features})
    update = {"data": data, "card": card, "gates": gates}
    if config.verification is not None:
        nouns = replace_everywhere(dict(config.verification.group_nouns), mapping)
        update["verification"] = config.verification.model_copy(update={"group_nouns": nouns})
    return config.model_copy(update=update)
