"""The steps every batch goes through, whichever engine feeds the batches (the stream engine or Spark partitions).

Role columns first (:class:`RoleTally`: label counts, group names, filter counts, missing group values,
a precomputed score's range; tallies of consecutive batches merge; then the group names holding contact
data get pseudonyms, judged once by the self-scan's recognizers: :meth:`RoleTally.protect`), then each batch is
filtered, pseudonymised, encoded onto the whole data's groups (:func:`prepare_batch`), scored and
scanned; :func:`measured` assembles what the audit publishes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._personal_data import protect_groups
from ethicscheck._provenance import public_file_name
from ethicscheck._pseudonyms import apply_pseudonyms, pseudonymize_text
from ethicscheck._values import describe_counts, equals_value
from ethicscheck.config import AuditConfig, DataConfig, PrecomputedModelConfig
from ethicscheck.data import (
    Dataset,
    FilterStep,
    apply_filter,
    missing_labels,
    missing_sensitive,
    no_positive,
    no_row_left,
    not_binary,
    read_columns,
    read_options,
)
from ethicscheck.engines._measured import Measured
from ethicscheck.fairness import FairnessResult, GroupEncoding, JointIndex, encode_feature, encode_with_labels, merged_labels
from ethicscheck.models import Detector, ModelInfo, load_detector
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._precomputed import read_scores
from ethicscheck.models._protocol import OutputSummary
from ethicscheck.privacy import PrivacyResult, ScanOptions, merge_scans, scan_texts
from ethicscheck.privacy._sample import SampleCut, row_keys, sample_cut, smallest_keys
from ethicscheck.result import DataSummary, ModelSummary

__all__ = [
    "PreparedBatch",
    "RoleTally",
    "ScanSettings",
    "batch_detector",
    "decision_note",
    "group_layout",
    "measured",
    "merge_batch_scans",
    "prepare_batch",
    "privacy_cut",
    "sample_keys",
    "smallest_sample_keys",
    "scan_batch",
    "source_columns",
    "scan_settings",
    "with_score_kind",
]

#: Input text columns, scan options and model-output columns of the privacy stage.
ScanSettings = tuple[list[str], ScanOptions, list[str]]


def source_columns(path: Path, data: DataConfig) -> list[str]:
    """The column names of a Parquet file or folder or a CSV, read from its schema or header.

    Raises
    ------
    DataError
        The file is missing or unreadable: the in-memory engine's message.
    """
    if path.is_dir():
        import pyarrow.dataset as ds

        return [str(name) for name in ds.dataset(path, format="parquet").schema.names]
    return read_columns(path, format=data.format, options=read_options(data))


@dataclass
class RoleTally:
    """What the role columns of some consecutive batches hold; tallies of consecutive parts merge in order."""

    rows_read: int = 0
    rows: int = 0
    labels: dict[Any, int] = field(default_factory=dict)  # value -> rows, in order of first appearance
    first_missing: list[int] = field(default_factory=list)  # positions (after filtering) of the first unlabelled rows
    n_missing: int = 0
    groups: list[set[str]] = field(default_factory=list)
    steps: list[list[int]] = field(default_factory=list)
    missing_groups: dict[str, int] = field(default_factory=dict)
    pseudonyms: dict[str, str] = field(default_factory=dict)
    score_low: float = np.inf
    score_high: float = -np.inf

    @classmethod
    def empty(cls, config: AuditConfig) -> RoleTally:
        data = config.data
        return cls(
            groups=[set() for _ in data.sensitive_features],
            steps=[[0, 0] for _ in data.filter],
            missing_groups={f.display_name: 0 for f in data.sensitive_features},
        )

    @staticmethod
    def columns(config: AuditConfig) -> list[str]:
        """The role columns: label, sensitive features, filter columns, a precomputed score column."""
        data = config.data
        wanted = [data.label.column, *(f.column for f in data.sensitive_features), *(p.column for p in data.filter)]
        model = config.model
        if isinstance(model, PrecomputedModelConfig) and model.score_column:
            wanted.append(model.score_column)
        return list(dict.fromkeys(wanted))

    def add(self, batch: pd.DataFrame, config: AuditConfig, source: str) -> None:
        """Tally one batch of the role columns (the rows after it come later)."""
        data = config.data
        self.rows_read += len(batch)
        batch, steps = apply_filter(batch, data.filter, source=source, allow_empty=True)
        for total, step in zip(self.steps, steps):
            total[0] += step.rows_before
            total[1] += step.rows_after
        if batch.empty:
            return
        label = batch[data.label.column]
        missing = label.isna().to_numpy()
        if missing.any():
            self.first_missing += [self.rows + int(i) for i in np.flatnonzero(missing)[: max(0, 5 - len(self.first_missing))]]
            self.n_missing += int(missing.sum())
        for value, n in label.value_counts(dropna=True, sort=False).items():
            self.labels[value] = self.labels.get(value, 0) + int(n)
        for name, n in missing_sensitive(data, batch).items():
            self.missing_groups[name] += n
        for seen, feature in zip(self.groups, data.sensitive_features):
            seen.update(encode_feature(batch[feature.column], name=feature.display_name, bins=feature.bins, max_groups=2**31).labels)
        model = config.model
        if isinstance(model, PrecomputedModelConfig) and model.score_column:
            numbers = pd.to_numeric(batch[model.score_column], errors="coerce")
            self.score_low = min(self.score_low, float(numbers.min()))
            self.score_high = max(self.score_high, float(numbers.max()))
        self.rows += len(batch)

    @classmethod
    def merged(cls, parts: list[RoleTally]) -> RoleTally:
        """The tally of consecutive parts (in row order)."""
        total = replace(parts[0], labels=dict(parts[0].labels), groups=[set(g) for g in parts[0].groups])
        total.steps = [list(s) for s in parts[0].steps]
        total.missing_groups = dict(parts[0].missing_groups)
        total.pseudonyms = dict(parts[0].pseudonyms)
        total.first_missing = list(parts[0].first_missing)
        for part in parts[1:]:
            total.first_missing += [total.rows + i for i in part.first_missing][: max(0, 5 - len(total.first_missing))]
            total.rows_read += part.rows_read
            total.rows += part.rows
            total.n_missing += part.n_missing
            for value, n in part.labels.items():
                total.labels[value] = total.labels.get(value, 0) + n
            for seen, other in zip(total.groups, part.groups):
                seen |= other
            for step, other_step in zip(total.steps, part.steps):
                step[0] += other_step[0]
                step[1] += other_step[1]
            for name, n in part.missing_groups.items():
                total.missing_groups[name] += n
            total.pseudonyms.update(part.pseudonyms)
            total.score_low = min(total.score_low, part.score_low)
            total.score_high = max(total.score_high, part.score_high)
        return total

    def check(self, config: AuditConfig, source: str) -> None:
        """Raise the errors the in-memory engine raises for the whole label column (and a filter that keeps nothing)."""
        data = config.data
        if data.filter and self.rows == 0:
            raise no_row_left(source, self.rows_read, self.filter_steps(config))
        where = f"{source} column '{data.label.column}'"
        if self.n_missing:
            raise missing_labels(where, self.n_missing, self.rows, self.first_missing)
        counts = pd.Series(self.labels, dtype=np.int64) if self.labels else pd.Series([], dtype=np.int64)
        if len(counts) > 2:
            raise not_binary(where, len(counts), describe_counts(counts))
        if not self.positive_rows(config):
            raise no_positive(where, data.label.positive, describe_counts(counts))

    def positive_rows(self, config: AuditConfig) -> int:
        values = list(self.labels)
        hits = equals_value(np.array(values, dtype=object), config.data.label.positive) if values else np.zeros(0, dtype=bool)
        return sum(n for n, hit in zip(self.labels.values(), hits) if hit)

    def filter_steps(self, config: AuditConfig) -> tuple[FilterStep, ...]:
        return tuple(FilterStep(p.describe(), before, after) for p, (before, after) in zip(config.data.filter, self.steps))

    def protect(self, config: AuditConfig) -> None:
        """Replace the group values holding contact data by pseudonyms (:attr:`pseudonyms`; batches apply it).

        Raises
        ------
        PersonalDataError
            ``privacy.on_personal_data: stop`` and a group value holds contact data.
        """
        features = config.data.sensitive_features
        self.pseudonyms = protect_groups(config, {f.column: seen for f, seen in zip(features, self.groups) if f.bins is None})
        self.groups = [{self.pseudonyms.get(v, v) for v in seen} for seen in self.groups]


def sample_keys(config: AuditConfig, settings: ScanSettings, prepared: PreparedBatch) -> np.ndarray:
    """The sample keys of a batch's rows (``privacy.max_rows``): its scanned texts and groups (:mod:`ethicscheck.privacy._sample`)."""
    columns, _, output_columns = settings
    return row_keys(prepared.frame, [*columns, *output_columns], prepared.encodings, config.seed)


