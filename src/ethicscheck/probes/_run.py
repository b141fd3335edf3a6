"""Run the probes: find mentions, make counterfactual copies, score them with the model, measure.

Cost is one model call per copy: for each probed text, one copy per other term of its lexicon plus one
control copy. Texts are a seeded sample of at most ``max_texts_per_term`` per source term, and every copy
of every lexicon goes to the model in one ``predict`` call, which the adapter splits into its batches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from ethicscheck._serialize import Serializable, json_options
from ethicscheck.config import ProbesConfig
from ethicscheck.models import Detector, Predictions, Progress
from ethicscheck.probes._auc import IdentityAucs, identity_aucs
from ethicscheck.probes._lexicon import CONTROL_LEXICON, Lexicon, builtin_lexicon_names, load_lexicons
from ethicscheck.probes._result import LexiconProbe, PairSwap, ProbeResult, TargetSwap
from ethicscheck.probes._stats import SwapStats, SwapSummary, swap_stats, with_holm
from ethicscheck.probes._swap import Found, TermMatcher
from ethicscheck.probes._template import Template

__all__ = ["ProbePlan", "ProbeSettings", "plan_probes", "run_probes", "texts_of", "DEFAULT_LEXICONS"]

_Key = TypeVar("_Key")

#: Every shipped lexicon except the control.
DEFAULT_LEXICONS: tuple[str, ...] = tuple(n for n in builtin_lexicon_names() if n != CONTROL_LEXICON)


@dataclass(frozen=True)
class ProbeSettings(Serializable):
    """How the probes run (the ``probes:`` section of the audit config).

    Attributes
    ----------
    lexicons : tuple of str
        Shipped lexicons to probe.
    lexicon_files : tuple of Path
        User lexicon files (same format), adding terms or lexicons.
    languages : tuple of str or None
        Lexicon languages to use (default: all of them).
    max_texts_per_term : int
        At most this many texts per source term are swapped (a seeded sample).
    confidence_level : float
    n_boot : int
        Paired bootstrap replicates.
    alpha : float
        Family-wise error rate of the Holm-corrected tests that make a finding.
    min_texts : int
        Fewer texts than this on a side marks an identity-mention AUC insufficient.
    seed : int
    templates : tuple of str
        Templates that put every text and each term of a lexicon in one text (see :class:`~ethicscheck.probes._template.Template`);
        each lexicon with templates is also reported as ``<lexicon>_templates``.
    """

    lexicons: tuple[str, ...] = DEFAULT_LEXICONS
    lexicon_files: tuple[Path, ...] = field(default=(), metadata=json_options(written=False))  # names only, below
    languages: tuple[str, ...] | None = None
    max_texts_per_term: int = 200
    confidence_level: float = 0.95
    n_boot: int = 1000
    alpha: float = 0.05
    min_texts: int = 30
    seed: int = 0
    templates: tuple[str, ...] = field(default=(), metadata=json_options(omit="falsy"))

    @classmethod
    def from_config(cls, config: ProbesConfig, *, seed: int) -> ProbeSettings:
        """The settings of an audit config's ``probes:`` section (``seed``: the audit's)."""
        return cls(
            lexicons=tuple(config.lexicons) if config.lexicons else DEFAULT_LEXICONS,
            lexicon_files=tuple(config.lexicon_files),
            languages=tuple(config.languages) if config.languages else None,
            max_texts_per_term=config.max_texts_per_term,
            confidence_level=config.confidence_level,
            n_boot=config.n_boot,
            alpha=config.alpha,
            min_texts=config.min_texts,
            seed=seed,
            templates=tuple(config.templates),
        )

    JSON_ORDER = (
        "lexicons",
        "lexicon_file_names",
        "languages",
        "max_texts_per_term",
        "confidence_level",
        "n_boot",
        "alpha",
        "min_texts",
        "seed",
        "templates",
    )

    @property
    def lexicon_file_names(self) -> list[str]:
        """The user lexicon files by name (their folders are the user's, not the audit's)."""
        return [p.name for p in self.lexicon_files]


@dataclass
class _Plan:
    """The copies one lexicon asks for: rows of the evaluation table, and what each copy is."""

    lexicon: Lexicon
    name: str = ""
    plain: str = ""
    n_templates: int = 0  # 0: in-place swaps; else copies are templates filled with each term
    n_mentioning: int = 0
    n_several: int = 0
    mentions: dict[str, np.ndarray] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # per copy: (index of the probed text in `probed`, target key or None for the control copy)
    copies: list[tuple[int, str | None]] = field(default_factory=list)
    probed: list[tuple[int, str | None, str]] = field(default_factory=list)  # (row, source term or None in a template, language)


@dataclass(frozen=True)
class ProbePlan:
    """The swapped copies the probes will score (held in memory only, never written)."""

    lexicons: tuple[_Plan, ...]
    control: Lexicon

    @property
    def n_copies(self) -> int:
        """Model calls the probes cost (one per copy)."""
        return sum(len(plan.copies) for plan in self.lexicons)


def plan_probes(texts: Sequence[str], settings: ProbeSettings) -> ProbePlan:
    """Find the mentions in ``texts`` and make the swapped copies (a seeded sample per source term).

    Raises
    ------
    ConfigError
        A lexicon in the settings is unknown or a user lexicon file is malformed.
    """
    lexicons = load_lexicons(settings.lexicons, files=settings.lexicon_files, languages=settings.languages)
    control = lexicons[CONTROL_LEXICON]
    rng = np.random.default_rng(settings.seed)
    plans = tuple(_plan(lex, control, texts, settings.max_texts_per_term, rng) for lex in lexicons.values() if not lex.control)
    templates = [Template.parse(t, lexicons, where=f"probes -> templates[{i}]") for i, t in enumerate(settings.templates)]
    filled = tuple(
        _template_plan(lex, [t for t in templates if t.lexicon == name], control, texts, settings.max_texts_per_term, rng)
        for name, lex in lexicons.items()
        if any(t.lexicon == name for t in templates)
    )
    return ProbePlan(plans + filled, control)


def run_probes(
    frame: pd.DataFrame,
    detector: Detector,
    *,
    text_column: str,
    y_true: np.ndarray,
    settings: ProbeSettings,
    before: Predictions | None = None,
    plan: ProbePlan | None = None,
    progress: Progress | None = None,
) -> ProbeResult:
    """Swap identity terms in the texts of ``frame`` and measure how the model's decisions and scores change.

    Parameters
    ----------
    frame : DataFrame
        The evaluation table, as the model takes it.
    detector : Detector
        A model that scores text (every kind but ``precomputed``).
    text_column : str
        Column holding the text the terms are found and swapped in.
    y_true : ndarray of bool
        Labels, True for positive.
    settings : ProbeSettings
    before : Predictions, optional
        The model's predictions on ``frame`` as written, when already computed (the audit's).
    plan : ProbePlan, optional
        The copies, when already planned with :func:`plan_probes` on this frame's texts (to size a progress bar).
    progress : callable, optional
        Advanced by the number of copies scored.

    Returns
    -------
    ProbeResult
        Numbers and term names only; no text.
    """
    plan = plan if plan is not None else plan_probes(texts_of(frame, text_column), settings)
    plans = plan.lexicons
    rng = np.random.default_rng([settings.seed, 1])  # the bootstrap's own stream, apart from the sampling's
    y_true = np.asarray(y_true, dtype=bool)
    before = before if before is not None else detector.predict(frame)
    copies = [text for plan in plans for text in plan.texts]
    after = _score_copies(frame, detector, text_column, [r for plan in plans for r in plan.rows], copies, progress)
    decisions = np.asarray(before.decision, dtype=bool)
    scores = _riskier_up(before)
    after_scores = _riskier_up(after)
    results = []
    offset = 0
    for one in plans:
        n = len(one.copies)
        window = slice(offset, offset + n)
        offset += n
        copy_scores = after_scores[window] if after_scores is not None else None
        outcomes = _Outcomes(decisions, scores, np.asarray(after.decision[window], dtype=bool), copy_scores, y_true)
        results.append(_measure(one, outcomes, settings, rng))
    return ProbeResult(
        lexicons=tuple(results),
        control_terms=plan.control.keys,
        n_model_calls=len(copies),
        settings=settings.to_dict(),
        auc_note=None if scores is not None else "the model gives decisions only, and identity-mention AUCs need scores",
    )


def texts_of(frame: pd.DataFrame, text_column: str) -> list[str]:
    """The texts the probes read (missing ones as empty: they mention nothing)."""
    return [str(t) for t in frame[text_column].astype("string").fillna("").tolist()]


def _plan(lexicon: Lexicon, control: Lexicon, texts: Sequence[str], cap: int, rng: np.random.Generator) -> _Plan:
    matcher = TermMatcher(lexicon, extra_targets=[control])
    plan = _Plan(lexicon, lexicon.name, lexicon.plain, mentions={key: np.zeros(len(texts), dtype=bool) for key in lexicon.keys})
    by_source: dict[str, list[tuple[int, Found]]] = defaultdict(list)
    for row, text in enumerate(texts):
        found = matcher.find(text) if text else None
        if found is None:
            continue
        plan.n_mentioning += 1
        terms = found.terms
        for key in terms:
            plan.mentions[key][row] = True
        if len(terms) > 1:
            plan.n_several += 1
            continue
        by_source[terms[0]].append((row, found))
    for source in lexicon.keys:  # lexicon order, so the sample does not depend on dict order
        candidates = by_source.get(source, [])
        if len(candidates) > cap:
            keep = np.sort(rng.choice(len(candidates), size=cap, replace=False))
            candidates = [candidates[i] for i in keep]
        for row, found in candidates:
            _add_copies(plan, matcher, control, row, texts[row], found, source, rng)
    return plan


def _template_plan(
    lexicon: Lexicon, templates: list[Template], control: Lexicon, texts: Sequence[str], cap: int, rng: np.random.Generator
) -> _Plan:
    """Every template of ``lexicon`` filled with a seeded sample of the texts and each term, and a control word."""
    plan = _Plan(lexicon, f"{lexicon.name}_templates", lexicon.plain, n_templates=len(templates))
    candidates = np.array([row for row, text in enumerate(texts) if text.strip()], dtype=int)
    for template in templates:
        rows = candidates if len(candidates) <= cap else np.sort(rng.choice(candidates, size=cap, replace=False))
        terms = lexicon.languages[template.language].terms
        control_terms = control.languages[template.language].terms
        for row in rows.tolist():
            index = len(plan.probed)
            plan.probed.append((row, None, template.language))
            chosen = control_terms[int(rng.integers(len(control_terms)))]
            for target, term in [*((t.key, t) for t in terms), (None, chosen)]:
                plan.rows.append(row)
                plan.texts.append(template.fill(texts[row], term))
                plan.copies.append((index, target))
    return plan


def _add_copies(
    plan: _Plan, matcher: TermMatcher, control: Lexicon, row: int, text: str, found: Found, source: str, rng: np.random.Generator
) -> None:
    index = len(plan.probed)
    plan.probed.append((row, source, found.language))
    control_keys = [k for k in control.keys if matcher.has_target(found.language, k)]
    chosen = control_keys[int(rng.integers(len(control_keys)))]
    for target in [*plan.lexicon.keys, None]:
        if target == source or (target is not None and not matcher.has_target(found.language, target)):
            continue
        plan.rows.append(row)
        plan.texts.append(matcher.swap(text, found, chosen if target is None else target, source=source))
        plan.copies.append((index, target))


def _score_copies(
    frame: pd.DataFrame, detector: Detector, text_column: str, rows: list[int], texts: list[str], progress: Progress | None
) -> Predictions:
    if not rows:
        return Predictions(decision=np.zeros(0, dtype=bool), score=np.zeros(0))
    copies = frame.iloc[rows].reset_index(drop=True)
    copies[text_column] = np.array(texts, dtype=object)
    return detector.predict(copies, progress=progress)


def _riskier_up(predictions: Predictions) -> np.ndarray | None:
    if predictions.score is None:
        return None
    score = np.asarray(predictions.score, dtype=float)
    return score if predictions.higher_is_riskier else -score


@dataclass(frozen=True)
class _Outcomes:
    """Decisions and scores (riskier up) of the texts as written and of one lexicon's copies, and the labels."""

    before: np.ndarray
    before_scores: np.ndarray | None
    after: np.ndarray
    after_scores: np.ndarray | None
    y_true: np.ndarray


