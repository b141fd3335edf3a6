"""Probes inside a real audit: the demo's sklearn model, audit.json, gates, and what the config refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ethicscheck.config import config_from_dict
from ethicscheck.errors import ConfigError
from ethicscheck.result import AuditResult
from ethicscheck.synth import DemoInputs
from tests.audit_helpers import audit, demo_config

PROBES = {"lexicons": ["nationality"], "max_texts_per_term": 40, "n_boot": 200}


@pytest.fixture(scope="module")
def probed(demo_inputs: DemoInputs, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    config = demo_config(
        demo_inputs,
        probes=PROBES,
        privacy={"enabled": False},
        gates=[
            {"metric": "fpr_ratio", "scope": "nationality", "threshold": 1.25, "severity": "warn"},
            {"metric": "bpsn_auc", "comparator": ">=", "threshold": 0.93},
            {"metric": "swap.flip_rate", "scope": "nationality", "threshold": 0.05, "mode": "confident"},
        ],
    )
    return audit(config, tmp_path_factory.mktemp("probed"), None)


def test_identity_aucs_find_the_planted_nationality_effect_without_the_column(probed) -> None:  # type: ignore[no-untyped-def]
    """The two nationalities whose benign ads the group audit wrongly flags most are the two lowest BPSN AUCs,
    found from the text alone (the nationality column is not read by the probes)."""
    nationality = probed.result.fairness.feature("nationality")
    fpr = {g.group: g.metrics["fpr"].value for g in nationality.groups if g.group != "not mentioned"}
    worst_groups = set(sorted(fpr, key=fpr.get, reverse=True)[:2])  # type: ignore[arg-type]
    aucs = probed.result.probes.lexicon("nationality").identity_aucs
    lowest_bpsn = {a.label for a in sorted(aucs, key=lambda a: a.bpsn_auc.value)[:2]}
    assert worst_groups == lowest_bpsn == {"Nepali", "Nigerian"}


def test_swaps_find_the_planted_nationality_effect_in_the_group_audits_direction(probed) -> None:  # type: ignore[no-untyped-def]
    """The issue's demo acceptance: swapping the word alone moves the scores of benign ads up for exactly the two
    nationalities the group audit over-flags (the highest false-positive rates), beyond the control word, without
    reading the nationality column."""
    nationality = probed.result.fairness.feature("nationality")
    fpr = {g.group: g.metrics["fpr"].value for g in nationality.groups if g.group != "not mentioned"}
    worst_groups = set(sorted(fpr, key=fpr.get, reverse=True)[:2])  # type: ignore[arg-type]
    reference = nationality.group("not mentioned").metrics["fpr"].value
    assert all(fpr[g] > reference for g in worst_groups)  # the group audit: over-flagged
    targets = {t.label: t.negative for t in probed.result.probes.lexicon("nationality").targets if t.negative is not None}
    raised = {label for label, stats in targets.items() if stats.score_finding == "higher"}
    assert raised == worst_groups == {"Nepali", "Nigerian"}
    for label in raised:
        delta = targets[label].score_delta_beyond_control
        assert delta is not None and delta.ci_low is not None and delta.ci_low > 0


def test_probe_gates_judge_the_worst_term(probed) -> None:  # type: ignore[no-untyped-def]
    outcomes = {o.metric: o for o in probed.result.verdict.outcomes}
    bpsn = outcomes["bpsn_auc"]
    assert bpsn.status == "fail" and bpsn.feature == "probes" and bpsn.group in ("nationality: Nepali", "nationality: Nigerian")
    flips = outcomes["swap.flip_rate"]
    assert flips.feature == "probes: nationality" and flips.status == "pass"  # few benign ads sit near the threshold
    assert flips.ci_low is not None and flips.ci_high is not None


def test_audit_json_has_the_probes_and_no_text(probed) -> None:  # type: ignore[no-untyped-def]
    path = probed.files["audit.json"]
    data = json.loads(path.read_text(encoding="utf-8"))
    lexicon = data["probes"]["lexicons"][0]
    assert lexicon["name"] == "nationality" and lexicon["n_probed"] == 6 * 40
    assert data["probes"]["n_model_calls"] == lexicon["n_copies"] == 6 * 40 * 23
    assert AuditResult.read_json(path).to_dict() == probed.result.to_dict()
    published = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in probed.report_dir.iterdir() if p.is_file())
    assert "workers welcome" not in published and "applicants" not in published  # no ad text, as written or swapped


def test_precomputed_predictions_cannot_be_probed(demo_inputs: DemoInputs) -> None:
    with pytest.raises(ConfigError, match="probes need a model to score the swapped texts"):
        demo_config(demo_inputs, model={"kind": "precomputed", "score_column": "label", "path": None}, probes={})


def test_probe_gates_need_the_probes_section(demo_inputs: DemoInputs) -> None:
    with pytest.raises(ConfigError, match="add a probes: section"):
        demo_config(demo_inputs, gates=[{"metric": "bpsn_auc", "comparator": ">=", "threshold": 0.9}])


def test_lexicon_files_resolve_from_the_config_folder(tmp_path: Path, demo_inputs: DemoInputs) -> None:
    from ethicscheck.config import load_config

    (tmp_path / "mine.yaml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "audit.yaml").write_text(
        json.dumps({**json.loads(demo_config(demo_inputs).model_dump_json()), "probes": {"lexicon_files": ["mine.yaml"]}}),
        encoding="utf-8",
    )
    loaded = load_config(tmp_path / "audit.yaml")
    assert loaded.probes is not None and loaded.probes.lexicon_files == [(tmp_path / "mine.yaml").resolve()]


def test_config_without_probes_has_no_probes_key(demo_inputs: DemoInputs) -> None:
    assert config_from_dict(json.loads(demo_config(demo_inputs).model_dump_json())).probes is None


def test_the_card_shows_the_probes_section_with_its_chart(probed) -> None:  # type: ignore[no-untyped-def]
    markdown = probed.files["model_card.md"].read_text(encoding="utf-8")
    assert "## Identity terms: would the decision change if only the term changed?" in markdown
    assert "| Nigerian |" in markdown and "(BPSN)" in markdown
    assert (probed.report_dir / "chart_probes_0.svg").is_file()
    html = probed.files["model_card.html"].read_text(encoding="utf-8")
    assert 'id="probes"' in html and 'id="chart-probes-0"' in html


def test_mlflow_metrics_carry_the_probe_figures(probed) -> None:  # type: ignore[no-untyped-def]
    from ethicscheck.tracking._log import metric_items

    names = dict(metric_items(probed.result))
    assert "bpsn_auc/nationality/nigerian" in names and "swap.flip_rate/nationality/nigerian" in names
    assert names["bpsn_auc/nationality/nigerian"] == probed.result.probes.lexicon("nationality").identity_aucs[3].bpsn_auc.value


def test_model_card_json_carries_the_probe_figures_and_findings(probed) -> None:  # type: ignore[no-untyped-def]
    card = json.loads(probed.files["model_card.json"].read_text(encoding="utf-8"))
    metrics = {(m["type"], m["slice"]): m for m in card["quantitative_analysis"]["performance_metrics"]}
    lexicon = probed.result.probes.lexicon("nationality")
    nigerian = next(t for t in lexicon.targets if t.target == "nigerian").negative
    delta = metrics[("swap.score_delta", "probes:nationality=Nigerian")]
    assert delta["value"] == nigerian.score_delta_beyond_control.value
    assert delta["confidence_interval"]["lower_bound"] == nigerian.score_delta_beyond_control.ci_low
    assert ("swap.flip_rate", "probes:nationality=Nigerian") in metrics and ("bpsn_auc", "probes:nationality=Nepali") in metrics
    findings = card["ethicscheck"]["probes"]["lexicons"][0]
    assert findings["name"] == "nationality" and findings["score_findings"]["Nigerian"] == "higher"
