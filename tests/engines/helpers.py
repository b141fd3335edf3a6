"""Audits of the same rows on several engines, and what their audit.json files must share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ethicscheck.config import config_from_dict
from tests.audit_helpers import audit, demo_config

#: What differs between two runs of the same audit whatever the engine (the config names the engine and the path).
_VARYING = ("started_at", "finished_at", "timings", "engine", "config_digest")
ROWS = 2_000
PRECOMPUTED = {"kind": "precomputed", "score_column": "score", "decision_column": "flagged"}
#: The Spark tests' session settings (one SparkSession per module, with few shuffle partitions).
SPARK = {
    "master": "local[2]",
    "conf": {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2", "spark.sql.files.maxPartitionBytes": "20000"},
}


def content(outcome: Any) -> dict[str, Any]:
    """audit.json without what varies between runs and engines."""
    document = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    for key in _VARYING:
        document["run"].pop(key)
    document["run"]["config"]["data"] = {k: v for k, v in document["run"]["config"]["data"].items() if k not in ("engine", "path", "table")}
    document["run"]["config"].pop("spark")
    for key in ("file", "sha256"):
        document["data"].pop(key)
    return document


def run(
    demo_inputs: Any,
    path: Path,
    out: Path,
    *,
    engine: str,
    model: dict[str, Any] | None = None,
    scan: bool = True,
    scan_rows: int | None = 300,
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> Any:
    """One audit of ``path`` on ``engine`` (the demo config and ``data``; scanning ``scan_rows`` rows unless ``scan`` is off; no cards)."""
    config = demo_config(
        demo_inputs,
        data={"path": str(path), "engine": engine, "batch_rows": 1_000, **(data or {})},
        privacy={"max_rows": scan_rows, "scan_artifacts": False, "enabled": scan},
        fairness={"n_boot": 100},
        **changes,
    )
    if model is not None:  # replace, not merge, the model section
        config = config_from_dict({**config.model_dump(mode="json", exclude_unset=True), "model": model})
    return audit(config, out, None)
