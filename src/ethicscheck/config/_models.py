"""Pydantic models of an audit configuration file.

Every field a user can set lives here, with its default and a description that is exported into the
JSON Schema (``ethicscheck schema``). Models forbid unknown keys so a typo fails loudly instead of being
ignored.
"""

from __future__ import annotations

import re
import typing
import warnings
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_serializer, field_validator, model_validator

from ethicscheck._vocabulary import ALWAYS_RATE_METRICS, COUNT_METRICS, DEFAULT_ENTITIES, DEFAULT_PHONE_REGIONS, DEFAULT_RATE_METRICS
from ethicscheck.config._filter import RowPredicate
from ethicscheck.config._gate_metrics import gate_metric_kind
from ethicscheck.config._probe_templates import probe_template_problems
from ethicscheck.config._values import single_class_value
from ethicscheck.errors import EthicsCheckDeprecationWarning

__all__ = [
    "AuditConfig",
    "CardConfig",
    "OutcomeWords",
    "DataConfig",
    "FairnessConfig",
    "GateConfig",
    "RegressionConfig",
    "LabelConfig",
    "ModelConfig",
    "OutputConfig",
    "PrivacyConfig",
    "ProbesConfig",
    "SensitiveFeatureConfig",
    "TrackingConfig",
    "VerificationConfig",
    "CallableModelConfig",
    "HttpModelConfig",
    "MlflowModelConfig",
    "OnnxModelConfig",
    "PrecomputedModelConfig",
    "SklearnModelConfig",
    "ScoringModelConfig",
    "MODEL_KINDS",
    "RATE_METRICS",
    "model_kind_name",
    "model_file",
    "register_model_kind",
    "unregister_model_kind",
]

#: Count-based per-group rates the fairness stage knows (from the vocabulary).
RATE_METRICS: tuple[str, ...] = tuple(COUNT_METRICS)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Old field name -> current name. The old name is still read, with a warning naming the new one
    #: (one spelling per setting, without breaking configs written before a rename).
    renamed_fields: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _read_old_names(cls, raw: Any) -> Any:
        if not cls.renamed_fields or not isinstance(raw, dict):
            return raw
        raw = dict(raw)
        for old, new in cls.renamed_fields.items():
            if old not in raw:
                continue
            if new in raw:
                raise ValueError(f"'{old}' is the old name of '{new}'; keep only '{new}'")
            warnings.warn(
                f"'{old}' in {cls.__name__.removesuffix('Config').lower()} settings is deprecated; rename it to '{new}' "
                "(it is read as such for now).",
                EthicsCheckDeprecationWarning,
                stacklevel=2,
            )
            raw[new] = raw.pop(old)
        return raw


# --------------------------------------------------------------------------- data


class LabelConfig(_Strict):
    """Where the ground truth is and which value means trafficking-related."""

    column: str = Field(description="Column holding the ground-truth label.")
    positive: Any = Field(
        default=1,
        description="Label value meaning 'trafficking-related'. Every other value is the negative class; "
        "a label column in which no row equals it is an error.",
    )

    @field_validator("positive")
    @classmethod
    def _one_positive_value(cls, positive: Any) -> Any:
        return single_class_value(positive)


class SensitiveFeatureConfig(_Strict):
    """One sensitive feature: a column whose values define demographic groups."""

    column: str = Field(
        description="Column holding the group value (e.g. nationality mentioned); read from a CSV as text on every engine "
        "('007' and '7' are two groups; spaces around a value are dropped), an integer 7 of a typed source is the group '7'."
    )
    name: str | None = Field(default=None, description="Display name; defaults to the column name.")
    bins: list[float] | None = Field(
        default=None,
        description="Edges for binning a numeric column into bands, e.g. [18, 25, 35, 50] gives "
        "'18-25', '25-35', '35-50'; values outside the edges form '<18' and '>=50'.",
    )
    reference: str | None = Field(
        default=None,
        description="Reference group for differences and ratios, or 'lowest' for the group with the lowest false-positive "
        "rate among the groups with enough data; defaults to the largest group.",
    )

    @property
    def display_name(self) -> str:
        return self.name or self.column

    @field_validator("bins")
    @classmethod
    def _bins_increasing(cls, bins: list[float] | None) -> list[float] | None:
        if bins is not None and (len(bins) < 2 or any(b >= a for a, b in zip(bins[1:], bins))):
            raise ValueError("bins must be at least two strictly increasing numbers")
        return bins


