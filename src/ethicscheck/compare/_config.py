"""The comparison config (``ethicscheck compare --config FILE``): data, features, candidates, seeds, attacks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ethicscheck.config import DataConfig, FairnessConfig, TrackingConfig
from ethicscheck.config._load import format_validation_error
from ethicscheck.errors import ConfigError
from ethicscheck.membership import DEFAULT_MIN_ROWS

__all__ = [
    "CompareConfig",
    "CandidateConfig",
    "load_compare_config",
    "compare_config_from_dict",
    "compare_config_schema",
    "DEFAULT_CANDIDATES",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SynthSource(_Strict):
    """Generate the synthetic recruitment-ad corpus instead of reading a file."""

    ads: int = Field(default=20_000, ge=200, description="Number of ads to generate.")
    seed: int = Field(default=0, description="Corpus seed (independent of the comparison seeds).")
    label_noise: float = Field(
        default=0.02, ge=0, lt=0.5, description="Share of labels flipped; noisy labels are what an overfit model memorizes."
    )


#: What ``ngram_range`` means for both text feature kinds.
_NGRAMS = "Shortest and longest word sequences counted: [1, 2] is single words and pairs."


class TextFeatures(_Strict):
    """TF-IDF of a text column, fitted on the training rows only; rows are L2-normalized (norm <= 1)."""

    kind: Literal["text"] = "text"
    column: str | None = Field(default=None, description="Text column; default data.text_column.")
    max_features: int = Field(default=1000, ge=10, le=50_000, description="Vocabulary size: the most frequent words and n-grams.")
    ngram_range: tuple[int, int] = Field(default=(1, 2), description=_NGRAMS)
    min_df: int = Field(default=2, ge=1, description="Training rows a word or n-gram must appear in to enter the vocabulary.")


class HashingFeatures(_Strict):
    """Hashed word and n-gram counts of a text column, rows L2-normalized: a fixed vocabulary learned from no row,
    so a DP model's ε covers the whole pipeline (values in [0, 1], norm <= 1)."""

    kind: Literal["hashing"] = "hashing"
    column: str | None = Field(default=None, description="Text column; default data.text_column.")
    n_features: int = Field(default=1024, ge=16, le=2**20, description="Hash buckets (columns).")
    ngram_range: tuple[int, int] = Field(default=(1, 2), description=_NGRAMS)


