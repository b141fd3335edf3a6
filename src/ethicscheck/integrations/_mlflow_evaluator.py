"""An MLflow evaluator: ``mlflow.models.evaluate(..., evaluators=["ethicscheck"])`` runs an audit.

It only runs when asked to and configured: ``can_evaluate`` is true only when
``evaluator_config`` names ``sensitive_features``, so adding ethicscheck to an environment never
changes what ``mlflow.models.evaluate`` does for people who did not ask for it.

``evaluator_config={"ethicscheck": {...}}`` accepts:

- ``sensitive_features``: column names, or dicts as in an audit config (``column``, ``name``, ``bins``, ``reference``);
- ``positive`` (label value meaning trafficking-related, default 1), ``threshold`` (default 0.5),
  ``output`` (``auto`` | ``label`` | ``score`` | ``proba``), ``intersections``, ``text_column``, ``name``;
- ``fairness``, ``privacy``, ``gates``, ``card``: the same sections as in an audit config.

Any other key is refused (a ``ConfigError`` naming it): a key meant for another evaluator (``pos_label``,
``col_mapping``) would otherwise be ignored here while the audit reads the labels its own way.

What this evaluator can promise about user code: it never loads, imports or unpickles a model. It scores
the model object ``mlflow.models.evaluate`` hands it (or reads the ``predictions`` column), and that
scoring runs inside ethicscheck's guard (an exception or ``sys.exit`` becomes a ``ModelError`` naming the
model). It cannot promise anything about how that object was made: given a model URI, MLflow loads it
with ``mlflow.pyfunc.load_model`` before any evaluator is called, which imports a ``python_function``
``loader_module``, puts ``code_paths`` on the import path and unpickles a cloudpickled python model,
whatever ethicscheck's ``allow_pickle`` says.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from mlflow.models.evaluation.base import EvaluationResult, ModelEvaluator

__all__ = ["EthicsCheckEvaluator"]

_DECISION, _SCORE = "__ethicscheck_decision__", "__ethicscheck_score__"
_SECTIONS = ("fairness", "privacy", "gates", "card")
#: The keys of ``evaluator_config["ethicscheck"]``.
_KEYS = ("sensitive_features", "positive", "threshold", "output", "intersections", "text_column", "name", *_SECTIONS)


class EthicsCheckEvaluator(ModelEvaluator):
    """Runs an ethicscheck audit inside ``mlflow.models.evaluate`` and logs it into that run."""

    @classmethod
    def can_evaluate(cls, *, model_type: str | None, evaluator_config: dict[str, Any] | None, **kwargs: Any) -> bool:
        return bool((evaluator_config or {}).get("sensitive_features")) and model_type in (None, "classifier")

    def evaluate(
        self,
        *,
        model_type: str | None,
        dataset: Any,
        run_id: str,
        evaluator_config: dict[str, Any],
        model: Any = None,
        predictions: Any = None,
        **kwargs: Any,
    ) -> EvaluationResult:
        import mlflow

        from ethicscheck.audit import audit_dataset
        from ethicscheck.config import PrecomputedModelConfig, config_from_dict
        from ethicscheck.data import dataset_from_frame, frame_digest
        from ethicscheck.models import to_predictions
        from ethicscheck.models._guard import user_code
        from ethicscheck.models._precomputed import load_precomputed
        from ethicscheck.result import AuditResult
        from ethicscheck.tracking._log import metric_items

        options = dict(evaluator_config)
        _check_keys(options)
        label = dataset.targets_name or "label"
        features = (
            dataset.features_data
            if isinstance(dataset.features_data, pd.DataFrame)
            else pd.DataFrame(dataset.features_data, columns=dataset.feature_names)
        )
        if model is not None:
            with user_code("the evaluated model", doing="scoring rows in mlflow.models.evaluate"):
                raw = model.predict(features)
        else:
            raw = dataset.predictions_data
        read = to_predictions(
            raw,
            mode=options.get("output", "auto"),
            positive_class=options.get("positive", 1),
            threshold=options.get("threshold", 0.5),
            n_rows=len(features),
            source="the evaluated model",
        )
        frame = features.copy()
        frame[label] = np.asarray(dataset.labels_data)
        frame[_DECISION] = read.decision.astype(int)
        model_block: dict[str, Any] = {"kind": "precomputed", "decision_column": _DECISION, "positive_class": 1}
        if read.score is not None:
            frame[_SCORE] = read.score
            model_block["score_column"] = _SCORE
        config = config_from_dict(_config(options, label, model_block, dataset.name), source="evaluator_config['ethicscheck']")
        data = dataset_from_frame(frame, config, path=Path(dataset.name or "mlflow-evaluate"), sha256=frame_digest(frame))
        assert isinstance(config.model, PrecomputedModelConfig)  # the config above names a precomputed model
        detector = load_precomputed(config.model, dataset=data, positive_class=1)
        with tempfile.TemporaryDirectory() as folder:
            outcome = audit_dataset(config, data, detector, out_dir=Path(folder), tracking_uri=mlflow.get_tracking_uri(), run_id=run_id)
        assert isinstance(outcome.result, AuditResult)  # audit_dataset audits classification data
        # MLflow leaves EvaluationResult.__init__ unannotated.
        return EvaluationResult(metrics=dict(metric_items(outcome.result)), artifacts={}, run_id=run_id)  # type: ignore[no-untyped-call]


def _check_keys(options: dict[str, Any]) -> None:
    from ethicscheck.errors import ConfigError

    unknown = sorted(set(options) - set(_KEYS))
    if not unknown:
        return
    hint = (
        " This evaluator never loads a model: it scores the one mlflow.models.evaluate gives it (load it with ethicscheck audit "
        "and model.kind: mlflow to have ethicscheck's allow_pickle decide whether its code may run)."
        if {"model", "allow_pickle", "allow_code"} & set(unknown)
        else ""
    )
    raise ConfigError(
        f"evaluator_config['ethicscheck'] has unknown key(s) {', '.join(map(repr, unknown))}; the known keys are "
        f"{', '.join(_KEYS)}. A config shared with other evaluators must name ethicscheck's part: "
        f"evaluator_config={{'ethicscheck': {{...}}}}.{hint}"
    )


def _config(options: dict[str, Any], label: str, model_block: dict[str, Any], name: str | None) -> dict[str, Any]:
    features = [f if isinstance(f, dict) else {"column": f} for f in options["sensitive_features"]]
    data = {
        "path": name or "mlflow-evaluate",
        "label": {"column": label, "positive": options.get("positive", 1)},
        "sensitive_features": features,
        "intersections": options.get("intersections", "all"),
        "text_column": options.get("text_column"),
    }
    config = {
        "name": str(options.get("name", "mlflow-evaluate")),
        "data": data,
        "model": model_block,
        "tracking": {"enabled": True, "required": True},
    }
    for section in _SECTIONS:
        if section in options:
            config[section] = options[section]
    return config
