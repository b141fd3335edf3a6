from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml

from ethicscheck.config import AuditConfig, config_schema, load_config
from ethicscheck.errors import ConfigError, EthicsCheckDeprecationWarning
from tests.conftest import CONFIGS, run_cli

MINIMAL = {
    "name": "t",
    "data": {"path": "data.csv", "label": {"column": "y"}, "sensitive_features": [{"column": "g"}]},
    "model": {"kind": "precomputed", "decision_column": "d"},
}


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "audit.yaml"
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content), encoding="utf-8")
    return path


def test_minimal_config_gets_defaults_and_resolves_paths_from_its_folder(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.data.path == (tmp_path / "data.csv").resolve()
    assert config.fairness.metrics[:2] == ["fpr", "fnr"]
    assert config.tracking.uri is None and config.privacy.enabled


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"model": {"kind": "sklearn"}}, "model -> sklearn -> path: Field required"),
        ({"model": {"kind": "tensorflow"}}, "model: Input tag 'tensorflow'"),
        ({"data": {**MINIMAL["data"], "sensitive_features": []}}, "data -> sensitive_features"),
        ({"fairness": {"confidence_level": 1.5}}, "fairness -> confidence_level"),
        ({"fairnes": {}}, "fairnes: unknown field"),
        ({"name": "bad name/with slash"}, "name:"),
        ({"model": {"kind": "precomputed"}}, "set decision_column, score_column or both"),
        ({"data": {**MINIMAL["data"], "sensitive_features": [{"column": "g", "bins": [3, 1]}]}}, "strictly increasing"),
        ({"data": {**MINIMAL["data"], "intersections": [["g", "nope"]]}}, "intersection"),
    ],
)
def test_config_errors_name_the_field_path(tmp_path, change, expected):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, {**MINIMAL, **change}))
    assert expected in str(info.value)
    assert "audit.yaml" in str(info.value)


def test_yaml_syntax_error_gives_line(tmp_path):
    with pytest.raises(ConfigError, match=r"line \d+"):
        load_config(write(tmp_path, "name: x\ndata: [unclosed\n"))


def test_missing_and_non_mapping_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(write(tmp_path, "- a\n- b\n"))


def test_schema_is_json_schema_with_every_section():
    schema = config_schema()
    assert schema["title"] == "ethicscheck audit config"
    assert {"data", "model", "fairness", "privacy", "gates", "tracking", "card"} <= set(schema["properties"])


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_config_validates(path):
    if path.name.startswith("compare_"):  # comparison configs (ethicscheck compare) have their own schema
        from ethicscheck.compare import CompareConfig, load_compare_config

        assert isinstance(load_compare_config(path), CompareConfig)
    else:
        assert isinstance(load_config(path), AuditConfig)


_GATE = {"metric": "fpr_ratio", "threshold": 1.25}


def test_old_gate_setting_name_is_read_with_a_warning_naming_the_new_one(tmp_path):
    with pytest.warns(EthicsCheckDeprecationWarning, match="'min_n' in gate settings is deprecated; rename it to 'min_group_size'"):
        config = load_config(write(tmp_path, {**MINIMAL, "gates": [{**_GATE, "min_n": 50}]}))
    assert config.gates[0].min_group_size == 50


def test_new_gate_setting_name_gives_no_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_config(write(tmp_path, {**MINIMAL, "gates": [{**_GATE, "min_group_size": 50}]})).gates[0].min_group_size == 50


def test_old_and_new_name_together_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="gates -> 0.*'min_n' is the old name of 'min_group_size'"):
        load_config(write(tmp_path, {**MINIMAL, "gates": [{**_GATE, "min_n": 5, "min_group_size": 50}]}))


def test_cli_prints_an_old_setting_name_as_one_warning_line(tmp_path):
    (tmp_path / "data.csv").write_text("y,g,d\n1,a,1\n0,b,0\n", encoding="utf-8")
    path = write(tmp_path, {**MINIMAL, "gates": [{**_GATE, "min_n": 50}]})
    result = run_cli("validate", str(path))
    assert result.code == 0, result.stderr
    assert "warning: 'min_n' in gate settings is deprecated; rename it to 'min_group_size'" in result.stderr
    assert "EthicsCheckDeprecationWarning" not in result.stderr and "warnings.warn" not in result.stderr