def smallest_sample_keys(config: AuditConfig, settings: ScanSettings, batches: Iterable[PreparedBatch | None]) -> np.ndarray:
    """The ``privacy.max_rows`` smallest sample keys of some batches' rows (those of several parts merge by :func:`smallest_keys`)."""
    assert config.privacy.max_rows is not None
    smallest = np.zeros(0, dtype=np.uint64)
    for prepared in batches:
        if prepared is not None:
            smallest = smallest_keys(np.concatenate([smallest, sample_keys(config, settings, prepared)]), config.privacy.max_rows)
    return smallest


def privacy_cut(config: AuditConfig, smallest: np.ndarray, n_rows: int) -> SampleCut | None:
    """The sample of a ``privacy.max_rows`` scan from the smallest keys of all rows (None: every row is scanned)."""
    return sample_cut(smallest, max_rows=config.privacy.max_rows, n_rows=n_rows)


def group_layout(config: AuditConfig, roles: RoleTally) -> tuple[list[tuple[str, ...]], JointIndex]:
    """The groups of every feature over the whole data (ordered as in memory) and the joint table they span."""
    data = config.data
    labels = [
        merged_labels(f.display_name, seen, bins=f.bins, max_groups=config.fairness.max_groups)
        for f, seen in zip(data.sensitive_features, roles.groups)
    ]
    empty = np.zeros(0, dtype=np.int32)
    features = tuple(
        GroupEncoding(f.display_name, (f.display_name,), empty, lab, tuple((v,) for v in lab))
        for f, lab in zip(data.sensitive_features, labels)
    )
    return labels, JointIndex(cells=empty, shape=tuple(len(lab) for lab in labels), features=features)


