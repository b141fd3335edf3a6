"""Settings that need every row in memory stop the stream and Spark engines with exit 2, naming the setting."""

from __future__ import annotations

import pytest

from ethicscheck.config import config_from_dict
from ethicscheck.engines import refuse_in_memory_settings
from ethicscheck.errors import ConfigError
from tests.audit_helpers import demo_config


@pytest.mark.parametrize("engine", ["stream", "spark"])
def test_settings_that_need_rows_in_memory_are_refused_by_name(demo_inputs, tmp_path, engine):
    members, nonmembers = tmp_path / "members.parquet", tmp_path / "nonmembers.parquet"
    base = demo_config(demo_inputs).model_dump(mode="json", exclude_unset=True)
    joined = {"kind": "precomputed", "path": str(tmp_path / "predictions.csv"), "decision_column": "flagged"}
    settings = {
        "probes": {**base, "probes": {"lexicons": ["nationality"]}},
        "membership_risk": {**base, "membership_risk": {"members": str(members), "nonmembers": str(nonmembers)}},
        "model.path": {**base, "model": joined},
    }
    for name, raw in settings.items():
        with pytest.raises(ConfigError, match=f"^{name} .*{engine}.*data.engine: pandas"):
            refuse_in_memory_settings(config_from_dict(raw), engine)
    refuse_in_memory_settings(config_from_dict(settings["model.path"]), "pandas")  # the in-memory engine does all three