#: A URI with a scheme (s3a://bucket/key, hdfs://host/path, abfss://..., file:///...), read by Spark as written.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class DataConfig(_Strict):
    """The labeled evaluation data and the role of each column."""

    path: Path = Field(
        description="CSV, Parquet or JSONL file, or a folder of Parquet files; relative paths resolve from the config file. "
        "With data.engine: spark also ORC, and URIs Spark reads as written (s3a://bucket/ads/, hdfs://..., abfss://...). "
        "Leave it out with data.table."
    )
    table: str | None = Field(
        default=None,
        description="A metastore or catalog table (db.ads, catalog.db.ads) instead of data.path; data.engine: spark only.",
    )
    format: Literal["auto", "csv", "parquet", "jsonl"] = Field(
        default="auto", description="File format; 'auto' picks it from the file suffix."
    )
    label: LabelConfig
    sensitive_features: list[SensitiveFeatureConfig] = Field(
        min_length=1, description="Columns that define the groups whose error rates are compared."
    )
    intersections: Literal["all", "none"] | list[list[str]] = Field(
        default="all",
        description="'all' adds the intersection of every sensitive feature (when there are two or more), "
        "'none' adds none, or list the combinations by column name, e.g. [[nationality, region]].",
    )
    id_column: str | None = Field(
        default=None, description="Row identifier (used to join precomputed predictions); read from a CSV as text ('007' is not '7')."
    )
    text_column: str | None = Field(default=None, description="Free-text column scanned for personal data.")
    header: bool = Field(default=True, description="CSV: whether the first line (after skip_rows) names the columns; false needs columns.")
    columns: list[str] | None = Field(
        default=None, min_length=1, description="CSV without a header (header: false): the column names, in file order."
    )
    skip_rows: int = Field(
        default=0,
        ge=0,
        description="CSV: lines to skip at the top of the file, before the header or first row (not with engine: spark, "
        "whose CSV reader cannot skip lines).",
    )
    delimiter: str | None = Field(
        default=None, min_length=1, max_length=1, description="CSV: the field separator, e.g. ';' or '\t'; default ','."
    )
    encoding: str = Field(default="utf-8", description="CSV and JSONL: the text encoding, e.g. 'latin-1' or 'cp1252'.")
    na_values: list[str] = Field(
        default_factory=list,
        description="Values that mean missing, e.g. ['?']; compared after stripping spaces, in every column. Missing "
        "sensitive values form the group '(missing)'. A CSV's group columns (sensitive features without bins), id "
        "column and text column are read as text on every engine ('007' and '7' are two groups): only empty cells and "
        "these markers are missing there ('NA', 'null' are values unless listed); other columns keep pandas' reading.",
    )
    engine: Literal["auto", "pandas", "stream", "spark"] = Field(
        default="auto",
        description="How rows are read: 'pandas' holds them in memory; 'stream' reads batches of a Parquet file or folder or "
        "a CSV and keeps only counts (memory follows data.batch_rows, not the row count); 'spark' reads Parquet, ORC or CSV "
        "on the Spark cluster of the spark: section (extra ethicscheck[spark]) and brings only counts to the driver; 'auto' "
        "streams a folder or a file over 2 GB. The audit is the same on every engine. A verification audit (task: "
        "verification) runs on every engine too.",
    )
    batch_rows: int = Field(default=500_000, ge=1_000, le=2**26, description="Rows per batch of the stream engine (memory grows with it).")
    filter: list[RowPredicate] = Field(
        default_factory=list,
        description="Rows to audit: every predicate must hold, e.g. [{column: is_recid, not_equal: -1}, "
        "{column: days_b_screening_arrest, between: [-30, 30]}]. Recorded in the provenance with row counts.",
    )

    #: data.path as written when it is a URI (a Path would fold its "//").
    _uri: str | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _source(cls, raw: Any, handler: Any) -> DataConfig:
        if not isinstance(raw, dict):
            return typing.cast(DataConfig, handler(raw))
        table, path = raw.get("table"), raw.get("path")
        if table is not None and path is not None and str(path) != table:  # (a dumped config repeats the table as its path)
            raise ValueError("data.path and data.table both name the data; keep one")
        uri = str(path) if isinstance(path, str) and _URI.match(path) else None
        config = typing.cast(DataConfig, handler({**raw, "path": table} if table is not None else raw))
        if (table is not None or uri is not None) and config.engine != "spark":
            given = f"data.table {table!r}" if table is not None else f"the URI data.path {uri!r}"
            raise ValueError(f"only Spark reads {given}; set data.engine: spark (or copy the data to a local file)")
        config._uri = uri
        return config

    @field_serializer("path")
    def _path_as_written(self, path: Path) -> Path | str:
        return self._uri or path

    @property
    def location(self) -> str:
        """Where Spark reads the data: the URI as written, or the local path."""
        return self._uri or str(self.path)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, encoding: str) -> str:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"unknown text encoding {encoding!r}; use e.g. utf-8, latin-1, cp1252") from None
        return encoding

    @model_validator(mode="after")
    def _distinct_roles(self) -> DataConfig:
        if not self.header and self.columns is None:
            raise ValueError("header: false needs columns (the column names, in file order)")
        if self.header and self.columns is not None:
            raise ValueError("columns names the columns of a file without a header; set header: false, or remove columns")
        if self.columns is not None and len(set(self.columns)) != len(self.columns):
            raise ValueError(f"columns lists a name twice: {sorted({c for c in self.columns if self.columns.count(c) > 1})}")
        columns = [f.column for f in self.sensitive_features]
        duplicated = sorted({c for c in columns if columns.count(c) > 1})
        if duplicated:
            raise ValueError(f"sensitive feature listed twice: {', '.join(duplicated)}")
        if self.label.column in columns:
            raise ValueError(f"column '{self.label.column}' cannot be both the label and a sensitive feature")
        if isinstance(self.intersections, list):
            for combo in self.intersections:
                unknown = [c for c in combo if c not in columns]
                if unknown or len(combo) < 2:
                    raise ValueError(f"intersection {combo} must name two or more sensitive feature columns (known: {', '.join(columns)})")
        return self


# --------------------------------------------------------------------------- model


#: What ``output`` means for every model kind that has it.
_OUTPUT = "How to read the model's output: labels, a score in [0, 1], or per-class probabilities; 'auto' infers it from shape and values."


class ScoringModelConfig(_Strict):
    """What every kind of model that scores rows shares. A model kind subclasses it (see :func:`register_model_kind`)."""

    #: ``"module:function"`` of the loader that builds this kind's detector (in ``ethicscheck.models``; a plugin's
    #: own module for a registered kind). It is called as ``load(config, inputs=, positive_class=, context=)``.
    ADAPTER: ClassVar[str]
    #: Whether one input column goes in as a 1-D array under ``input_as: auto`` (text pipelines take one).
    AUTO_SERIES: ClassVar[bool] = False
    #: The field holding the path of the one local file the model is saved in, for a kind saved that way: checked
    #: by ``ethicscheck validate`` before anything loads, and shipped to Spark executors as bytes. None: no such file.
    MODEL_FILE: ClassVar[str | None] = None

    threshold: float = Field(default=0.5, ge=0.0, le=1.0, description="Score at or above which a row counts as flagged.")
    positive_class: Any = Field(
        default=None,
        description="The model's class value meaning 'trafficking-related'; defaults to data.label.positive.",
    )

    @field_validator("positive_class")
    @classmethod
    def _one_positive_class(cls, positive: Any) -> Any:
        return single_class_value(positive)

    input_columns: list[str] | Literal["all_but_label"] | None = Field(
        default=None,
        description="Columns passed to the model (sensitive features may be among them); 'all_but_label' passes every "
        "column except the label and the id column. Default: the text column, else every column without a role.",
    )
    input_as: Literal["auto", "series", "dataframe"] = Field(
        default="auto",
        description="'series' passes a single column as a 1-D array (text pipelines), 'dataframe' a table; "
        "'auto' uses a 1-D array when there is exactly one input column.",
    )
    batch_size: int = Field(default=10_000, ge=1, description="Rows scored per call.")


