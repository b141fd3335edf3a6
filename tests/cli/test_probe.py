"""``ethicscheck probe``: a config whose model is precomputed predictions is refused with exit 2 and the fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml


def test_probe_needs_a_model_not_precomputed_predictions(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    pd.DataFrame({"text": ["Nigerian workers welcome", "Filipino staff"], "label": [0, 1], "score": [0.2, 0.7], "g": ["a", "b"]}).to_csv(
        tmp_path / "ads.csv", index=False
    )
    config = {
        "name": "probe-precomputed",
        "data": {"path": "ads.csv", "label": {"column": "label"}, "text_column": "text", "sensitive_features": [{"column": "g"}]},
        "model": {"kind": "precomputed", "score_column": "score"},
        "tracking": {"enabled": False},
    }
    (tmp_path / "audit.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = cli("probe", "--config", str(tmp_path / "audit.yaml"), cwd=tmp_path)
    assert done.code == 2, done.stderr
    assert "probes need a model to score the swapped texts" in done.stderr and "Traceback" not in done.stderr