class TabularFeatures(_Strict):
    """Numeric columns scaled, other columns one-hot encoded with an explicit level for missing values.

    A numeric column with ``bounds`` is scaled to [0, 1] by them (values outside are clipped); without, it is
    standardized with the training rows' mean and SD, which differentially private candidates refuse. A
    categorical column with ``levels`` uses exactly those (anything else is '(other)'); without, the levels
    seen in the training rows.
    """

    kind: Literal["tabular"] = "tabular"
    columns: list[str] = Field(min_length=1, description="Model input columns.")
    include_sensitive: bool = Field(default=False, description="Also feed the sensitive features to the model.")
    bounds: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description="Numeric column -> [low, high] from domain knowledge; required for every numeric column with DP candidates.",
    )
    levels: dict[str, list[str]] = Field(
        default_factory=dict, description="Categorical column -> its levels, from domain knowledge (not read off the data)."
    )

    @field_validator("bounds")
    @classmethod
    def _ordered_bounds(cls, bounds: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for column, (low, high) in bounds.items():
            if not low < high:
                raise ValueError(f"bounds of '{column}' must be [low, high] with low < high")
        return bounds


class SplitConfig(_Strict):
    """One split per seed: training rows (the members), held-out rows (fairness and non-members), shadow rows."""

    test_size: float = Field(default=0.4, gt=0.05, lt=0.9, description="Share of rows held out for evaluation.")
    shadow_size: float = Field(default=0.2, ge=0.0, lt=0.5, description="Share of rows kept apart to train shadow models.")

    @model_validator(mode="after")
    def _room_to_train(self) -> SplitConfig:
        if self.test_size + self.shadow_size > 0.85:
            raise ValueError("test_size + shadow_size leave fewer than 15% of rows to train on")
        return self


class BaselineConfig(_Strict):
    """The baseline (and the estimator inside every fairlearn method): logistic regression."""

    C: float = Field(default=1.0, gt=0, description="Inverse regularization; a large C overfits (higher membership risk).")
    max_iter: int = Field(default=1000, ge=10, description="Solver iterations (also of the DP logistic regression).")


class _Candidate(_Strict):
    name: str | None = Field(default=None, description="Label in tables and charts; default from the method.")


class LogisticCandidate(_Candidate):
    method: Literal["logistic_regression"]
    C: float = Field(default=1.0, gt=0, description="Inverse regularization of this logistic regression (it uses the baseline's max_iter).")


class ThresholdOptimizerCandidate(_Candidate):
    method: Literal["threshold_optimizer"]
    constraints: Literal["false_positive_rate_parity", "equalized_odds", "true_positive_rate_parity", "demographic_parity"] = Field(
        description="fairlearn's constraint the per-group thresholds satisfy."
    )
    objective: Literal["accuracy_score", "balanced_accuracy_score"] = Field(
        default="accuracy_score", description="What the thresholds maximize under the constraint."
    )
    holdout: float = Field(
        default=0.25, gt=0, lt=0.9, description="Share of training rows kept from the estimator to choose the per-group thresholds."
    )


class ExponentiatedGradientCandidate(_Candidate):
    method: Literal["exponentiated_gradient"]
    constraints: Literal["FalsePositiveRateParity", "EqualizedOdds", "TruePositiveRateParity", "DemographicParity"] = Field(
        description="fairlearn's reductions constraint."
    )
    eps: float = Field(default=0.01, gt=0, description="Allowed constraint violation.")
    max_iter: int = Field(default=20, ge=1, description="Rounds of the exponentiated-gradient game.")


class CorrelationRemoverCandidate(_Candidate):
    method: Literal["correlation_remover"]
    alpha: float = Field(default=1.0, ge=0, le=1, description="1 removes all linear correlation with the sensitive feature.")


class DPLogisticCandidate(_Candidate):
    method: Literal["dp_logistic_regression"]
    epsilons: list[Annotated[float, Field(gt=0)]] = Field(min_length=1, description="Privacy budgets; one candidate each.")
    data_norm: float = Field(gt=0, description="Upper bound on each row's L2 norm, from domain knowledge (TF-IDF rows: 1).")
    C: float = Field(default=1.0, gt=0, description="Inverse regularization (diffprivlib's LogisticRegression C).")


class DPGaussianNBCandidate(_Candidate):
    method: Literal["dp_gaussian_nb"]
    epsilons: list[Annotated[float, Field(gt=0)]] = Field(min_length=1, description="Privacy budgets; one candidate each.")
    bounds: tuple[float, float] = Field(description="Lower and upper bound of every feature value (TF-IDF: [0, 1]).")

    @field_validator("bounds")
    @classmethod
    def _ordered(cls, bounds: tuple[float, float]) -> tuple[float, float]:
        if bounds[0] >= bounds[1]:
            raise ValueError("bounds must be [lower, upper] with lower < upper")
        return bounds


class CustomCandidate(_Candidate):
    method: Literal["custom"]
    factory: str = Field(description="'package.module:function' (or 'file.py:function') returning an unfitted estimator.")
    params: dict[str, Any] = Field(default_factory=dict, description="Keyword arguments for the factory.")
    needs_sensitive_features: bool = Field(default=False, description="Pass sensitive_features= to fit and predict.")
    epsilon: float | None = Field(default=None, description="Its privacy budget, if it is differentially private (shown in the table).")


CandidateConfig = Annotated[
    Union[
        LogisticCandidate,
        ThresholdOptimizerCandidate,
        ExponentiatedGradientCandidate,
        CorrelationRemoverCandidate,
        DPLogisticCandidate,
        DPGaussianNBCandidate,
        CustomCandidate,
    ],
    Field(discriminator="method"),
]

DEFAULT_CANDIDATES: list[dict[str, Any]] = [
    {"method": "threshold_optimizer", "constraints": "false_positive_rate_parity"},
    {"method": "threshold_optimizer", "constraints": "equalized_odds"},
    {"method": "exponentiated_gradient", "constraints": "FalsePositiveRateParity"},
    {"method": "exponentiated_gradient", "constraints": "EqualizedOdds"},
    {"method": "correlation_remover"},
    {"method": "dp_logistic_regression", "epsilons": [0.1, 1.0, 10.0], "data_norm": 1.0},
    {"method": "dp_gaussian_nb", "epsilons": [0.1, 1.0, 10.0], "bounds": [0.0, 1.0]},
]


class PrivacyRiskConfig(_Strict):
    """Membership inference: can an attacker tell training rows (members) from held-out rows?"""

    enabled: bool = Field(default=True, description="Attack every candidate for membership (false: fairness only).")
    shadow_models: int = Field(
        default=2, ge=0, le=10, description="Shadow models per candidate for the shadow-model attack (0: loss attack only)."
    )
    max_rows: int = Field(
        default=20_000, ge=100, description="At most this many members and non-members attacked (each; a seeded sample beyond it)."
    )
    n_boot: int = Field(default=1000, ge=0, le=20_000, description="Bootstrap replicates of every attack figure's interval (0: none).")
    min_group_rows: int = Field(
        default=DEFAULT_MIN_ROWS,
        ge=5,
        description="Members and non-members (each) a group needs for its own membership risk; smaller groups are counted, not named.",
    )


class PairedConfig(_Strict):
    """Each candidate against the baseline on the same held-out rows: a paired, group-stratified bootstrap."""

    n_boot: int = Field(
        default=2000,
        ge=200,
        le=50_000,
        description="Replicates of the paired bootstrap (counts, so cheap); Holm across candidates needs p-values below 0.05/candidates.",
    )


class CompareConfig(_Strict):
    """A mitigation comparison: one split per seed, a baseline and candidates, fairness and privacy risk for each."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="Comparison name; names the report folder.")
    seeds: list[int] = Field(default_factory=lambda: [0, 1, 2], min_length=1, description="One split and fit per seed.")
    synth: SynthSource | None = Field(default=None, description="Compare on the synthetic ad corpus (no data file needed).")
    data: DataConfig | None = Field(default=None, description="Labeled data, as in an audit config.")
    features: Annotated[Union[TextFeatures, HashingFeatures, TabularFeatures], Field(discriminator="kind")] = Field(
        default_factory=TextFeatures
    )
    mitigate_for: str | None = Field(default=None, description="Sensitive feature column the mitigations target; default the first.")
    split: SplitConfig = Field(default_factory=SplitConfig)
    threshold: float = Field(default=0.5, gt=0, lt=1, description="Score at or above which a row is flagged.")
    baseline: BaselineConfig = Field(default_factory=BaselineConfig)
    candidates: list[CandidateConfig] = Field(
        default_factory=lambda: list(DEFAULT_CANDIDATES),
        validate_default=True,
        description="Mitigations compared with the baseline, each a method and its settings; default every built-in one.",
    )
    privacy_risk: PrivacyRiskConfig = Field(default_factory=PrivacyRiskConfig)
    paired: PairedConfig = Field(default_factory=PairedConfig)
    fairness: FairnessConfig = Field(default_factory=lambda: FairnessConfig(n_boot=200))
    tracking: TrackingConfig = Field(default_factory=TrackingConfig)
    out_dir: Path | None = Field(default=None, description="Report folder (relative to the working directory); default reports/<name>.")

    @model_validator(mode="after")
    def _one_source(self) -> CompareConfig:
        if (self.synth is None) == (self.data is None):
            raise ValueError("give exactly one of 'data' (a labeled file) or 'synth' (the synthetic ad corpus)")
        if self.data is not None:
            columns = [f.column for f in self.data.sensitive_features]
            if self.mitigate_for is not None and self.mitigate_for not in columns:
                raise ValueError(f"mitigate_for '{self.mitigate_for}' is not a sensitive feature column ({', '.join(columns)})")
            if isinstance(self.features, (TextFeatures, HashingFeatures)) and not (self.features.column or self.data.text_column):
                raise ValueError("text features need features.column or data.text_column")
        names = [c.name for c in self.candidates if c.name]
        if len(names) != len(set(names)):
            raise ValueError("candidate names must be unique")
        return self


def compare_config_schema() -> dict[str, Any]:
    """The JSON Schema of comparison configs, as printed by ``ethicscheck schema --compare``."""
    schema = CompareConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ethicscheck comparison config"
    return schema


def compare_config_from_dict(raw: dict[str, Any], *, source: str = "config") -> CompareConfig:
    """Validate a comparison config given as a dict."""
    try:
        return CompareConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from None


def load_compare_config(path: str | Path) -> CompareConfig:
    """Read and validate a comparison config; relative paths resolve from the file's folder.

    Raises
    ------
    ConfigError
        Missing file, invalid YAML, or a field that does not validate (named in the message).
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Comparison config {path} does not exist. Pass the path of a YAML file (see configs/compare_demo.yaml).")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid UTF-8 YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings (name, data or synth, candidates, ...).")
    base = path.parent.resolve()
    data = raw.get("data")
    if isinstance(data, dict) and isinstance(data.get("path"), str) and not Path(data["path"]).is_absolute():
        data["path"] = str((base / data["path"]).resolve())
    return compare_config_from_dict(raw, source=str(path))