class PrecomputedModelConfig(_Strict):
    """Decisions or scores already computed, in the data or in a file joined on the id column."""

    kind: Literal["precomputed"]
    decision_column: str | None = Field(
        default=None,
        description="Column with the model's decision. Its values must all be accounted for: by flagged_values and "
        "not_flagged_values, or (without them) by positive_class and one other value.",
    )
    flagged_values: list[Any] | None = Field(
        default=None,
        min_length=1,
        description="Decision-column values that mean flagged, e.g. [Medium, High]. Every other value in the column "
        "must be listed in not_flagged_values.",
    )
    not_flagged_values: list[Any] = Field(
        default_factory=list,
        description="Decision-column values that mean not flagged, e.g. [Low]; used with flagged_values.",
    )
    score_column: str | None = Field(
        default=None,
        description="Column with the model's score, on any numeric scale (probabilities, a 1-10 risk score, ...).",
    )
    path: Path | None = Field(default=None, description="Separate predictions file joined on data.id_column.")
    threshold: float = Field(
        default=0.5,
        allow_inf_nan=False,
        description="Score at or above which a row is flagged (at or below with higher_is_riskier: false), on the "
        "score column's own scale; required when the scores are not in [0, 1]. Used only when no decision column is given.",
    )
    higher_is_riskier: bool = Field(
        default=True,
        description="True when a higher score means more likely flagged; false flags scores at or below the threshold.",
    )
    score_is_probability: bool | None = Field(
        default=None,
        description="Whether the score is a probability of the positive class, which the Brier score and calibration "
        "need. Default: yes when every score lies in [0, 1] and higher_is_riskier is true; false marks them not applicable.",
    )
    positive_class: Any = Field(default=None, description="Decision value meaning flagged; defaults to data.label.positive.")

    @field_validator("positive_class")
    @classmethod
    def _one_positive_class(cls, positive: Any) -> Any:
        return single_class_value(positive, hint="list several decision values in model.flagged_values")

    @model_validator(mode="after")
    def _needs_a_column(self) -> PrecomputedModelConfig:
        if self.decision_column is None and self.score_column is None:
            raise ValueError("set decision_column, score_column or both")
        if self.flagged_values is not None and self.positive_class is not None:
            raise ValueError("set flagged_values or positive_class, not both (flagged_values: [x] means positive_class: x)")
        if (self.flagged_values is not None or self.not_flagged_values) and self.decision_column is None:
            raise ValueError("flagged_values and not_flagged_values describe decision_column; set decision_column")
        if self.not_flagged_values and self.flagged_values is None:
            raise ValueError("not_flagged_values needs flagged_values (the values that mean flagged)")
        overlap = [v for v in self.not_flagged_values if v in (self.flagged_values or [])]
        if overlap:
            raise ValueError(f"values listed as both flagged and not flagged: {', '.join(map(repr, overlap))}")
        return self

    @property
    def threshold_is_explicit(self) -> bool:
        """True when the config set ``threshold`` (the default 0.5 only makes sense for probabilities)."""
        return "threshold" in self.model_fields_set


class SklearnModelConfig(ScoringModelConfig):
    """A scikit-learn estimator or pipeline saved with skops (or pickle/joblib when allowed)."""

    kind: Literal["sklearn"]
    ADAPTER = "ethicscheck.models._sklearn:load_sklearn"
    AUTO_SERIES = True
    MODEL_FILE = "path"
    path: Path = Field(description="The saved model (.skops, or .joblib/.pkl with allow_pickle).")
    format: Literal["auto", "skops", "joblib", "pickle"] = Field(
        default="auto", description="How the file was saved; 'auto' reads .joblib/.pkl/.pickle as pickle (needs allow_pickle), else skops."
    )
    trusted_types: list[str] = Field(
        default_factory=list,
        description="Fully qualified type names skops may load beyond its defaults; list exactly what "
        "'ethicscheck' reports as untrusted, after checking you trust them.",
    )
    allow_pickle: bool = Field(default=False, description="Allow pickle/joblib files, which can run arbitrary code when loaded.")


class OnnxModelConfig(ScoringModelConfig):
    """An ONNX model run with onnxruntime (e.g. converted with skl2onnx)."""

    kind: Literal["onnx"]
    ADAPTER = "ethicscheck.models._onnx:load_onnx"
    MODEL_FILE = "path"
    path: Path = Field(description="The .onnx file.")
    score_output: str | None = Field(default=None, description="Output holding probabilities; auto-detected.")


class MlflowModelConfig(ScoringModelConfig):
    """An MLflow model (runs:/..., models:/name/version, models:/name@alias, or a folder): ONNX and skops
    flavors are read from their files; anything that runs code on load needs allow_pickle."""

    kind: Literal["mlflow"]
    ADAPTER = "ethicscheck.models._mlflow:load_mlflow"
    uri: str = Field(description="MLflow model URI.")
    allow_pickle: bool = Field(
        default=False,
        description="Allow models that run code when loaded: pickle/cloudpickle sklearn, custom python models, a "
        "python_function loader_module or code_paths, custom flavors. ONNX and skops flavors never need it.",
    )
    trusted_types: list[str] = Field(
        default_factory=list,
        description="Type names a skops-serialized sklearn flavor may load beyond skops' defaults (the trust list "
        "inside the model's MLmodel is ignored: it was written by whoever logged the model).",
    )
    output: Literal["auto", "label", "score", "proba"] = Field(default="auto", description=_OUTPUT)


class CallableModelConfig(ScoringModelConfig):
    """A Python function that takes a DataFrame and returns decisions, scores or probabilities."""

    kind: Literal["callable"]
    ADAPTER = "ethicscheck.models._callable:load_callable"
    target: str = Field(description="'package.module:function' or 'path/to/file.py:function'.")
    output: Literal["auto", "label", "score", "proba"] = Field(default="auto", description=_OUTPUT)


