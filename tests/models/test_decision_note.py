"""The raw outputs behind constant decisions: what the model returned and the rule that read it, batch by batch."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicscheck.config import PrecomputedModelConfig
from ethicscheck.models._outputs import concat_predictions, to_predictions


def _labels(values: list[object]):
    return to_predictions(
        np.array(values, dtype=object), mode="label", positive_class="suspicious", threshold=0.5, n_rows=len(values), source="m"
    )


def test_batches_merge_what_the_model_returned():
    joined = concat_predictions([_labels([0, 1, 1]), _labels([1, 0]), _labels([0])])
    assert joined.decision_note() == "the model returned 0, 1, but the positive class is 'suspicious': no output matches it"
    scores = [
        to_predictions(np.array(s), mode="score", positive_class=1, threshold=0.9, n_rows=2, source="m") for s in ([0.1, 0.2], [0.4, 0.3])
    ]
    assert (
        concat_predictions(scores).decision_note()
        == "the model returned scores from 0.1 to 0.4, and a row is flagged at a score of 0.9 or more"
    )


def test_informative_or_unknown_outputs_have_no_note():
    assert _labels(["suspicious", "benign"]).decision_note() is None
    many = concat_predictions([_labels([f"v{i}" for i in range(5)]), _labels([f"v{i}" for i in range(5, 9)])])
    assert many.decision_note().startswith("the model returned 'v0', 'v1', 'v2', 'v3', 'v4', 'v5' and 3 more, but")


def test_a_decision_column_names_its_rule_and_column():
    from ethicscheck.models._precomputed import PrecomputedDetector

    config = PrecomputedModelConfig(kind="precomputed", decision_column="risk", flagged_values=["High"], not_flagged_values=["Low"])
    detector = PrecomputedDetector(None, config=config, positive_class=1, source="d.csv", info=None)
    note = detector.predict(pd.DataFrame({"risk": ["Low"] * 4})).decision_note()
    assert note == "the model returned only 'Low', but flagged_values is ['High'] (column 'risk'): no output matches it"
