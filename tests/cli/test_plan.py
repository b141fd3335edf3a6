"""``ethicscheck plan``: the labeled rows each group needs, from a config's data or from sizes given on the command line."""

from __future__ import annotations

import json

from ethicscheck.fairness import needed_denominator, power_of_test
from tests.conftest import demo_tree, run_cli


def test_plan_from_group_sizes_prints_the_table_and_json():
    args = ["plan", "--group", "majority=3000/600", "--group", "Nepali=58/12", "--group", "Filipino=400/90", "--ratio", "2"]
    shown = run_cli(*args)
    assert shown.code == 0, shown.stdout
    assert "Nepali" in shown.stdout and "majority (reference)" in shown.stdout and "2x" in shown.stdout
    data = json.loads(run_cli(*args, "--json").stdout)
    assert data["ratio"] == 2 and data["power"] == 0.8
    nepali = next(g for g in data["groups"] if g["group"] == "Nepali")
    expected = needed_denominator(3000, 0.05, ratio=2.0, tests=2, min_group_size=30)
    assert nepali["needed_for_fpr"]["n"] == expected.n
    assert power_of_test(expected.n, 0.10, 3000, 0.05, level=0.025) >= 0.8
    # both denominators at the group's own mix of labels (58 benign of 70)
    assert nepali["labeled_needed"] >= expected.n * 70 / 58
    assert nepali["still_to_label"] == nepali["labeled_needed"] - 70


def test_plan_on_the_demo_config_reads_its_groups(tmp_path, demo_inputs):
    result = run_cli("plan", "--config", str(demo_tree(tmp_path, demo_inputs)), "--json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    features = {g["feature"] for g in data["groups"]}
    assert {"nationality mentioned", "region", "nationality mentioned & region"} <= features
    reference = next(g for g in data["groups"] if g["feature"] == "nationality mentioned" and g["is_reference"])
    assert reference["group"] == "not mentioned"
    assert all(g["labeled_needed"] for g in data["groups"])
