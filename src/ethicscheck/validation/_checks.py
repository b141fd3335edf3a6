"""Check an audit or comparison config for everything that can be known without scoring a row.

Schema, then files (exist, readable, right format), columns (from the header or the Parquet schema
only), label values (the label column alone is read), gate scopes and metrics, the model file, and
optionally the model itself (``load_model=True``). Every problem is collected; nothing stops at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ethicscheck._serialize import Serializable
from ethicscheck._vocabulary import SCORE_METRICS
from ethicscheck.config import (
    AuditConfig,
    DataConfig,
    PrecomputedModelConfig,
    PrivacyConfig,
    config_from_dict,
    gate_metric_rate,
    model_file,
    read_config_file,
)
from ethicscheck.data import (
    apply_filter,
    binary_labels,
    configured_columns,
    load_dataset,
    read_column,
    read_columns,
    read_options,
    read_table,
)
from ethicscheck.errors import EthicsCheckError, require_extra
from ethicscheck.models import ModelInfo, PrecomputedDetector, load_detector

__all__ = ["ValidationReport", "feature_names", "validate_file"]

ConfigKind = Literal["audit", "compare"]
#: Top-level keys only a comparison config has: a file with any of them (and no `model`) is one.
_COMPARE_KEYS = frozenset({"candidates", "mitigate_for", "synth", "seeds", "split", "baseline", "privacy_risk", "features", "out_dir"})


@dataclass(frozen=True)
class ValidationReport(Serializable):
    """What ``ethicscheck validate`` found: the config's kind, every problem, and what was checked."""

    path: Path
    kind: ConfigKind
    problems: tuple[str, ...]
    checked: tuple[str, ...] = ()
    summary: str = ""

    JSON_ORDER = ("path", "kind", "valid", "problems", "checked", "summary")

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class _Found:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


def validate_file(path: str | Path, *, load_model: bool = False, tracking_uri: str | None = None) -> ValidationReport:
    """Validate an audit or comparison config without scoring.

    Parameters
    ----------
    path : str or Path
        The YAML file. A comparison config is recognised by its shape (``candidates``, ``synth``,
        ``mitigate_for``, ... and no ``model``).
    load_model : bool
        Also load the model (and the whole data file, which precomputed decisions need). Loading runs
        the model's code for callables and pickled models, so it is off unless asked for.
    tracking_uri : str, optional
        For ``models:/`` and ``runs:/`` models when ``load_model`` is set.

    Returns
    -------
    ValidationReport
        ``valid`` when ``problems`` is empty; each problem is one line naming the file and field.
    """
    path = Path(path)
    try:
        raw = read_config_file(path)
    except EthicsCheckError as exc:
        return ValidationReport(path, "audit", (str(exc),))
    if "model" not in raw and _COMPARE_KEYS & raw.keys():
        return _validate_compare(path, raw)
    return _validate_audit(path, raw, load_model=load_model, tracking_uri=tracking_uri)


def _validate_audit(path: Path, raw: dict[str, Any], *, load_model: bool, tracking_uri: str | None) -> ValidationReport:
    found = _Found()
    try:
        config: AuditConfig | None = config_from_dict(raw, source=str(path))
    except EthicsCheckError as exc:
        found.problems.extend(str(exc).splitlines())
        config = None
    found.checked.append("schema")
    if config is not None and config.task == "verification":
        return _validate_verification(path, config, found)
    data = config.data if config else _section(raw, "data", DataConfig)
    columns = _check_data(path, data, found) if data else None
    if config is None:
        return ValidationReport(path, "audit", tuple(found.problems), tuple(found.checked))
    if columns is not None:
        _check_roles(path, config, columns, found)
    _check_model_files(path, config, found)
    _check_gates(path, config, found)
    if load_model and not found.problems:
        _load_model(path, config, found, tracking_uri)
    summary = f"{config.model.kind} model, {len(config.data.sensitive_features)} sensitive feature(s), {len(config.gates)} gate(s)"
    return ValidationReport(path, "audit", tuple(found.problems), tuple(found.checked), summary)


def _validate_verification(path: Path, config: AuditConfig, found: _Found) -> ValidationReport:
    """A face-matching config: the comparisons file is read and checked as the audit reads it (no statistics)."""
    from ethicscheck._verification_audit import read_comparisons

    if not config.data.path.is_absolute():
        config = config.model_copy(update={"data": config.data.model_copy(update={"path": path.parent / config.data.path})})
    try:
        comparisons, _ = read_comparisons(config)
    except EthicsCheckError as exc:
        found.add("data", str(exc))
        return ValidationReport(path, "audit", tuple(found.problems), tuple(found.checked))
    found.checked.append("comparisons")
    summary = f"{comparisons.n_comparisons:,} comparisons of {comparisons.n_subjects:,} people, {len(config.gates)} gate(s)"
    return ValidationReport(path, "audit", tuple(found.problems), tuple(found.checked), summary)


