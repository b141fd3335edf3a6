"""Typed results of the probes stage, serializable with ``to_dict()``. They hold numbers and term names only:
no text, original or swapped, is ever part of a result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ethicscheck.probes._auc import IdentityAucs
from ethicscheck.probes._stats import SwapStats

__all__ = ["LabelSlice", "LexiconProbe", "PairSwap", "ProbeResult", "TargetSwap", "LABEL_SLICES"]

#: Texts labelled negative (a flip to flagged is a new false positive) and labelled positive.
LabelSlice = Literal["negative", "positive"]
LABEL_SLICES: tuple[LabelSlice, ...] = ("negative", "positive")


def _slices(negative: SwapStats | None, positive: SwapStats | None) -> dict[str, Any]:
    return {"negative": negative.to_dict() if negative else None, "positive": positive.to_dict() if positive else None}


def _read_slices(data: dict[str, Any]) -> tuple[SwapStats | None, SwapStats | None]:
    return tuple(SwapStats.from_dict(data[k]) if data.get(k) else None for k in LABEL_SLICES)  # type: ignore[return-value]


@dataclass(frozen=True)
class TargetSwap:
    """A target term swapped into every text that mentions another term of its lexicon (pooled over sources)."""

    target: str
    label: str
    negative: SwapStats | None
    positive: SwapStats | None

    def slice(self, which: LabelSlice) -> SwapStats | None:
        return self.negative if which == "negative" else self.positive

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "label": self.label, **_slices(self.negative, self.positive)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TargetSwap:
        return cls(data["target"], data["label"], *_read_slices(data))


@dataclass(frozen=True)
class PairSwap:
    """One source term replaced by one target term in the texts that mention the source."""

    source: str
    source_label: str
    target: str
    target_label: str
    negative: SwapStats | None
    positive: SwapStats | None

    def slice(self, which: LabelSlice) -> SwapStats | None:
        return self.negative if which == "negative" else self.positive

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "source_label": self.source_label,
            "target": self.target,
            "target_label": self.target_label,
            **_slices(self.negative, self.positive),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PairSwap:
        return cls(data["source"], data["source_label"], data["target"], data["target_label"], *_read_slices(data))


@dataclass(frozen=True)
class LexiconProbe:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "plain": self.plain,
            "n_mentioning": self.n_mentioning,
            "n_several_terms": self.n_several_terms,
            "n_probed": self.n_probed,
            "n_copies": self.n_copies,
            "by_language": dict(self.by_language),
            "targets": [t.to_dict() for t in self.targets],
            "pairs": [p.to_dict() for p in self.pairs],
            "identity_aucs": [a.to_dict() for a in self.identity_aucs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LexiconProbe:
        return cls(
            **{k: data[k] for k in ("name", "plain", "n_mentioning", "n_several_terms", "n_probed", "n_copies")},
            by_language=dict(data["by_language"]),
            targets=tuple(TargetSwap.from_dict(t) for t in data["targets"]),
            pairs=tuple(PairSwap.from_dict(p) for p in data["pairs"]),
            identity_aucs=tuple(IdentityAucs.from_dict(a) for a in data["identity_aucs"]),
        )


@dataclass(frozen=True)
class ProbeResult:
    """The probes stage: per lexicon, swap statistics and identity-mention AUCs.

    ``auc_note`` says why there are no identity-mention AUCs (a model without scores), else None.
    """

    lexicons: tuple[LexiconProbe, ...]
    control_terms: tuple[str, ...]
    n_model_calls: int
    settings: dict[str, Any] = field(default_factory=dict)
    auc_note: str | None = None

    def lexicon(self, name: str) -> LexiconProbe:
        return next(lex for lex in self.lexicons if lex.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": dict(self.settings),
            "control_terms": list(self.control_terms),
            "n_model_calls": self.n_model_calls,
            "auc_note": self.auc_note,
            "lexicons": [lex.to_dict() for lex in self.lexicons],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProbeResult:
        return cls(
            lexicons=tuple(LexiconProbe.from_dict(lex) for lex in data["lexicons"]),
            control_terms=tuple(data["control_terms"]),
            n_model_calls=data["n_model_calls"],
            settings=dict(data["settings"]),
            auc_note=data.get("auc_note"),
        )
