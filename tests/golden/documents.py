"""The published JSON documents the golden-file test guards, built the same way every time.

``demo_documents`` audits the demo corpus with the shipped demo config (fewer bootstrap replicates, no
MLflow) and returns ``audit.json`` and ``model_card.json``; ``comparison_document`` runs a small
comparison. ``normalised`` replaces what legitimately differs between runs and machines (clock,
durations, run ids, package versions, file digests that depend on library versions) with a marker.

Regenerate the committed files with ``make fixtures`` (= ``python -m tests.golden.regenerate``) when a
change alters them on purpose, and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FILES = {
    "audit.json": HERE / "demo_audit.json",
    "model_card.json": HERE / "demo_model_card.json",
    "comparison.json": HERE / "comparison.json",
}

#: Keys whose values depend on the clock, the machine or installed versions, not on what was measured.
VOLATILE = {
    "started_at",
    "finished_at",
    "date",
    "timings",
    "seconds",
    "fit_seconds",
    "run_id",
    "experiment_id",
    "tracking_uri",
    "ethicscheck_version",
    "packages",
    "sha256",
    "data_sha256",
    "model_sha256",
}
MARK = "<normalised>"

#: The demo run, made lighter for the test suite: fewer bootstrap replicates, no MLflow.
DEMO_OVERRIDES: dict[str, Any] = {"fairness": {"n_boot": 200}, "tracking": {"enabled": False}}

SMALL_COMPARISON: dict[str, Any] = {
    "name": "golden",
    "seeds": [0],
    "synth": {"ads": 800},
    "features": {"kind": "text", "max_features": 800, "min_df": 1},
    "candidates": [{"method": "dp_logistic_regression", "epsilons": [1.0], "data_norm": 1.0}],
    "privacy_risk": {"shadow_models": 1, "max_rows": 200},
    "fairness": {"n_boot": 50, "min_group_size": 10},
    "tracking": {"enabled": False},
}


def normalised(document: Any) -> Any:
    """``document`` with every volatile value replaced by a marker (keys kept, so a new or lost key shows)."""
    if isinstance(document, dict):
        return {k: (MARK if k in VOLATILE and v is not None else normalised(v)) for k, v in document.items()}
    if isinstance(document, list):
        return [normalised(v) for v in document]
    return document


def demo_documents(folder: Path, eval_path: Path, model_path: Path) -> dict[str, Any]:
    """audit.json and model_card.json of the demo audit, normalised."""
    from ethicscheck.audit import run_audit
    from ethicscheck.config import load_config

    config_path = REPO / "configs" / "demo.yaml"
    overrides = {**DEMO_OVERRIDES, "data": {"path": str(eval_path)}, "model": {"path": str(model_path)}}
    config = load_config(config_path, overrides=overrides)
    outcome = run_audit(config, out_dir=folder / "demo", config_dir=config_path.parent)
    return {name: normalised(json.loads(outcome.files[name].read_text(encoding="utf-8"))) for name in ("audit.json", "model_card.json")}


def comparison_document(folder: Path) -> Any:
    """comparison.json of a small comparison, normalised."""
    from ethicscheck.compare import compare_config_from_dict, report_comparison

    outcome = report_comparison(compare_config_from_dict(SMALL_COMPARISON), out_dir=folder / "comparison")
    return normalised(json.loads(outcome.files["comparison.json"].read_text(encoding="utf-8")))


def dumps(document: Any) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def load(name: str) -> Any:
    return json.loads(FILES[name].read_text(encoding="utf-8"))
