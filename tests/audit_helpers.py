"""Build small configs and run audits in-process for the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ethicscheck.audit import AuditOutcome, run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.synth import DemoInputs


def demo_config(inputs: DemoInputs, **changes: Any):
    raw: dict[str, Any] = {
        "name": "demo-test",
        "data": {
            "path": str(inputs.eval_path),
            "label": {"column": "label"},
            "id_column": "ad_id",
            "text_column": "text",
            "sensitive_features": [{"column": "nationality", "reference": "not mentioned"}, {"column": "region"}],
        },
        "model": {"kind": "sklearn", "path": str(inputs.model_path)},
        "fairness": {"n_boot": 200},
        "gates": [{"metric": "fpr_ratio", "scope": "nationality", "threshold": 1.25, "severity": "warn"}],
        "card": {"item_noun": "ads"},
    }
    for key, value in changes.items():
        raw[key] = {**raw.get(key, {}), **value} if isinstance(value, dict) else value
    return config_from_dict(raw)


def audit(config, out: Path, tracking_uri: str | None) -> AuditOutcome:
    if tracking_uri is None:
        config = config.model_copy(update={"tracking": config.tracking.model_copy(update={"enabled": False})})
    return run_audit(config, out_dir=out, tracking_uri=tracking_uri)
