"""Identity-mention AUCs (Borkan et al. 2019, "Nuanced metrics for measuring unintended bias").

For the texts that mention a term (the subgroup) and those that do not (the background):

- subgroup AUC: AUC on the subgroup's texts only;
- BPSN (background positive, subgroup negative): AUC on the background's positive texts and the subgroup's
  negative ones. Low means negative texts that mention the term score like positive texts that do not;
- BNSP (background negative, subgroup positive): AUC on the background's negative texts and the subgroup's
  positive ones. Low means positive texts that mention the term score like negative texts that do not.

Each comes with DeLong's variance and a normal interval clipped to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ethicscheck._serialize import Serializable
from ethicscheck.fairness import Estimate
from ethicscheck.fairness._uncertainty import z_value

__all__ = ["IdentityAucs", "delong_auc", "identity_aucs"]


@dataclass(frozen=True)
class IdentityAucs(Serializable):
    """The three identity-mention AUCs of one term, with the counts they rest on."""

    term: str
    label: str
    n_mentioning: int
    n_positive_mentioning: int
    subgroup_auc: Estimate
    bpsn_auc: Estimate
    bnsp_auc: Estimate


def delong_auc(positive: np.ndarray, negative: np.ndarray) -> tuple[float, float]:
    """ROC AUC of positive vs negative scores (ties count one half) and DeLong's variance of it.

    The AUC equals ``sklearn.metrics.roc_auc_score`` on the same scores. The variance is
    ``var(V10) / m + var(V01) / n`` from the placement values computed with midranks (DeLong, DeLong and
    Clarke-Pearson 1988; Sun and Xu 2014), O((m + n) log(m + n)).
    """
    m, n = len(positive), len(negative)
    from scipy.stats import rankdata  # here, not at module level: scipy.stats costs ~1 s of every start

    combined = rankdata(np.concatenate([positive, negative]))
    within_pos = rankdata(positive)
    within_neg = rankdata(negative)
    v10 = (combined[:m] - within_pos) / n
    v01 = 1.0 - (combined[m:] - within_neg) / m
    auc = float(v10.mean())
    variance = (v10.var(ddof=1) / m if m > 1 else 0.0) + (v01.var(ddof=1) / n if n > 1 else 0.0)
    return auc, float(variance)


def identity_aucs(
    term: str,
    label: str,
    scores: np.ndarray,
    y_true: np.ndarray,
    mentions: np.ndarray,
    *,
    confidence_level: float,
    min_texts: int,
) -> IdentityAucs:
    """Subgroup AUC, BPSN and BNSP of one term.

    Parameters
    ----------
    term, label : str
        The term's key and display spelling.
    scores : ndarray of float
        Scores of every text, higher meaning riskier.
    y_true : ndarray of bool
        True for positive labels.
    mentions : ndarray of bool
        True for the texts that mention the term.
    confidence_level : float
    min_texts : int
        Fewer positive or negative texts than this on either side marks an AUC ``insufficient_data``.
    """
    sub_pos, sub_neg = scores[mentions & y_true], scores[mentions & ~y_true]
    back_pos, back_neg = scores[~mentions & y_true], scores[~mentions & ~y_true]
    z = z_value(confidence_level)
    pos_in, neg_in = "positive texts that mention the term", "negative texts that mention the term"
    pos_out, neg_out = "positive texts that do not mention the term", "negative texts that do not mention the term"
    return IdentityAucs(
        term=term,
        label=label,
        n_mentioning=int(mentions.sum()),
        n_positive_mentioning=int((mentions & y_true).sum()),
        subgroup_auc=_auc(sub_pos, sub_neg, z, min_texts, pos_in, neg_in),
        bpsn_auc=_auc(back_pos, sub_neg, z, min_texts, pos_out, neg_in),
        bnsp_auc=_auc(sub_pos, back_neg, z, min_texts, pos_in, neg_out),
    )


def _auc(positive: np.ndarray, negative: np.ndarray, z: float, min_texts: int, positive_words: str, negative_words: str) -> Estimate:
    empty = [words for words, side in ((positive_words, positive), (negative_words, negative)) if len(side) == 0]
    if empty:
        return Estimate(None, status="undefined", reason=f"no {' and no '.join(empty)}")
    auc, variance = delong_auc(positive, negative)
    half = z * float(np.sqrt(variance))
    small = min(len(positive), len(negative)) < min_texts
    return Estimate(
        auc,
        max(0.0, auc - half),
        min(1.0, auc + half),
        status="insufficient_data" if small else "ok",
        reason=f"fewer than {min_texts} {positive_words if len(positive) < min_texts else negative_words}" if small else None,
        method="delong",
    )
