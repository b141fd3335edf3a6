"""A small table of decisions already made by some model: the 'no model needed' example."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicscheck.synth._corpus import CorpusSpec, generate_ads
from ethicscheck.synth._vocabulary import OVER_FLAGGED

__all__ = ["precomputed_example"]


def precomputed_example(n: int = 2000, *, seed: int = 7, missing_rate: float = 0.03) -> pd.DataFrame:
    """Labels, group columns and a biased score/decision, without any text or contact details.

    The score follows a transparent rule: labelled ads score higher, and benign ads of the
    over-flagged nationalities get a bump, so their false-positive rate is higher. A few
    nationality values are blanked to show the ``(missing)`` group.

    Returns
    -------
    DataFrame
        Columns ``ad_id, nationality, region, label, score, flagged``.
    """
    # The rows this example has always had (generator rates before #19): its score rule plants the bias itself, and
    # with today's rates the reference group happens to have no false positive, leaving the shipped gates no evidence.
    ads = generate_ads(n, seed=seed, id_prefix="pre", spec=CorpusSpec(over_flagged_base_rate=0.32, over_flagged_shared_cue_rate=0.55))
    rng = np.random.default_rng(seed)
    bump = ads["nationality"].isin(OVER_FLAGGED).to_numpy() * 0.9
    logit = -2.6 + 3.2 * ads["label"].to_numpy() + bump + rng.normal(0, 1.0, n)
    score = np.round(1 / (1 + np.exp(-logit)), 4)
    table = ads[["ad_id", "nationality", "region", "label"]].copy()
    table.loc[rng.random(n) < missing_rate, "nationality"] = None
    table["score"] = score
    table["flagged"] = (score >= 0.5).astype(int)
    return table
