"""Membership risk in an audit: a model overfit on a corpus with a planted outlier group, given its training rows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.result import AuditResult
from ethicscheck.synth import CorpusSpec, generate_ads

OUTLIER = "Nepali"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    root = tmp_path_factory.mktemp("membership")
    frame = generate_ads(1200, seed=1, spec=CorpusSpec(label_noise=0.1)).drop(columns=["pii", "indicators"])
    rng = np.random.default_rng(7)
    outlier = frame["nationality"] == OUTLIER
    frame.loc[outlier, "text"] = [" ".join(f"w{rng.integers(10**9):x}" for _ in range(12)) for _ in range(outlier.sum())]
    train = rng.random(len(frame)) < 0.5
    model = make_pipeline(TfidfVectorizer(min_df=1), LogisticRegression(C=1e4, max_iter=2000)).fit(frame.text[train], frame.label[train])
    frame["score"] = model.predict_proba(frame.text)[:, 1]
    frame[train].to_parquet(root / "training_rows.parquet")
    frame[~train].to_parquet(root / "heldout.parquet")
    config = config_from_dict(
        {
            "name": "membership",
            "data": {
                "path": str(root / "heldout.parquet"),
                "label": {"column": "label"},
                "text_column": "text",
                "sensitive_features": [{"column": "nationality", "reference": "not mentioned"}, {"column": "region"}],
                "intersections": "none",
            },
            "model": {"kind": "precomputed", "score_column": "score"},
            "fairness": {"n_boot": 50},
            "privacy": {"enabled": False},
            "tracking": {"enabled": False},
            "card": {"item_noun": "ads"},
            "membership_risk": {
                "members": str(root / "training_rows.parquet"),
                "nonmembers": str(root / "heldout.parquet"),
                "n_boot": 300,
            },
        }
    )
    return run_audit(config, out_dir=root / "report")


def test_the_outlier_groups_excess_is_found_and_published_in_words(audited):
    membership = audited.result.membership
    assert membership.overall.leaks and membership.overall.n_members + membership.overall.n_nonmembers == 1200
    nationality, region = membership.by_feature
    assert nationality.worst.group == OUTLIER and nationality.exceeds and nationality.worst.excess_auc.ci_low > 0
    assert not region.exceeds  # the outliers are spread over the regions
    document = json.loads(audited.files["audit.json"].read_text(encoding="utf-8"))
    saved = document["membership"]
    published = document["run"]["config"]["membership_risk"]  # file names only, like data.path
    assert (published["members"], published["nonmembers"]) == ("training_rows.parquet", "heldout.parquet")
    assert saved["by_feature"][0]["worst_group"] == OUTLIER and saved["members_file"] == "training_rows.parquet"
    assert AuditResult.read_json(audited.files["audit.json"]).membership == membership
    card = audited.files["model_card.md"].read_text(encoding="utf-8")
    assert "## Privacy: can someone tell who was in the training data?" in card
    assert f"better in the nationality group '{OUTLIER}' than overall" in card and "| Group | Training ads | Other ads |" in card
    assert "The shadow-model attack trains copies of the model" in card
    html = audited.files["model_card.html"].read_text(encoding="utf-8")
    assert 'id="membership"' in html and "Membership risk by nationality" in html