def _validate_compare(path: Path, raw: dict[str, Any]) -> ValidationReport:
    from ethicscheck.compare import load_compare_config

    found = _Found()
    try:
        config = load_compare_config(path)
    except EthicsCheckError as exc:
        found.problems.extend(str(exc).splitlines())
        data = _section(raw, "data", DataConfig)
        if data:
            _check_data(path, data, found)
        return ValidationReport(path, "compare", tuple(found.problems), ("schema (comparison)",))
    found.checked.append("schema (comparison)")
    if config.data is not None:
        columns = _check_data(path, config.data, found)
        tabular = getattr(config.features, "columns", None) or []
        text = getattr(config.features, "column", None)
        if columns is not None:
            wanted = {f"features.columns[{i}]": c for i, c in enumerate(tabular)}
            if text:
                wanted["features.column"] = text
            _require(path, columns, wanted, found)
    found.checked.append("extras")
    modules: tuple[str, ...] = ("art", "diffprivlib") if any(c.method.startswith("dp_") for c in config.candidates) else ("art",)
    try:
        require_extra("compare", feature="ethicscheck compare", modules=modules)
    except EthicsCheckError as exc:
        found.add(f"{path}", str(exc))
    for index, candidate in enumerate(config.candidates):
        factory = getattr(candidate, "factory", None)
        if factory:
            _check_target(path, f"candidates[{index}] -> factory", factory, found)
    source = "synthetic corpus" if config.synth is not None else "data file"
    summary = f"comparison on the {source}, {len(config.candidates)} candidate(s), {len(config.seeds)} seed(s)"
    return ValidationReport(path, "compare", tuple(found.problems), tuple(found.checked), summary)


def _section(raw: dict[str, Any], key: str, model: type[DataConfig]) -> DataConfig | None:
    """One section validated alone, so file checks still run when another section is broken."""
    try:
        return model.model_validate(raw.get(key))
    except Exception:  # its schema errors were reported with the whole config
        return None


# --------------------------------------------------------------------------- data


def _check_data(path: Path, data: DataConfig, found: _Found) -> list[str] | None:
    """File exists and is readable; returns its columns (header or schema only), or None."""
    if data.table is not None or data.location != str(data.path):
        return None  # a table or URI only Spark reads: the audit checks its columns there
    found.checked.append("data file")
    try:
        columns = read_columns(Path(data.path), format=data.format, options=read_options(data))
    except EthicsCheckError as exc:
        found.add(f"{path}: data -> path", str(exc))
        return None
    found.checked.append("columns")
    wanted = {field.replace(".", " -> "): column for field, column in configured_columns(data).items()}
    if _require(path, columns, wanted, found) and data.label.column in columns:
        _check_labels(path, data, found)
    return columns


def _check_labels(path: Path, data: DataConfig, found: _Found) -> None:

    found.checked.append("label values")
    try:
        if data.filter:  # the labels that count are those of the filtered rows, so the whole table is read
            frame = read_table(Path(data.path), format=data.format, options=read_options(data))
            values = apply_filter(frame, data.filter, source=Path(data.path).name)[0][data.label.column]
        else:
            values = read_column(Path(data.path), data.label.column, format=data.format, options=read_options(data))
        binary_labels(values, data.label.positive, where=f"{Path(data.path).name} column '{data.label.column}'")
    except EthicsCheckError as exc:
        found.add(f"{path}: data -> label", str(exc))


def _require(path: Path, columns: list[str], wanted: dict[str, str], found: _Found) -> bool:
    ok = True
    for where, column in wanted.items():
        if column not in columns:
            ok = False
            found.add(f"{path}: {where}", f"column '{column}' is not in the data file{_suggest(column, columns)}")
    return ok


def _check_roles(path: Path, config: AuditConfig, columns: list[str], found: _Found) -> None:
    """Columns named outside the data section: model inputs, precomputed decisions, privacy columns."""
    model = config.model
    inputs = getattr(model, "input_columns", None)
    listed = inputs if isinstance(inputs, list) else []  # "all_but_label" names no column
    wanted: dict[str, str] = {f"model -> input_columns[{i}]": c for i, c in enumerate(listed)}
    if model.kind == "precomputed" and model.path is None:
        for key in ("decision_column", "score_column"):
            if getattr(model, key):
                wanted[f"model -> {key}"] = getattr(model, key)
        if all(getattr(model, key) in columns for key in ("decision_column", "score_column") if getattr(model, key)):
            _check_decisions(path, config, found)
    privacy: PrivacyConfig = config.privacy
    if privacy.enabled:
        wanted.update({f"privacy -> columns[{i}]": c for i, c in enumerate(privacy.columns or [])})
        wanted.update({f"privacy -> output_columns[{i}]": c for i, c in enumerate(privacy.output_columns)})
    _require(path, columns, wanted, found)