class HttpModelConfig(ScoringModelConfig):
    """A scoring endpoint speaking MLflow's protocol (POST /invocations with dataframe_split)."""

    kind: Literal["http"]
    ADAPTER = "ethicscheck.models._http:load_http"
    url: str = Field(description="Base URL (…/invocations is appended when missing).")
    timeout_s: float = Field(
        default=30.0, gt=0, description="Deadline of one request in seconds: connect, send and the whole answer (not per read)."
    )
    retries: int = Field(default=3, ge=0, description="Retries on connection errors and 5xx answers.")
    headers: dict[str, str] = Field(default_factory=dict, description="HTTP headers sent with every request (e.g. Authorization).")
    output: Literal["auto", "label", "score", "proba"] = Field(default="auto", description=_OUTPUT)
    batch_size: int = Field(default=1_000, ge=1, description="Rows sent per request.")


#: The built-in model kinds, for type checkers. At run time ``AuditConfig.model`` accepts every kind in
#: :data:`MODEL_KINDS` (these, and any added by :func:`register_model_kind`).
ModelConfig = Annotated[
    Union[
        PrecomputedModelConfig,
        SklearnModelConfig,
        OnnxModelConfig,
        MlflowModelConfig,
        CallableModelConfig,
        HttpModelConfig,
    ],
    Field(discriminator="kind"),
]


def model_kind_name(config_class: type[BaseModel]) -> str:
    """The ``kind`` a model config class is selected by (its ``kind: Literal["..."]`` field)."""
    field = config_class.model_fields.get("kind")
    names = typing.get_args(field.annotation) if field is not None else ()
    if typing.get_origin(field.annotation if field is not None else None) is not Literal or len(names) != 1:
        raise TypeError(f"{config_class.__name__} needs a field kind: Literal['<name>'] naming its model kind")
    return str(names[0])


def model_file(model: BaseModel) -> tuple[str, Path] | None:
    """The field and path of the one local file a model is saved in, for a kind that declares one (``MODEL_FILE``).

    Examples
    --------
    >>> model_file(SklearnModelConfig(kind="sklearn", path=Path("model.skops")))
    ('path', PosixPath('model.skops'))
    """
    name = getattr(type(model), "MODEL_FILE", None)
    value = getattr(model, name) if isinstance(name, str) else None
    return (name, Path(value)) if isinstance(name, str) and value is not None else None


#: Model kinds by ``model.kind``: the config class of each (a scoring kind's class names its loader).
MODEL_KINDS: dict[str, type[ScoringModelConfig] | type[PrecomputedModelConfig]] = {
    model_kind_name(c): c for c in typing.get_args(typing.get_args(ModelConfig)[0])
}


# --------------------------------------------------------------------------- stages


class FairnessConfig(_Strict):
    """Which group metrics to compute and how to state their uncertainty."""

    metrics: list[str] = Field(
        default_factory=lambda: list(DEFAULT_RATE_METRICS),
        description="Per-group rates; FPR and FNR are always included.",
        json_schema_extra={"items": {"type": "string", "enum": list(COUNT_METRICS)}},
    )
    confidence_level: float = Field(
        default=0.95, gt=0.5, lt=1.0, description="Confidence level of every interval (and 1 - the tests' level)."
    )
    rate_ci: Literal["wilson", "bootstrap"] = Field(
        default="wilson",
        description="Interval of each group's rate: Wilson score (closed form, holds its coverage for small groups) "
        "or the bootstrap percentile interval.",
    )
    bootstrap: Literal["stratified", "pooled"] = Field(
        default="stratified", description="'stratified' holds each group's size fixed; 'pooled' resamples all rows."
    )
    n_boot: int = Field(default=1000, ge=0, description="Bootstrap replicates for CIs of rates and disparities (0 = Wilson only).")
    min_group_size: int = Field(
        default=30,
        ge=1,
        description="Below this many rows in a rate's denominator the rate is 'insufficient data' and left out of max/min disparities.",
    )

    target_fpr: float = Field(
        default=0.01, gt=0.0, lt=1.0, description="Overall FPR that fixes the operating point of the threshold analysis (score models)."
    )
    calibration_bins: Literal[5, 10, 20, 25, 50] = Field(default=10, description="Equal-width score bins of the reliability table and ECE.")
    power: float = Field(
        default=0.8,
        gt=0.5,
        lt=1.0,
        description="Power at which the card states, per group, the smallest disparity this audit could have detected.",
    )
    planning_ratio: float = Field(
        default=1.25,
        gt=1.0,
        description="Disparity (ratio to the reference) for which a group too small to compare is told how many rows it would need.",
    )
    max_groups: int = Field(
        default=1000,
        ge=2,
        description="Most groups one feature or intersection may have; more usually means an identifier was "
        "listed as a sensitive feature. Bin or coarsen the column instead.",
    )

    @field_validator("metrics")
    @classmethod
    def _always_fpr_fnr(cls, metrics: list[str]) -> list[str]:
        # Checked against the vocabulary's table when validated (not frozen into a Literal at import).
        unknown = [m for m in metrics if m not in COUNT_METRICS]
        if unknown:
            raise ValueError(f"unknown rate {', '.join(map(repr, unknown))}; known: {', '.join(COUNT_METRICS)}")
        ordered = [*ALWAYS_RATE_METRICS, *(m for m in metrics if m not in ALWAYS_RATE_METRICS)]
        return list(dict.fromkeys(ordered))


