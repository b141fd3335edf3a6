from __future__ import annotations

import pytest

from ethicscheck.compare import compare_config_from_dict, load_compare_config
from ethicscheck.compare._candidates import candidate_specs
from ethicscheck.errors import ConfigError, EthicsCheckError
from tests.conftest import REPO, run_cli


def test_bundled_demo_config_validates_with_every_builtin_candidate():
    config = load_compare_config(REPO / "configs" / "compare_demo.yaml")
    names = [s.name for s in candidate_specs(config)]
    assert names[0] == "baseline" and len(names) == 12 and "DP logistic regression ε=0.1" in names
    assert {s.family for s in candidate_specs(config)} == {"baseline", "fairlearn", "diffprivlib"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"name": "x"}, "exactly one of 'data'"),
        ({"name": "x", "synth": {}, "candidates": [{"method": "dp_logistic_regression", "epsilons": [1]}]}, "data_norm: Field required"),
        ({"name": "x", "synth": {}, "candidates": [{"method": "dp_gaussian_nb", "epsilons": [1], "bounds": [1, 0]}]}, "lower < upper"),
        ({"name": "x", "synth": {}, "candidates": [{"method": "magic"}]}, "candidates -> 0"),
        ({"name": "x", "synth": {}, "split": {"test_size": 0.6, "shadow_size": 0.4}}, "fewer than 15%"),
    ],
)
def test_bad_configs_name_the_field(raw, message):
    with pytest.raises(ConfigError, match=message):
        compare_config_from_dict(raw)


@pytest.mark.parametrize(
    ("factory", "message"),
    [("no_such_module:make", "cannot import 'no_such_module'"), ("no colon", "must look like"), ("json:nothing", "no callable")],
)
def test_unusable_factory_is_a_clear_error(factory, message):
    config = compare_config_from_dict({"name": "x", "synth": {}, "candidates": [{"method": "custom", "factory": factory}]})
    with pytest.raises(EthicsCheckError, match=message):
        candidate_specs(config)


def test_cli_exits_2_with_the_field_on_a_bad_config(tmp_path):
    bad = tmp_path / "compare.yaml"
    bad.write_text("name: x\nsynth: {ads: 10}\n", encoding="utf-8")
    result = run_cli("compare", "--config", str(bad))
    assert result.code == 2 and "synth -> ads" in result.stderr


def test_schema_command_prints_the_comparison_schema():
    import json

    result = run_cli("schema", "--compare")
    assert result.code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "ethicscheck comparison config" and "candidates" in schema["properties"]
