"""Everything an audit published, read back as text: the report folder, the console, and every MLflow field.

The planted-contact tests read these to prove a planted value reaches nothing a reader can see. MLflow fields
are read with MLflow's own client from the store the audit logged to: run and experiment names, params,
metric keys, tags, dataset inputs, and every artifact (tables included).
"""

from __future__ import annotations

import json
import re
from pathlib import Path


def report_fields(folder: Path) -> dict[str, str]:
    """``{"report <file>": name + text}`` for every file of a report folder."""
    return {f"report {p.name}": p.name + "\n" + p.read_text(errors="replace") for p in sorted(folder.iterdir()) if p.is_file()}


def mlflow_fields(uri: str, experiment: str, download_to: Path) -> dict[str, str]:
    """``{where: text}`` of every field of the one run in ``experiment`` (it must have finished)."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=uri)
    found = client.get_experiment_by_name(experiment)
    assert found is not None, f"no MLflow experiment {experiment!r}"
    (run,) = client.search_runs([found.experiment_id])
    assert run.info.status == "FINISHED", run.info.status
    fields = {
        "run name": run.info.run_name or "",
        "experiment": found.name,
        "params": json.dumps(run.data.params),
        "metric keys": "\n".join(run.data.metrics),
        "tags": json.dumps(run.data.tags),
        "dataset inputs": json.dumps([(d.dataset.name, d.dataset.source, d.dataset.schema) for d in run.inputs.dataset_inputs]),
    }
    (target := download_to / "mlflow-artifacts").mkdir()  # a folder of its own: everything in it is read
    local = Path(client.download_artifacts(run.info.run_id, "", str(target)))
    for path in sorted(p for p in local.rglob("*") if p.is_file()):
        fields[f"artifact {path.relative_to(local)}"] = path.name + "\n" + path.read_text(errors="replace")
    return fields


def carried(fields: dict[str, str], planted: tuple[str, ...]) -> dict[str, list[str]]:
    """``{where: [planted markers]}`` of the fields that carry a marker, letters and digits compared only.

    A slugged metric key (``fmr/region/snap_janedoe99``), an escaped HTML text or a value split by markup
    still carries its marker.
    """

    def bare(text: str) -> str:
        return re.sub(r"[^0-9a-z]", "", text.lower())

    markers = {marker: bare(marker) for marker in planted}
    found = {where: [m for m, b in markers.items() if b in bare(text)] for where, text in fields.items()}
    return {where: markers_found for where, markers_found in found.items() if markers_found}