class PrivacyConfig(_Strict):
    """The personal-data scan of evaluation inputs, model outputs and the audit's own files."""

    enabled: bool = Field(
        default=True,
        description="Scan the input text and model outputs for personal data (false: no scan, audit.json's privacy is null; "
        "scan_artifacts still checks the report).",
    )
    columns: list[str] | None = Field(
        default=None,
        description=(
            "Input text columns to scan; defaults to data.text_column. Read from a CSV as the text it holds (a phone "
            "number keeps its leading zero); a typed source's numbers are scanned as the digits of each value."
        ),
    )
    output_columns: list[str] = Field(
        default_factory=list,
        description="Columns with model outputs (explanations, extracted fields, generated replies); findings there are "
        "classified echoed (also in the row's input) or novel (possible memorization).",
    )
    entities: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ENTITIES),
        description="Entity types to look for. PERSON without nlp_model: names after cues ('ask for Anna') only.",
    )
    nlp_model: str | None = Field(
        default=None,
        description="An installed spaCy pipeline or a local path, for named entities (PERSON, LOCATION, NRP, ORGANIZATION). Never "
        "downloaded.",
    )
    score_threshold: float = Field(
        default=0.4, ge=0.0, le=1.0, description="Lowest recognizer confidence (Presidio's score, 0-1) that counts as a finding."
    )
    phone_regions: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PHONE_REGIONS),
        description="ISO country codes whose national number formats count as phone numbers ('+' numbers count for any country).",
    )
    max_rows: int | None = Field(
        default=None, ge=1, description="Scan at most this many rows (a seeded sample chosen by content: the same rows on every engine)."
    )
    examples: int = Field(default=2, ge=0, le=10, description="Redacted examples per entity type in the report.")
    redaction: Literal["placeholder", "hash"] = Field(
        default="placeholder", description="'placeholder' writes <PHONE_NUMBER>; 'hash' a salted pseudonym <PHONE_NUMBER:1a2b3c4d>."
    )
    hash_salt: str = Field(default="", description="Salt of the 'hash' pseudonyms; keep it secret to stop lookups.")
    n_jobs: int = Field(default=1, ge=1, le=64, description="Processes for scanning large data.")
    scan_artifacts: bool = Field(default=True, description="Scan the audit's own files for personal data before publishing them.")
    on_personal_data: Literal["pseudonymize", "stop"] = Field(
        default="pseudonymize",
        description="When contact data is found in what an audit publishes (group values, feature names, card fields, the "
        "report files, MLflow fields): 'pseudonymize' replaces each value by a salted pseudonym (mapping kept only beside the "
        "report folder); 'stop' ends the audit with exit 2 naming the field, before anything is published.",
    )


class ProbesConfig(_Strict):
    """Counterfactual term swaps: is a text flagged more often when only the identity term in it changes?

    Texts that mention a term of a lexicon (nationality, ethnicity, ...) are copied with the term replaced by
    each other term of the lexicon and by a neutral control word, and every copy is scored by the model.
    Needs a model that scores text (every kind but precomputed) and data.text_column. Copies are never
    written anywhere; only counts and rates are reported.
    """

    lexicons: list[str] | None = Field(
        default=None,
        min_length=1,
        description="Shipped lexicons to probe: nationality, ethnicity, language, religion, gender, lgbtq. Default: all of them.",
    )
    lexicon_files: list[Path] = Field(
        default_factory=list,
        description="Your own lexicon files (the shipped YAML format; relative paths resolve from the config file). A file "
        "naming a shipped lexicon adds terms to it; a new name adds a lexicon.",
    )
    languages: list[str] | None = Field(default=None, min_length=1, description="Lexicon languages to use (en, es); default: all.")
    max_texts_per_term: int = Field(
        default=200,
        ge=1,
        description="At most this many texts per mentioned term are swapped (a seeded sample). Each costs one model call per "
        "other term of its lexicon, plus one for the control word.",
    )
    confidence_level: float = Field(
        default=0.95, gt=0.5, lt=1.0, description="Confidence level of the flip-rate and score-change intervals."
    )
    n_boot: int = Field(default=1000, ge=0, description="Paired bootstrap replicates for the intervals of flip rates and score changes.")
    alpha: float = Field(
        default=0.05, gt=0.0, lt=1.0, description="Family-wise error rate of the Holm-corrected tests behind a finding (per lexicon)."
    )
    min_texts: int = Field(
        default=30, ge=1, description="Fewer texts than this behind an identity-mention AUC mark it as insufficient data."
    )
    templates: list[str] = Field(
        default_factory=list,
        description="Probe every text, not only those that name a term: each template puts the text at {text} and each term "
        "of a lexicon (and a neutral word) in its slot, e.g. '{text} {nationality} applicants welcome.' or "
        "'{text} Ask for a {nationality:noun_sg}.' (a form of the lexicon; default its first, the adjective in English). At most "
        "max_texts_per_term texts per template (a seeded sample); reported as '<lexicon>_templates'.",
    )

    @field_validator("templates")
    @classmethod
    def _template_slots(cls, templates: list[str]) -> list[str]:
        problems = [f"templates[{i}] '{t}': {'; '.join(p)}" for i, t in enumerate(templates) if (p := probe_template_problems(t))]
        if problems:
            raise ValueError(" | ".join(problems))
        return templates


#: Training rows and other rows (each) a group needs for its own membership risk; smaller groups are counted, not named.
MEMBERSHIP_MIN_GROUP_ROWS = 30


class MembershipRiskConfig(_Strict):
    """Membership inference per group: can an attacker tell the model's training rows from rows it never saw?

    Both files have the evaluation data's columns (data.label, data.sensitive_features, the model's inputs)
    and are read with the data section's settings. ``members`` are rows the model was trained on (a sample
    is enough); ``nonmembers`` rows from the same population it never saw.
    """

    members: Path = Field(description="Rows the model was trained on; relative paths resolve from the config file.")
    nonmembers: Path = Field(description="Rows from the same population the model never saw; relative paths resolve from the config file.")
    max_rows: int = Field(default=20_000, ge=100, description="At most this many members and non-members (each; a seeded sample beyond).")
    n_boot: int = Field(default=1000, ge=0, le=20_000, description="Bootstrap replicates of every interval (0: none).")
    min_group_rows: int = Field(
        default=MEMBERSHIP_MIN_GROUP_ROWS,
        ge=5,
        description="Members and non-members (each) a group needs for its own membership risk; smaller groups are counted, not named.",
    )

    @model_validator(mode="after")
    def _two_files(self) -> MembershipRiskConfig:
        if Path(self.members).resolve() == Path(self.nonmembers).resolve():
            raise ValueError(
                "members and nonmembers are the same file; nonmembers must be rows the model never saw (e.g. a held-out split)"
            )
        return self