def _check_decisions(path: Path, config: AuditConfig, found: _Found) -> None:
    """Precomputed decisions and scores in the data are read as the audit reads them (no model runs)."""
    data, model = config.data, config.model
    assert isinstance(model, PrecomputedModelConfig)
    found.checked.append("decision values")
    source = Path(data.path).name
    try:
        frame = read_table(Path(data.path), format=data.format, options=read_options(data))
        frame = apply_filter(frame, data.filter, source=source)[0]
        info = ModelInfo("precomputed", source)
        PrecomputedDetector(None, config=model, positive_class=config.positive_class, info=info, source=source).predict(frame)
    except EthicsCheckError as exc:
        found.add(f"{path}: model", str(exc))


# --------------------------------------------------------------------------- model


def _check_model_files(path: Path, config: AuditConfig, found: _Found) -> None:
    model = config.model
    found.checked.append("model source")
    saved = model_file(model)
    if saved is not None:
        _file_exists(path, f"model -> {saved[0]}", saved[1], found)
    elif model.kind == "precomputed" and model.path is not None:
        if not config.data.id_column:
            found.add(f"{path}: data -> id_column", "a separate predictions file (model.path) is joined on data.id_column; set it")
        if _file_exists(path, "model -> path", Path(model.path), found):
            try:
                columns = read_columns(Path(model.path))
            except EthicsCheckError as exc:
                found.add(f"{path}: model -> path", str(exc))
                return
            wanted = {f"model -> {k}": getattr(model, k) for k in ("decision_column", "score_column") if getattr(model, k)}
            if config.data.id_column:
                wanted["data -> id_column (in the predictions file)"] = config.data.id_column
            _require(path, columns, wanted, found)
    elif model.kind == "callable":
        _check_target(path, "model -> target", model.target, found)


def _check_target(path: Path, where: str, target: str, found: _Found) -> None:
    """``file.py:function``: the file exists. A module target is only imported with ``--load-model``."""
    module, _, function = target.rpartition(":")
    if not module or not function:
        found.add(f"{path}: {where}", f"'{target}' is not 'package.module:function' or 'file.py:function'")
    elif module.endswith(".py"):
        file = Path(module) if Path(module).is_absolute() else path.parent / module
        _file_exists(path, where, file, found)


def _file_exists(path: Path, where: str, file: Path, found: _Found) -> bool:
    if file.is_file():
        return True
    found.add(f"{path}: {where}", f"{file} does not exist" + (" (it is a folder)" if file.is_dir() else ""))
    return False


def _load_model(path: Path, config: AuditConfig, found: _Found, tracking_uri: str | None) -> None:
    from ethicscheck.tracking import resolve_tracking_uri

    found.checked.append("model loads")
    try:
        dataset = load_dataset(config)
        load_detector(config, dataset, tracking_uri=resolve_tracking_uri(config.tracking.uri, tracking_uri), base_dir=path.parent.resolve())
    except EthicsCheckError as exc:
        found.add(f"{path}: model", str(exc))


# --------------------------------------------------------------------------- gates


def _check_gates(path: Path, config: AuditConfig, found: _Found) -> None:
    from ethicscheck.gates import gate_scopes

    found.checked.append("gates")
    singles, crossed = feature_names(config)
    has_scores = _has_scores(config)
    for index, gate in enumerate(config.gates):
        where = f"{path}: gates[{index}]"
        try:
            gate_scopes(gate, singles, crossed, index=index)
        except EthicsCheckError:
            known = ", ".join(repr(s) for s in (*singles, *crossed))
            found.add(
                f"{where} -> scope",
                f"'{gate.scope}' is not an audited feature{_suggest(gate.scope, [*singles, *crossed])}; "
                f"known: {known}, or '*', 'features', 'intersections'",
            )
        rate = gate_metric_rate(gate.metric)
        if rate in SCORE_METRICS:
            if has_scores is False:
                found.add(f"{where} -> metric", f"'{gate.metric}' needs model scores, and this model gives decisions only")
        elif rate is not None and rate not in config.fairness.metrics:
            found.add(f"{where} -> metric", f"'{gate.metric}' needs '{rate}' in fairness.metrics")
        if gate.regression is not None and ":/" not in gate.regression.baseline:
            baseline = Path(gate.regression.baseline)
            if not (baseline.is_file() or (baseline / "audit.json").is_file()):
                found.add(
                    f"{where} -> regression -> baseline", f"{baseline} does not exist (a saved audit.json, its folder, or models:/...)"
                )


def feature_names(config: AuditConfig) -> tuple[list[str], list[str]]:
    """The names the audit will give its single features and its intersections (``a & b``), from the config."""
    features = config.data.sensitive_features
    singles = [f.display_name for f in features]
    by_column = {f.column: f.display_name for f in features}
    if config.data.intersections == "none":
        return singles, []
    if config.data.intersections == "all":
        return singles, [" & ".join(singles)] if len(features) > 1 else []
    return singles, [" & ".join(by_column.get(c, c) for c in combo) for combo in config.data.intersections]


def _has_scores(config: AuditConfig) -> bool | None:
    """Whether the model gives scores, when that is known before loading it (None: only scoring tells)."""
    model = config.model
    if model.kind == "precomputed":
        return model.score_column is not None
    output = getattr(model, "output", "auto")
    return False if output == "label" else None


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
