"""Typed results of the probes stage, serializable with ``to_dict()``. They hold numbers and term names only:
no text, original or swapped, is ever part of a result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ethicscheck._serialize import Serializable, json_options
from ethicscheck.probes._auc import IdentityAucs
from ethicscheck.probes._stats import SwapStats, SwapSummary

__all__ = ["LabelSlice", "LexiconProbe", "PairSwap", "ProbeResult", "TargetSwap", "LABEL_SLICES"]

#: Texts labelled negative (a flip to flagged is a new false positive) and labelled positive.
LabelSlice = Literal["negative", "positive"]
LABEL_SLICES: tuple[LabelSlice, ...] = ("negative", "positive")


@dataclass(frozen=True)
class TargetSwap(Serializable):
    """A target term swapped into every text that mentions another term of its lexicon (pooled over sources)."""

    target: str
    label: str
    negative: SwapStats | None
    positive: SwapStats | None

    def slice(self, which: LabelSlice) -> SwapStats | None:
        return self.negative if which == "negative" else self.positive


@dataclass(frozen=True)
class PairSwap(Serializable):
    """One source term replaced by one target term in the texts that mention the source (a summary per slice:
    there are many pairs, and the pooled :class:`TargetSwap` carries every interval)."""

    source: str
    source_label: str
    target: str
    target_label: str
    negative: SwapSummary | None
    positive: SwapSummary | None

    def slice(self, which: LabelSlice) -> SwapSummary | None:
        return self.negative if which == "negative" else self.positive


@dataclass(frozen=True)
class LexiconProbe(Serializable):
    """Everything measured for one lexicon.

    Attributes
    ----------
    n_mentioning : int
        Texts that mention at least one of its terms.
    n_several_terms : int
        Of those, texts that mention two or more different terms: not swapped (a swap would make the text
        mention one term twice), but counted in the identity-mention AUCs.
    n_probed : int
        Texts swapped (at most ``max_texts_per_term`` per source term, a seeded sample).
    n_copies : int
        Swapped copies scored by the model (control copies included).
    by_language : dict
        Texts probed per language.
    n_templates : int
        0 for in-place swaps; else the templates that put each probed text and each term (and a control word)
        into one copy (every text is probed, whatever it mentions; no pairs and no identity-mention AUCs).
    """

    name: str
    plain: str
    n_mentioning: int
    n_several_terms: int
    n_probed: int
    n_copies: int
    by_language: dict[str, int]
    targets: tuple[TargetSwap, ...]
    pairs: tuple[PairSwap, ...]
    identity_aucs: tuple[IdentityAucs, ...]
    n_templates: int = field(default=0, metadata=json_options(omit="falsy"))


@dataclass(frozen=True)
class ProbeResult(Serializable):
    """The probes stage: per lexicon, swap statistics and identity-mention AUCs.

    ``auc_note`` says why there are no identity-mention AUCs (a model without scores), else None.
    """

    lexicons: tuple[LexiconProbe, ...]
    control_terms: tuple[str, ...]
    n_model_calls: int
    settings: dict[str, Any] = field(default_factory=dict)
    auc_note: str | None = None

    JSON_ORDER = ("settings", "control_terms", "n_model_calls", "auc_note", "lexicons")

    def lexicon(self, name: str) -> LexiconProbe:
        return next(lex for lex in self.lexicons if lex.name == name)
