"""MLflow 2.x is refused with a clear message (exit 2), never half-run: ethicscheck supports the range in its requirements."""

from __future__ import annotations

import importlib.metadata

import numpy as np
import pandas as pd
import pytest
import yaml

from ethicscheck.cli.main import main
from ethicscheck.errors import TrackingError, require_supported_mlflow


@pytest.fixture
def mlflow_2(monkeypatch):
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "2.22.0" if name == "mlflow" else real(name))


def test_mlflow_2_is_refused_naming_the_supported_range(mlflow_2):
    wanted = next(r for r in importlib.metadata.requires("ethicscheck") if r.startswith("mlflow")).split(";")[0].strip()
    with pytest.raises(TrackingError, match="MLflow 2.22.0 is installed") as raised:
        require_supported_mlflow()
    assert f"supports {wanted}" in str(raised.value) and "--no-tracking" in str(raised.value)


def test_the_installed_mlflow_passes():
    require_supported_mlflow()


def test_an_audit_logging_to_mlflow_2_exits_2_and_without_tracking_runs(mlflow_2, tmp_path, capsys):
    rng = np.random.default_rng(0)
    pd.DataFrame({"g": rng.choice(["a", "b"], 200), "label": rng.integers(0, 2, 200), "flagged": rng.integers(0, 2, 200)}).to_csv(
        tmp_path / "d.csv", index=False
    )
    config = {
        "name": "m2",
        "data": {"path": "d.csv", "label": {"column": "label"}, "sensitive_features": [{"column": "g"}]},
        "model": {"kind": "precomputed", "decision_column": "flagged"},
        "fairness": {"n_boot": 0},
        "privacy": {"enabled": False},
        "tracking": {"enabled": True, "uri": f"sqlite:///{tmp_path / 'm.db'}", "required": True},
    }
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(config))
    with pytest.raises(SystemExit) as exited:
        main(["audit", "--config", str(tmp_path / "a.yaml"), "--out", str(tmp_path / "out")])
    assert exited.value.code == 2
    assert "MLflow 2.22.0 is installed" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["audit", "--config", str(tmp_path / "a.yaml"), "--out", str(tmp_path / "out2"), "--no-tracking"])
    assert exited.value.code in (0, 1)