def _measure(plan: _Plan, outcomes: _Outcomes, settings: ProbeSettings, rng: np.random.Generator) -> LexiconProbe:
    lexicon = plan.lexicon
    n_probed = len(plan.probed)
    rows = np.array([row for row, _, _ in plan.probed], dtype=int)
    sources = np.array([source for _, source, _ in plan.probed], dtype=object)  # None in a template: no pairs
    # The decision and score of each probed text with each target, and with its control word.
    target_of = {key: np.full(n_probed, -1) for key in lexicon.keys}
    control_of = np.full(n_probed, -1)
    for position, (index, target) in enumerate(plan.copies):
        if target is None:
            control_of[index] = position
        else:
            target_of[target][index] = position
    pooled: dict[str, list[SwapStats | None]] = {}
    paired: dict[tuple[str, str], list[SwapStats | None]] = {}
    for target in lexicon.keys:
        swapped = target_of[target] >= 0
        if not swapped.any():
            continue
        pooled[target] = _by_slice(swapped, rows, target_of[target], control_of, outcomes, settings, rng)
        for source in lexicon.keys:
            subset = swapped & (sources == source)
            if subset.any():
                paired[(source, target)] = _by_slice(subset, rows, target_of[target], control_of, outcomes, settings, rng)
    pooled = _holm_by_slice(pooled, settings.alpha)
    paired = _holm_by_slice(paired, settings.alpha)
    aucs: tuple[IdentityAucs, ...] = ()
    if outcomes.before_scores is not None and not plan.n_templates:  # the texts as written are the swaps' to read
        aucs = tuple(
            identity_aucs(
                key,
                lexicon.label(key),
                outcomes.before_scores,
                outcomes.y_true,
                plan.mentions[key],
                confidence_level=settings.confidence_level,
                min_texts=settings.min_texts,
            )
            for key in lexicon.keys
            if plan.mentions[key].any()
        )
    languages: dict[str, int] = defaultdict(int)
    for _, _, language in plan.probed:
        languages[language] += 1
    return LexiconProbe(
        name=plan.name,
        plain=plan.plain,
        n_mentioning=plan.n_mentioning,
        n_several_terms=plan.n_several,
        n_probed=n_probed,
        n_copies=len(plan.copies),
        by_language=dict(languages),
        targets=tuple(TargetSwap(t, lexicon.label(t), *stats) for t, stats in pooled.items()),
        pairs=tuple(PairSwap(s, lexicon.label(s), t, lexicon.label(t), *map(_summary, stats)) for (s, t), stats in paired.items()),
        identity_aucs=aucs,
        n_templates=plan.n_templates,
    )