class RegressionConfig(_Strict):
    """Compare with a baseline audit instead of a fixed threshold."""

    baseline: str = Field(
        description="A saved audit.json (relative to the config file), or a registered model version "
        "'models:/name/version' / 'models:/name@alias' whose last ethicscheck audit in MLflow is the baseline."
    )
    margin: float = Field(default=0.0, ge=0.0, description="How much worse than the baseline the metric may get.")


class GateConfig(_Strict):
    """One check on the audit result that can fail the run."""

    renamed_fields: ClassVar[dict[str, str]] = {"min_n": "min_group_size"}

    name: str | None = Field(default=None, description="Shown in reports; defaults to '<metric> <comparator> <threshold>'.")
    metric: str = Field(
        description="A group's rate ('fpr', 'roc_auc'), its comparison with the reference ('fpr_ratio', "
        "'fpr_difference'), a feature summary ('equalized_odds_difference', 'fpr_spread', 'fpr_max_over_min', "
        "'demographic_parity_ratio', ...), a privacy figure ('pii.inputs.row_rate'), a term-swap probe figure "
        "('swap.flip_rate', 'swap.score_delta', 'bpsn_auc': the worst term of each lexicon) or the smallest disparity this "
        "audit could have detected per group ('mdd.fpr_ratio', 'mdd.fnr_ratio')."
    )
    scope: str = Field(
        default="*",
        description="'*' every feature and intersection, 'features' single features only, 'intersections', "
        "or one feature's display name (an intersection is 'a & b'). Probe gates: '*' every lexicon, or one lexicon's name.",
    )
    comparator: Literal["<=", "<", ">=", ">"] = Field(default="<=", description="What passing means: value <= threshold, etc.")
    threshold: float | None = Field(default=None, description="The limit; required unless the gate is a regression gate.")
    mode: Literal["point", "confident", "precautionary"] = Field(
        default="point",
        description="'point': the estimate decides. 'confident': fail only when the whole CI is past the threshold "
        "(few false alarms). 'precautionary': fail when any part of the CI is past it (protects people when data is thin).",
    )
    min_group_size: int | None = Field(
        default=None, ge=1, description="Rows a group's denominator needs to count as evidence (formerly 'min_n')."
    )
    insufficient: Literal["block", "warn", "fail"] = Field(
        default="block",
        description="What missing evidence does. 'block' (default): a scope where no group has enough data is "
        "'insufficient evidence', and the run exits 1; groups without data beside judged ones are listed. 'warn': "
        "missing evidence only warns (exit 0). 'fail': any group without enough data fails the gate. "
        "('ignore', the old default, is read as 'block': no evidence is never a pass.)",
    )
    severity: Literal["error", "warn"] = Field(default="error", description="'warn' reports but never fails the run.")
    regression: RegressionConfig | None = Field(default=None, description="Judge against a baseline audit instead of a threshold.")

    @field_validator("insufficient", mode="before")
    @classmethod
    def _ignore_is_block(cls, value: Any) -> Any:
        if value == "ignore":
            warnings.warn(
                "gates -> insufficient: 'ignore' is deprecated and read as 'block' (no evidence is never a pass); "
                "write 'block', or 'warn' to let missing evidence through with a warning.",
                FutureWarning,
                stacklevel=2,
            )
            return "block"
        return value

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, metric: str) -> str:
        gate_metric_kind(metric)
        return metric

    @model_validator(mode="after")
    def _threshold_or_regression(self) -> GateConfig:
        if self.threshold is None and self.regression is None:
            raise ValueError("set threshold (or regression to compare with a baseline)")
        return self

    @model_validator(mode="after")
    def _detectable_is_an_upper_limit(self) -> GateConfig:
        # A detectable disparity is a property of the audit's design (its group sizes), not an estimate with an interval.
        if gate_metric_kind(self.metric) == "detectable":
            if self.mode != "point" or self.regression is not None or self.comparator not in ("<=", "<"):
                raise ValueError(
                    f"{self.metric} is the smallest disparity this audit could detect: bound it from above "
                    "(comparator '<=' or '<'), with mode 'point' and no regression baseline"
                )
        return self

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.regression is not None:
            return f"{self.metric} no worse than baseline (+{self.regression.margin:g})"
        return f"{self.metric} {self.comparator} {self.threshold:g}"


class SparkConfig(_Strict):
    """Where the Spark engine (data.engine: spark) runs."""

    master: str = Field(
        default="local[*]",
        description="Spark master: local[*] (this machine), spark://host:7077 (standalone), yarn, k8s://https://host:443, ...",
    )
    conf: dict[str, str] = Field(
        default_factory=dict, description="Spark settings passed through as given, e.g. {spark.executor.memory: 8g}."
    )
    timeout_s: float = Field(
        default=120.0,
        gt=0,
        description="Seconds a spark://, mesos:// or k8s:// master gets to accept a connection, before any JVM starts; "
        "no answer: exit 2 naming the master.",
    )
    startup_timeout_s: float = Field(
        default=900.0,
        gt=0,
        description="Seconds to start Spark (the JVM here, the session and a first job) before stopping with exit 2; "
        "a busy machine takes minutes.",
    )


class TrackingConfig(_Strict):
    """Where results are logged in MLflow."""

    enabled: bool = Field(default=True, description="Log the audit to MLflow; false writes the local report only.")
    uri: str | None = Field(default=None, description="Tracking URI; defaults to $MLFLOW_TRACKING_URI, else sqlite:///mlflow.db.")
    experiment: str = Field(default="ethicscheck", description="MLflow experiment the run is logged in (created when missing).")
    required: bool = Field(default=False, description="Fail the audit (exit 2) when MLflow cannot be reached.")
    timeout_s: float = Field(
        default=5.0,
        gt=0,
        le=600,
        description="Seconds an http(s) tracking server gets to answer the reachability probe before the first call, and "
        "each call after it (MLflow's own retries are bounded to one).",
    )


class OutputConfig(_Strict):
    """Where the report is written."""

    dir: Path | None = Field(
        default=None,
        description="Report folder; relative paths resolve from the config file's folder, like data.path. Default: reports/<name> "
        "in the working directory. --out (relative to the working directory) overrides it.",
    )


