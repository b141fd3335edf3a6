"""A relative output.dir resolves from the config's folder, like data.path, whatever the working directory."""

from __future__ import annotations

import yaml

from ethicscheck.config import load_config


def test_relative_output_dir_resolves_from_the_config_folder(tmp_path, monkeypatch):
    folder = tmp_path / "project" / "configs"
    folder.mkdir(parents=True)
    raw = {
        "name": "x",
        "data": {"path": "data.csv", "label": {"column": "label"}, "sensitive_features": [{"column": "g"}]},
        "model": {"kind": "precomputed", "decision_column": "d"},
        "output": {"dir": "../reports/x"},
    }
    (folder / "audit.yaml").write_text(yaml.safe_dump(raw))
    monkeypatch.chdir(tmp_path)
    config = load_config(folder / "audit.yaml")
    assert config.output.dir == (tmp_path / "project" / "reports" / "x").resolve()
    assert config.data.path == (folder / "data.csv").resolve()
