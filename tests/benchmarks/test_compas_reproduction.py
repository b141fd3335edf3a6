"""ProPublica's published COMPAS table, reproduced from the shipped configs through the real CLI.

Published ("Machine Bias", 2016; Compas Analysis.ipynb): FPR / FNR of 44.85% / 27.99% for Black and
23.45% / 47.72% for White defendants, with Medium or High meaning flagged. The configs in configs/ say
that with a categorical decision column and, separately, with the 1-10 decile score and a threshold of 5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CONFIGS, run_cli

EXTRACT = CONFIGS.parent / "benchmarks" / "data" / "compas" / "compas-scores-two-years-extract.csv"

#: group -> (n, tn, fp, fn, tp, FPR %, FNR %) as printed by ProPublica's notebook.
PUBLISHED = {
    "African-American": (3696, 990, 805, 532, 1369, 44.85, 27.99),
    "Caucasian": (2454, 1139, 349, 461, 505, 23.45, 47.72),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the shipped configs' audits write to (one folder per config)."""
    return tmp_path_factory.mktemp("compas")


def _audit(config: str, reports: Path) -> dict:
    """Each shipped config is audited once through the real CLI; the tests read its report."""
    out = reports / config
    if not (out / "audit.json").is_file():
        result = run_cli("audit", "--config", str(CONFIGS / f"{config}.yaml"), "--out", str(out), "--no-tracking")
        assert result.code == 0, result.stderr
    return json.loads((out / "audit.json").read_text())


@pytest.mark.parametrize("config", ["compas_score_text", "compas_decile"])
def test_published_fpr_fnr_table_to_two_decimals(config, reports):
    audit = _audit(config, reports)
    race = next(f for f in audit["fairness"]["features"] if f["name"] == "race")
    groups = {g["group"]: g for g in race["groups"]}
    for group, (n, tn, fp, fn, tp, fpr, fnr) in PUBLISHED.items():
        got = groups[group]
        assert (got["n"], got["counts"]) == (n, {"tn": tn, "fp": fp, "fn": fn, "tp": tp})
        assert round(100 * got["metrics"]["fpr"]["value"], 2) == fpr
        assert round(100 * got["metrics"]["fnr"]["value"], 2) == fnr
    assert race["reference"] == "Caucasian"
    assert audit["data"]["n_rows_read"] == audit["data"]["n_rows"] == 7214
    assert [s["rows_after"] for s in audit["data"]["filter"]] == [7214, 7214]
    assert audit["model"]["degenerate_decisions"] is None
    card = json.loads((reports / config / "model_card.json").read_text())
    provenance = card["ethicscheck"]["provenance"]
    assert provenance["data_rows_read"] == 7214 and provenance["data_filter"] == audit["data"]["filter"]


def test_decile_score_is_not_a_probability(reports):
    audit = _audit("compas_decile", reports)
    assert audit["model"]["threshold"] == 5 and audit["model"]["score_is_probability"] is False
    overall = audit["fairness"]["overall"]
    assert overall["score_metrics"]["brier"]["status"] == "undefined"
    assert overall["score_metrics"]["brier"]["reason"] == "the score is not a probability (it ranges from 1 to 10)"
    assert overall["score_metrics"]["roc_auc"]["value"] > 0.6
    assert overall["reliability"] == []


def test_the_notebooks_population_filter_keeps_its_published_counts(reports):
    audit = _audit("compas_filtered", reports)
    assert (audit["data"]["n_rows_read"], audit["data"]["n_rows"]) == (7214, 6172)
    assert [s["predicate"] for s in audit["data"]["filter"]] == [
        "days_b_screening_arrest between -30 and 30",
        "is_recid != -1",
        "c_charge_degree != O",
        "score_text != N/A",
    ]
    sizes = {g["group"]: g["n"] for g in audit["fairness"]["features"][0]["groups"]}
    assert {k: sizes[k] for k in ("African-American", "Caucasian", "Hispanic", "Asian", "Native American")} == {
        "African-American": 3175,
        "Caucasian": 2103,
        "Hispanic": 509,
        "Asian": 31,
        "Native American": 11,
    }


def test_extract_is_the_documented_file():
    import hashlib

    assert hashlib.sha256(EXTRACT.read_bytes()).hexdigest() == "035d0144e0fac7b9da9796248df7097dac299b83d6b80c2a731ff0210858191d"
    assert len(pd.read_csv(EXTRACT)) == 7214