class OutcomeWords(_Strict):
    """The words every sentence of the card, summary and gate messages uses for labels and decisions.

    Sentences read "{share} of {noun} that are {negative} are wrongly {flagged}" and "{share} of
    {positive} {noun} are {missed}", so ``positive`` is an adjective that stands before the noun and
    ``negative`` one that follows "that are".
    """

    positive: str = Field(default="trafficking-related", description="What a positive label means, before the noun: 'suspicious'.")
    negative: str = Field(default="not trafficking-related", description="What a negative label means, after 'that are': 'legitimate'.")
    flagged: str = Field(default="flagged", description="What the model does to a row it picks out: 'flagged', 'alerted on'.")
    missed: str = Field(default="missed", description="What happens to a positive row the model does not pick out: 'missed'.")


class CardConfig(_Strict):
    """Narrative fields of the model card; anything missing is shown as 'not provided'."""

    model_name: str | None = Field(default=None, description="The card's title; default: the model's file or URI.")
    item_noun: str = Field(default="records", description="What one row is, in plain words: 'ads', 'messages', 'transactions'.")
    outcome: OutcomeWords = Field(
        default_factory=OutcomeWords,
        description="Words for labels and decisions in every sentence (card, summary, JUnit messages, glossary, charts); "
        "the defaults are the anti-trafficking wording.",
    )
    model_version: str | None = Field(default=None, description="Version shown on the card.")
    owners: list[str] = Field(default_factory=list, description="Who answers for the model (team names; contact data is pseudonymised).")
    description: str | None = Field(default=None, description="What the model does, in a sentence or two.")
    intended_use: str | None = Field(default=None, description="Who should use it, for what decision.")
    out_of_scope_uses: list[str] = Field(default_factory=list, description="Uses it was not built or audited for.")
    training_data: str | None = Field(default=None, description="What the model was trained on.")
    evaluation_data: str | None = Field(default=None, description="What this audit evaluated it on.")
    limitations: list[str] = Field(default_factory=list, description="Known limitations, in plain words.")
    min_published_group: int = Field(
        default=10,
        ge=1,
        description="Groups with fewer rows than this are left out of the published card (and one more group per feature "
        "when only one would be, so it cannot be worked out from the totals). audit.json keeps every group.",
    )
    dp_epsilon: float | None = Field(
        default=None,
        gt=0,
        description="Publish counts with Laplace noise (diffprivlib) at this total privacy budget, split evenly over the "
        "published tables; rates and intervals are then computed from the noisy counts. Off by default.",
    )
    parity_band: tuple[float, float] = Field(
        default=(0.8, 1.25),
        description="Ratios to the reference group inside this band are drawn as parity in the disparity chart.",
    )

    @model_validator(mode="after")
    def _band_brackets_one(self) -> CardConfig:
        low, high = self.parity_band
        if not 0 < low <= 1 <= high:
            raise ValueError(f"parity_band must satisfy 0 < low <= 1 <= high, got [{low}, {high}]")
        return self


class VerificationConfig(_Strict):
    """A face-matching (1:1 verification) audit: one row per comparison of two images (``task: verification``).

    ``data.label`` says which comparisons are genuine (same person: ``positive``); each of
    ``data.sensitive_features`` names an attribute read from two columns, ``<column><side_suffixes[0]>`` and
    ``<column><side_suffixes[1]>`` (``sex_a``, ``sex_b``).
    """

    score_column: str | None = Field(default=None, description="Column with the similarity (or distance) score of each comparison.")
    decision_column: str | None = Field(default=None, description="Column with the system's own match decision, when there is no score.")
    match_value: Any = Field(default=1, description="Value of decision_column that means 'match'.")
    higher_is_more_similar: bool = Field(
        default=True, description="False for distances: a comparison then matches at or below the threshold."
    )
    subject_columns: tuple[str, str] = Field(
        default=("subject_a", "subject_b"), description="Columns with the subject (person) id of side A and side B."
    )
    side_suffixes: tuple[str, str] = Field(
        default=("_a", "_b"), description="Suffixes of the per-side attribute columns: sex -> sex_a and sex_b."
    )
    targets: list[float] = Field(
        default_factory=lambda: [1e-3, 1e-4, 1e-5],
        description="Overall false-match rates; each fixes a threshold as an order statistic of all impostor scores (NIST's way).",
    )
    thresholds: list[float] = Field(default_factory=list, description="Fixed operational thresholds on the score's own scale.")
    alpha: float = Field(default=0.5, ge=0.0, le=1.0, description="Weight of FMR against FNMR in FDR and GARBE.")
    min_genuine_pairs: int = Field(default=30, ge=1, description="Below this many genuine comparisons a group's FNMR is insufficient data.")
    group_nouns: dict[str, str] = Field(
        default_factory=dict,
        description="Plural nouns the card uses for groups, e.g. {female: women, male: men}: 'comparisons of two different women'.",
    )

    @field_validator("targets")
    @classmethod
    def _rates(cls, targets: list[float]) -> list[float]:
        bad = [t for t in targets if not 0 < t < 1]
        if bad:
            raise ValueError(f"targets are false-match rates between 0 and 1 (exclusive), got {bad}")
        return list(dict.fromkeys(targets))

    @model_validator(mode="after")
    def _score_or_decision(self) -> VerificationConfig:
        if (self.score_column is None) == (self.decision_column is None):
            raise ValueError("set score_column (a similarity or distance) or decision_column (match decisions), exactly one")
        if self.decision_column is not None and self.thresholds:
            raise ValueError(
                "thresholds need score_column; with decisions only, the system's own decisions are audited (targets are ignored)"
            )
        return self