def _by_slice(
    subset: np.ndarray,
    rows: np.ndarray,
    target_positions: np.ndarray,
    control_positions: np.ndarray,
    outcomes: _Outcomes,
    settings: ProbeSettings,
    rng: np.random.Generator,
) -> list[SwapStats | None]:
    out: list[SwapStats | None] = []
    for positive in (False, True):
        chosen = subset & (outcomes.y_true[rows] == positive)
        if not chosen.any():
            out.append(None)
            continue
        r, t, c = rows[chosen], target_positions[chosen], control_positions[chosen]
        scores = None
        if outcomes.before_scores is not None and outcomes.after_scores is not None:
            scores = (outcomes.before_scores[r], outcomes.after_scores[t], outcomes.after_scores[c])
        out.append(
            swap_stats(
                outcomes.before[r],
                outcomes.after[t],
                outcomes.after[c],
                scores=scores,
                confidence_level=settings.confidence_level,
                n_boot=settings.n_boot,
                rng=rng,
            )
        )
    return out


def _summary(stats: SwapStats | None) -> SwapSummary | None:
    return None if stats is None else SwapSummary.of(stats)


def _holm_by_slice(family: dict[_Key, list[SwapStats | None]], alpha: float) -> dict[_Key, list[SwapStats | None]]:
    """Holm over the family's members, separately on each label slice."""
    out = {key: list(stats) for key, stats in family.items()}
    for position in range(2):
        keys = [key for key, stats in family.items() if stats[position] is not None]
        adjusted = with_holm([family[key][position] for key in keys], alpha=alpha)  # type: ignore[misc]
        for key, stats in zip(keys, adjusted):
            out[key][position] = stats
    return out
