from __future__ import annotations

import json

import pandas as pd
import skops.io as sio

from ethicscheck.synth import generate_ads, precomputed_example
from ethicscheck.synth._vocabulary import OVER_FLAGGED
from tests.conftest import CONFIGS


def test_same_seed_same_ads_and_other_seed_differs():
    assert generate_ads(200, seed=3).equals(generate_ads(200, seed=3))
    assert not generate_ads(200, seed=3)["text"].equals(generate_ads(200, seed=4)["text"])


def test_planted_spans_point_at_the_values():
    ads = generate_ads(500, seed=1)
    kinds = set()
    for text, spans in zip(ads["text"], ads["pii"]):
        for span in json.loads(spans):
            value = text[span["start"] : span["end"]]
            assert value and value == value.strip() and not value.endswith(".")
            kinds.add((span["entity_type"], span["obfuscated"]))
    assert {
        ("PHONE_NUMBER", True),
        ("PHONE_NUMBER", False),
        ("EMAIL_ADDRESS", False),
        ("PERSON", False),
        ("SOCIAL_HANDLE", False),
        ("MESSENGER_LINK", False),
    } <= kinds


def test_labelled_ads_over_represent_the_skewed_groups():
    ads = generate_ads(6000, seed=0)
    skewed = ads["nationality"].isin(OVER_FLAGGED)
    assert ads.loc[skewed, "label"].mean() > ads.loc[~skewed, "label"].mean() + 0.08


def test_demo_model_overflags_the_planted_groups(demo_inputs):
    model = sio.load(demo_inputs.model_path, trusted=[])
    ads = pd.read_parquet(demo_inputs.eval_path)
    flagged = model.predict_proba(ads["text"])[:, 1] >= 0.5
    negatives = ads["label"] == 0
    skewed = ads["nationality"].isin(OVER_FLAGGED)
    fpr_skewed = flagged[negatives & skewed].mean()
    fpr_reference = flagged[negatives & (ads["nationality"] == "not mentioned")].mean()
    assert fpr_skewed > 1.8 * fpr_reference


def test_shipped_precomputed_example_is_reproducible():
    shipped = pd.read_csv(CONFIGS / "data" / "precomputed_example.csv")
    regenerated = precomputed_example()
    pd.testing.assert_frame_equal(shipped, regenerated.reset_index(drop=True), check_dtype=False)