def with_score_kind(config: AuditConfig, roles: RoleTally, source: str) -> AuditConfig:
    """A precomputed score's kind (probability or not) and threshold check follow the whole column's range, as in memory."""
    model = config.model
    if not (isinstance(model, PrecomputedModelConfig) and model.score_column and np.isfinite(roles.score_low)):
        return config
    _, probability = read_scores(pd.Series([roles.score_low, roles.score_high]), config=model, source=source)
    return config.model_copy(update={"model": model.model_copy(update={"score_is_probability": probability})})


@dataclass(frozen=True)
class PreparedBatch:
    """One batch, filtered and pseudonymised, with its labels, groups and joint cells."""

    frame: pd.DataFrame
    y_true: np.ndarray
    encodings: list[GroupEncoding]
    cells: np.ndarray
    dataset: Dataset


def prepare_batch(
    config: AuditConfig,
    batch: pd.DataFrame,
    labels: list[tuple[str, ...]],
    shape: tuple[int, ...],
    *,
    path: Path,
    sha256: str,
    pseudonyms: Mapping[str, str],
) -> PreparedBatch | None:
    """Filter, pseudonymise and encode one batch onto the whole data's groups; None when the filter keeps no row of it.

    ``pseudonyms``: :attr:`RoleTally.pseudonyms` after :meth:`RoleTally.protect`.
    """
    data = config.data
    batch, _ = apply_filter(batch, data.filter, source=path.name, allow_empty=True)
    if batch.empty:
        return None
    batch = apply_pseudonyms(batch, [f.column for f in data.sensitive_features if f.bins is None], pseudonyms)
    y_true = equals_value(batch[data.label.column].to_numpy(), data.label.positive).astype(bool)
    encodings = [
        encode_with_labels(batch[f.column], name=f.display_name, labels=lab, bins=f.bins) for f, lab in zip(data.sensitive_features, labels)
    ]
    size = int(np.prod(shape))
    cells: np.ndarray = np.zeros(len(batch), dtype=np.int32 if size * 4 < 2**31 else np.int64)
    for encoding, n_groups in zip(encodings, shape):
        cells = cells * n_groups + encoding.codes.astype(cells.dtype)
    roles = tuple(f.column for f in data.sensitive_features)
    dataset = Dataset(batch, y_true, path, sha256, data.label.column, roles, data.text_column, data.id_column)
    return PreparedBatch(batch, y_true, encodings, cells, dataset)