class AuditConfig(_Strict):
    """A whole audit: data, model, and what to measure, gate, publish and log."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="Audit name; names the report folder.")
    task: Literal["classification", "verification"] = Field(
        default="classification",
        description="'classification': one row is one item, flagged or not (the default). 'verification': one row compares two "
        "face images (see the verification section); the scores are read from the data, so no model section is needed.",
    )
    seed: int = Field(default=0, description="Seed for bootstrap and sampling; same seed, same result.")
    data: DataConfig
    model: ModelConfig
    verification: VerificationConfig | None = Field(default=None, description="Columns and thresholds of a verification audit.")
    fairness: FairnessConfig = Field(default_factory=FairnessConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    gates: list[GateConfig] = Field(default_factory=list)
    tracking: TrackingConfig = Field(default_factory=TrackingConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    card: CardConfig = Field(default_factory=CardConfig)
    spark: SparkConfig = Field(default_factory=SparkConfig)
    probes: ProbesConfig | None = Field(
        default=None, description="Counterfactual term-swap probes and identity-mention AUCs; off unless this section is present."
    )
    membership_risk: MembershipRiskConfig | None = Field(
        default=None, description="Membership inference per group, from rows the model was trained on and rows it never saw."
    )

    @model_validator(mode="after")
    def _probes_need_a_text_model(self) -> AuditConfig:
        probe_gates = [i for i, g in enumerate(self.gates) if gate_metric_kind(g.metric) == "probe"]
        if probe_gates and self.probes is None:
            raise ValueError(
                f"gates[{probe_gates[0]}] bounds a term-swap probe figure; add a probes: section (probes: {{}} for the defaults)"
            )
        if self.probes is None:
            return self
        if isinstance(self.model, PrecomputedModelConfig):
            raise ValueError(
                "probes need a model to score the swapped texts, and model.kind is precomputed (scores already computed); "
                "configure the model itself (sklearn, onnx, mlflow, callable or http), or remove the probes section"
            )
        if self.data.text_column is None:
            raise ValueError("probes swap terms in a text column; set data.text_column")
        return self

    @model_validator(mode="before")
    @classmethod
    def _scores_in_the_comparisons(cls, raw: Any) -> Any:
        """A verification audit reads its scores from the comparisons file: the model is that column, precomputed."""
        if not isinstance(raw, dict) or raw.get("task") != "verification" or "model" in raw:
            return raw
        block = raw.get("verification")
        if not isinstance(block, dict):
            raise ValueError("task: verification needs a verification section (score_column or decision_column, subject_columns, ...)")
        column = (
            {"score_column": block.get("score_column")} if block.get("score_column") else {"decision_column": block.get("decision_column")}
        )
        return {**raw, "model": {"kind": "precomputed", **column}}

    @model_validator(mode="after")
    def _task_fits(self) -> AuditConfig:
        verification_gates = [g.metric for g in self.gates if gate_metric_kind(g.metric) == "verification"]
        if self.task == "verification":
            if self.verification is None:
                raise ValueError("task: verification needs a verification section (score_column or decision_column, ...)")
            other = [g.metric for g in self.gates if gate_metric_kind(g.metric) != "verification"]
            if other:
                raise ValueError(f"gates {other} are classification metrics; a verification audit gates fmr, fnmr and their summaries")
            unsupported = {
                "card.dp_epsilon (noised counts)": self.card.dp_epsilon is not None,
                "membership_risk": self.membership_risk is not None,
                "probes": self.probes is not None,
            }
            refused = [name for name, present in unsupported.items() if present]
            if refused:
                raise ValueError(f"a verification audit does not support {', '.join(refused)}; remove it from the config")
        else:
            if self.verification is not None:
                raise ValueError("the verification section needs task: verification")
            if verification_gates:
                raise ValueError(f"gates {verification_gates} are verification metrics; set task: verification")
        return self

    @property
    def positive_class(self) -> Any:
        """The model output value meaning flagged."""
        explicit = getattr(self.model, "positive_class", None)
        return self.data.label.positive if explicit is None else explicit

    @model_validator(mode="after")
    def _membership_scores_in_files(self) -> AuditConfig:
        if self.membership_risk is not None and isinstance(self.model, PrecomputedModelConfig) and self.model.path is not None:
            raise ValueError(
                "membership_risk with precomputed predictions needs the score column in the members and nonmembers files: "
                "model.path joins predictions to the evaluation data only (remove model.path and add the column to every file)"
            )
        return self


# --------------------------------------------------------------------------- model kinds


def register_model_kind(config_class: type[ScoringModelConfig]) -> None:
    """Make ``model.kind: <name>`` valid in every audit config from now on.

    ``config_class`` subclasses :class:`ScoringModelConfig`, declares ``kind: Literal["<name>"]`` and its
    settings, and names its loader in ``ADAPTER`` (``"package.module:function"``, called as
    ``load(config, inputs=, positive_class=, context=)`` and returning a detector). Validation, error
    messages and the JSON Schema treat the new kind exactly like the built-in ones.

    Raises
    ------
    ValueError
        The kind's name is taken by another class.
    TypeError
        The class is not a :class:`ScoringModelConfig` with a ``kind`` literal and an ``ADAPTER``.
    """
    if not (isinstance(config_class, type) and issubclass(config_class, ScoringModelConfig)):
        raise TypeError(f"{config_class!r} is not a ScoringModelConfig subclass")
    name = model_kind_name(config_class)
    if not isinstance(getattr(config_class, "ADAPTER", None), str) or ":" not in config_class.ADAPTER:
        raise TypeError(f"{config_class.__name__}.ADAPTER must be 'package.module:function' (the loader of kind '{name}')")
    if MODEL_KINDS.get(name, config_class) is not config_class:
        raise ValueError(f"model kind '{name}' is already {MODEL_KINDS[name].__name__}")
    MODEL_KINDS[name] = config_class
    _accept_model_kinds()


def unregister_model_kind(name: str) -> None:
    """Undo :func:`register_model_kind` (the built-in kinds cannot be removed)."""
    if name in _BUILT_IN_KINDS:
        raise ValueError(f"model kind '{name}' is built in")
    if MODEL_KINDS.pop(name, None) is not None:
        _accept_model_kinds()


_BUILT_IN_KINDS = frozenset(MODEL_KINDS)


def _accept_model_kinds() -> None:
    """Rebuild ``AuditConfig.model`` as the tagged union of every kind in :data:`MODEL_KINDS`."""
    field = AuditConfig.model_fields["model"]
    union: Any = Union[tuple(MODEL_KINDS.values())]  # a union of the kinds known now
    field.annotation = union
    field.discriminator = "kind"
    AuditConfig.model_rebuild(force=True)
