from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ethicscheck.cards import publishable, write_cards
from ethicscheck.config import CardConfig, config_from_dict
from tests.audit_helpers import audit

SECRET = "Tiny-Islanders"


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    sizes = {"big": 600, "mid": 300, "other": 250, SECRET: 6}
    nationality = np.repeat(list(sizes), list(sizes.values()))
    n = len(nationality)
    label = rng.random(n) < 0.3
    flagged = np.where(nationality == SECRET, True, rng.random(n) < 0.2)  # the tiny group is the worst
    region = np.where(np.arange(n) < 8, "rare-ref", rng.choice(["n", "s"], n))
    return pd.DataFrame({"nationality": nationality, "region": region, "label": label, "flagged": flagged})


def _config(folder, card=None):
    _frame().to_csv(folder / "data.csv", index=False)
    return config_from_dict(
        {
            "name": "small-groups",
            "data": {
                "path": str(folder / "data.csv"),
                "label": {"column": "label", "positive": True},
                "sensitive_features": [{"column": "nationality", "reference": "big"}, {"column": "region", "reference": "rare-ref"}],
                "intersections": "none",
            },
            "model": {"kind": "precomputed", "decision_column": "flagged", "positive_class": True},
            "fairness": {"n_boot": 100, "min_group_size": 1},
            "gates": [{"metric": "fpr_ratio", "scope": "nationality", "threshold": 1.25, "min_group_size": 1}],
            "card": {"item_noun": "ads", **(card or {})},
        }
    )


@pytest.fixture(scope="module")
def small_groups(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    return audit(_config(folder), folder / "out", None)


def test_small_group_and_its_complement_are_suppressed(small_groups):
    publication = publishable(small_groups.result, CardConfig(item_noun="ads"))
    shown = {g.group for g in publication.result.fairness.feature("nationality").groups}
    # 'Tiny' alone would be recoverable from the total, so the next-smallest ('other') goes too.
    assert shown == {"big", "mid"}
    assert publication.suppressed["nationality"] == 2
    assert publication.features_withheld == ("region",)  # its reference has 8 rows
    assert "region" not in {f.name for f in publication.result.fairness.features}


def test_audit_json_keeps_every_group_but_no_card_file_names_a_small_one(small_groups):
    assert SECRET in {g.group for g in small_groups.result.fairness.feature("nationality").groups}
    for name in ("model_card.json", "model_card.md", "model_card.html"):
        assert SECRET not in small_groups.files[name].read_text(encoding="utf-8"), name
    for chart in small_groups.report_dir.glob("chart_*.svg"):
        assert SECRET not in chart.read_text(encoding="utf-8"), chart.name
    assert SECRET in small_groups.files["audit.json"].read_text(encoding="utf-8")


def test_gate_on_a_suppressed_group_is_reported_without_its_name(small_groups):
    outcome = small_groups.result.verdict.outcomes[0]
    assert outcome.group == SECRET and outcome.status == "fail"
    public = publishable(small_groups.result, CardConfig()).result.verdict.outcomes[0]
    assert public.status == "fail" and SECRET not in public.message and public.group == "a group of fewer than 10"


def test_card_says_what_it_left_out(small_groups):
    md = small_groups.files["model_card.md"].read_text(encoding="utf-8")
    assert "What this card leaves out" in md and "fewer than 10 ads are not shown" in md
    card = json.loads(small_groups.files["model_card.json"].read_text(encoding="utf-8"))
    assert card["ethicscheck"]["publication"] == {
        "min_group_size": 10,
        "groups_suppressed": {"nationality": 2},
        "features_withheld": ["region"],
        "differential_privacy": None,
    }


def test_threshold_is_configurable(small_groups):
    publication = publishable(small_groups.result, CardConfig(min_published_group=1))
    assert publication.suppressed == {"nationality": 0, "region": 0} and publication.features_withheld == ()


def test_dp_counts_are_noisy_recorded_and_reproducible(small_groups, tmp_path):
    card = CardConfig(item_noun="ads", dp_epsilon=1.0, min_published_group=1)
    first, second = publishable(small_groups.result, card), publishable(small_groups.result, card)
    exact = small_groups.result.fairness.feature("nationality")
    noisy = first.result.fairness.feature("nationality")
    assert [g.counts for g in noisy.groups] == [g.counts for g in second.result.fairness.feature("nationality").groups]
    assert [g.counts for g in noisy.groups] != [g.counts for g in exact.groups]
    assert first.tables == 1 + 2 + 0 and first.epsilon_per_table == pytest.approx(1 / 3)
    assert all(v >= 0 for g in noisy.groups for v in g.counts.values())
    assert all(not o.message or "withheld" in o.message for o in first.result.verdict.outcomes)
    write_cards(small_groups.result, card, tmp_path, formats=("json", "md"))
    data = json.loads((tmp_path / "model_card.json").read_text(encoding="utf-8"))
    assert data["ethicscheck"]["publication"]["differential_privacy"]["epsilon"] == 1.0
    assert "differentially private" in (tmp_path / "model_card.md").read_text(encoding="utf-8")


def test_dp_noise_has_the_laplace_scale(small_groups):
    # Per cell, noise ~ Laplace(tables / epsilon): mean absolute error = scale. Check it over many cells.
    card = CardConfig(dp_epsilon=3.0, min_published_group=1)
    errors = []
    for seed in range(40):
        result = small_groups.result
        from dataclasses import replace

        seeded = replace(result, run=replace(result.run, seed=seed))
        noisy = publishable(seeded, card).result.fairness.feature("nationality")
        errors += [
            abs(g.counts[c] - e.counts[c])
            for g, e in zip(noisy.groups, result.fairness.feature("nationality").groups)
            for c in ("tn", "fp", "fn", "tp")
            if e.counts[c] > 20
        ]
    scale = 3 / 3.0  # three tables, epsilon 3
    assert 0.6 * scale < np.mean(errors) < 1.6 * scale


def test_huge_epsilon_publishes_exact_counts(small_groups):
    noisy = publishable(small_groups.result, CardConfig(dp_epsilon=1e9, min_published_group=1)).result.fairness.feature("nationality")
    assert [g.counts for g in noisy.groups] == [g.counts for g in small_groups.result.fairness.feature("nationality").groups]


def test_parity_band_must_bracket_one():
    with pytest.raises(ValueError, match="parity_band"):
        CardConfig(parity_band=(1.1, 1.5))