def batch_detector(
    config: AuditConfig, prepared: PreparedBatch, *, tracking_uri: str, config_dir: Path | None, label_values: tuple[Any, ...]
) -> Detector:
    """The configured model, loaded against a batch; model outputs are checked against the whole data's label values."""
    detector = load_detector(config, prepared.dataset, tracking_uri=tracking_uri, base_dir=config_dir)
    if isinstance(detector, BatchDetector) and detector.label_values != ():
        detector.label_values = label_values
    return detector


def scan_settings(config: AuditConfig) -> ScanSettings | None:
    """What the privacy stage scans (None when it is off or has no column), as the in-memory engine decides."""
    settings = config.privacy
    columns = list(settings.columns or ([config.data.text_column] if config.data.text_column else []))
    if not settings.enabled or not (columns or settings.output_columns):
        return None
    return columns, ScanOptions.from_settings(settings), list(settings.output_columns)


def scan_batch(
    config: AuditConfig, settings: ScanSettings, prepared: PreparedBatch, cut: SampleCut | None, found: set[str]
) -> PrivacyResult:
    """Scan the rows of one batch that the whole-data scan would scan (``cut``: the sample's, its ties taken in order)."""
    rows = np.arange(len(prepared.cells)) if cut is None else cut.rows(sample_keys(config, settings, prepared))
    columns, options, output_columns = settings
    return scan_texts(
        prepared.frame.iloc[rows].reset_index(drop=True),
        columns,
        options,
        output_columns=output_columns,
        groups=[replace(e, codes=e.codes[rows]) for e in prepared.encodings],
        seed=config.seed,
        source=public_file_name(Path(config.data.path).name, salt=config.privacy.hash_salt),
        found_values=found,
    )


def merge_batch_scans(config: AuditConfig, parts: list[PrivacyResult], labels: list[tuple[str, ...]], *, sampled: bool) -> PrivacyResult:
    """The scans of consecutive batches as one (groups in the whole data's order)."""
    order = {f.display_name: list(lab) for f, lab in zip(config.data.sensitive_features, labels)}
    return merge_scans(parts, examples=config.privacy.examples, group_order=order, sampled=sampled)


def decision_note(outputs: list[OutputSummary | None], *, n_flagged: int, n_rows: int) -> str | None:
    """Why every row or none is flagged, from the batches' raw outputs merged in row order (as in memory); None otherwise."""
    merged: OutputSummary | None = None
    for part in outputs:
        if part is None:  # an adapter that does not summarise its outputs: nothing to say
            return None
        merged = part if merged is None else merged.merged(part)
    return None if merged is None else merged.note_for(n_flagged=n_flagged, n_rows=n_rows)


def measured(
    config: AuditConfig,
    roles: RoleTally,
    *,
    fairness: FairnessResult,
    privacy: PrivacyResult | None,
    found_values: set[str],
    detector_info: ModelInfo,
    n_flagged: int,
    note: str | None,
    score_kind: tuple[bool, bool, bool],
    sha256: str,
    engine: dict[str, Any],
) -> Measured:
    """What the audit publishes, from the tallies of an engine that read batches."""
    data = config.data
    salt = config.privacy.hash_salt
    n_positive = roles.positive_rows(config)
    has_score, score_is_probability, higher_is_riskier = score_kind
    summary = DataSummary(
        file=public_file_name(Path(data.path).name, salt=salt),
        sha256=sha256,
        n_rows=roles.rows,
        n_positive=n_positive,
        n_negative=roles.rows - n_positive,
        label_column=data.label.column,
        sensitive_features=tuple(f.display_name for f in data.sensitive_features),
        text_column=data.text_column,
        missing_sensitive={k: v for k, v in roles.missing_groups.items() if v},
        n_rows_read=roles.rows_read,
        filter=roles.filter_steps(config),
    )
    model = ModelSummary(
        info=replace(detector_info, source=pseudonymize_text(detector_info.source, salt=salt)),
        threshold=getattr(config.model, "threshold", None) if has_score else None,
        has_score=has_score,
        n_flagged=n_flagged,
        n_rows=roles.rows,
        score_is_probability=score_is_probability,
        higher_is_riskier=higher_is_riskier,
        decision_note=note,
    )
    return Measured(summary, model, fairness, privacy, engine, found_values, roles.pseudonyms)
