"""The card's section on identity terms: would the decision change if only the term in the text changed?

Built from the probes' numbers only (the swapped texts are never kept). Sentences name the terms and the
evidence in plain words ("... are flagged 2.1 times as often (95% CI 1.4-3.0), beyond what a neutral word
in the same place does"); tables carry every target term with enough texts, and the identity-mention AUCs.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ethicscheck._plotting import OKABE_ITO
from ethicscheck.cards._charts import Chart, interval_chart
from ethicscheck.cards._findings import interval, percent
from ethicscheck.config import OutcomeWords
from ethicscheck.fairness import Estimate
from ethicscheck.probes import IdentityAucs, LexiconProbe, ProbeResult, SwapStats, SwapSummary

__all__ = ["probe_view", "probe_sentences", "probe_chart", "probe_confidence"]

#: Sentences per lexicon in the card (every finding stays in audit.json).
_MAX_SENTENCES = 5


def probe_view(probes: ProbeResult | None, *, noun: str, words: OutcomeWords, min_shown: int) -> dict[str, Any] | None:
    """What the templates show of the probes, or None when they did not run.

    ``min_shown``: terms behind fewer texts than this stay out of the card's tables and chart (audit.json
    keeps them).
    """
    if probes is None:
        return None
    confidence = probe_confidence(probes)
    lexicons = []
    for index, lexicon in enumerate(probes.lexicons):
        if not lexicon.n_mentioning and not lexicon.n_probed:
            lexicons.append({"name": lexicon.name, "plain": lexicon.plain, "empty": True})
            continue
        targets = [t for t in lexicon.targets if t.negative is not None and t.negative.n_texts >= min_shown]
        chart = probe_chart(lexicon, noun=noun, words=words, confidence=confidence, min_shown=min_shown)
        lexicons.append(
            {
                "name": lexicon.name,
                "plain": lexicon.plain,
                "empty": False,
                "summary": _summary(lexicon, noun),
                "sentences": probe_sentences(lexicon, noun=noun, words=words, confidence=confidence),
                "rows": [_row(t.label, t.negative) for t in targets if t.negative is not None],
                "auc_rows": [_auc_row(a) for a in lexicon.identity_aucs if a.n_mentioning >= min_shown],
                "chart": None
                if chart is None
                else {
                    "file": f"chart_probes_{index}.svg",
                    "chart": chart,
                    "id": f"chart-probes-{index}",
                    "svg": Markup(chart.inline(f"p{index}")),
                },
            }
        )
    return {
        "lexicons": lexicons,
        "n_model_calls": f"{probes.n_model_calls:,}",
        "control": ", ".join(probes.control_terms),
        "auc_note": probes.auc_note,
        "max_texts": probes.settings.get("max_texts_per_term"),
    }


def probe_confidence(probes: ProbeResult) -> str:
    """The probes' confidence level as the card writes it ("95%")."""
    return f"{round(100 * float(probes.settings.get('confidence_level', 0.95)))}%"


def _chart_view(chart: Chart, index: int) -> dict[str, Any]:
    return {"file": f"chart_probes_{index}.svg", "chart": chart, "id": f"chart-probes-{index}", "svg": Markup(chart.inline(f"p{index}"))}


def probe_sentences(lexicon: LexiconProbe, *, noun: str, words: OutcomeWords, confidence: str) -> list[str]:
    """Plain-language findings of one lexicon on texts labelled negative, strongest evidence first: swaps that
    change decisions beyond the control, then (score models) swaps that move scores beyond it without a decision
    finding."""
    if lexicon.n_templates:  # every term put into the same slot: findings per term (no term was there before)
        pairs = [(f"with ‘{t.label}’ put into the template", SwapSummary.of(t.negative)) for t in lexicon.targets if t.negative]
        swaps = f"{lexicon.plain} terms put into the template"
    else:
        pairs = [(f"and say ‘{p.target_label}’ instead of ‘{p.source_label}’", p.negative) for p in lexicon.pairs if p.negative is not None]
        swaps = f"swaps of one {lexicon.plain} term for another"
    found = sorted(((what, s) for what, s in pairs if s.finding is not None), key=lambda item: item[1].p_control_holm)
    sentences = []
    for what, stats in found[:_MAX_SENTENCES]:
        subject = f"{noun.capitalize()} that are {words.negative} {what}"
        sentences.append(f"{subject} {_how_often(stats, words, confidence)}, beyond what a neutral word in the same place does.")
    if len(found) > _MAX_SENTENCES:
        sentences.append(f"{len(found) - _MAX_SENTENCES} more {swaps} differ; see audit.json.")
    if not found:
        sentences.append(
            f"None of the {swaps} changed how often {noun} that are {words.negative} are {words.flagged} "
            f"beyond what a neutral word in the same place changes (exact McNemar tests, Holm-corrected)."
        )
    sentences += _score_sentences(lexicon, noun=noun, words=words, confidence=confidence)
    return sentences


def _score_sentences(lexicon: LexiconProbe, *, noun: str, words: OutcomeWords, confidence: str) -> list[str]:
    """Target terms (pooled over the terms they replace) that move scores beyond the control."""
    moved = [t for t in lexicon.targets if t.negative is not None and t.negative.score_finding is not None]
    if not moved:
        return []
    moved.sort(key=lambda t: -abs(_value(t.negative.score_delta_beyond_control if t.negative else None)))
    parts = []
    for target in moved[:_MAX_SENTENCES]:
        stats = target.negative
        assert stats is not None and stats.score_delta_beyond_control is not None
        delta = stats.score_delta_beyond_control
        decisions = "" if stats.finding else ", decisions not measurably"
        parts.append(f"‘{target.label}’ {_score_change(delta)}{decisions}")
    more = f" ({len(moved) - _MAX_SENTENCES} more in audit.json)" if len(moved) > _MAX_SENTENCES else ""
    return [
        f"Scores of {noun} that are {words.negative} move when a {lexicon.plain} term is {_put(lexicon)}, beyond what a neutral "
        f"word does (mean score change, {confidence} CI; exact sign tests, Holm-corrected): " + "; ".join(parts) + more + "."
    ]


def _value(estimate: Estimate | None) -> float:
    return 0.0 if estimate is None or estimate.value is None else float(estimate.value)


def _how_often(stats: SwapSummary, words: OutcomeWords, confidence: str) -> str:
    ratio = stats.flag_ratio
    if ratio.value is None:
        after, before = stats.flagged_after / stats.n_texts, stats.flagged_before / stats.n_texts
        return f"are {words.flagged} {percent(after)} of the time instead of {percent(before)}"
    ci = interval(ratio.ci_low, ratio.ci_high)
    return f"are {words.flagged} {ratio.value:.2g} times as often" + (f" ({confidence} CI {ci})" if ci else "")


def _put(lexicon: LexiconProbe) -> str:
    return "put into the template" if lexicon.n_templates else "swapped in"


def _summary(lexicon: LexiconProbe, noun: str) -> str:
    if lexicon.n_templates:
        return (
            f"{lexicon.n_probed:,} {noun} (a seeded sample per template, {lexicon.n_templates} template(s)) were each copied into "
            f"the template with every {lexicon.plain} term in its slot and once with a neutral word, {lexicon.n_copies:,} copies in all."
        )
    several = f" ({lexicon.n_several_terms:,} naming two or more terms were not swapped)" if lexicon.n_several_terms else ""
    return (
        f"{lexicon.n_mentioning:,} {noun} mention a {lexicon.plain} term{several}; {lexicon.n_probed:,} of them were copied with "
        f"the term replaced by each other term and by a neutral word, {lexicon.n_copies:,} copies in all."
    )


def _rate(estimate: Estimate) -> str:
    if estimate.value is None:
        return "n/a"
    ci = interval(estimate.ci_low, estimate.ci_high, as_percent=True)
    return percent(estimate.value) + (f" ({ci})" if ci else "")


def _row(label: str, stats: SwapStats) -> dict[str, str]:
    beyond = stats.flip_rate_beyond_control
    points = "n/a" if beyond.value is None else f"{100 * beyond.value:+.1f} points"
    ci = interval(None if beyond.ci_low is None else 100 * beyond.ci_low, None if beyond.ci_high is None else 100 * beyond.ci_high)
    return {
        "term": label,
        "n": f"{stats.n_texts:,}",
        "before": percent(stats.flagged_before.value),
        "after": percent(stats.flagged_after.value),
        "control": percent(stats.flagged_control.value),
        "new": _rate(stats.flips_up),
        "beyond": points + (f" ({ci})" if ci else ""),
        "score": _score_change(stats.score_delta_beyond_control),
        "finding": _difference(stats),
    }


def _score_change(delta: Estimate | None) -> str:
    if delta is None or delta.value is None:
        return "n/a"
    if delta.ci_low is None or delta.ci_high is None:
        return f"{delta.value:+.3f}"
    return f"{delta.value:+.3f} ({delta.ci_low:+.3f} to {delta.ci_high:+.3f})"


def _difference(stats: SwapStats) -> str:
    """The Difference column: a decision finding first, else a score finding, else none."""
    if stats.finding:
        return {"higher": "flagged more often", "lower": "flagged less often"}[stats.finding]
    if stats.score_finding:
        return {"higher": "scores higher", "lower": "scores lower"}[stats.score_finding]
    return "no difference shown"


def _auc_row(aucs: IdentityAucs) -> dict[str, str]:
    def show(estimate: Estimate) -> str:
        if estimate.value is None:
            return "n/a"
        ci = interval(estimate.ci_low, estimate.ci_high)
        flag = "" if estimate.status == "ok" else " (few)"
        return f"{estimate.value:.3f}" + (f" ({ci})" if ci else "") + flag

    return {
        "term": aucs.label,
        "n": f"{aucs.n_mentioning:,}",
        "subgroup": show(aucs.subgroup_auc),
        "bpsn": show(aucs.bpsn_auc),
        "bnsp": show(aucs.bnsp_auc),
    }


def probe_chart(lexicon: LexiconProbe, *, noun: str, words: OutcomeWords, confidence: str, min_shown: int) -> Chart | None:
    """Per target term: the share of not-flagged negative texts the swap newly flags (dot, Wilson interval), and
    the share a neutral word in the same place newly flags (grey cross)."""
    targets = [
        t for t in lexicon.targets if t.negative is not None and t.negative.n_texts >= min_shown and t.negative.flips_up.value is not None
    ]
    if not targets:
        return None
    targets = targets[:40]
    rows = [t.negative for t in targets if t.negative is not None]
    svg = interval_chart(
        [t.label[:34] for t in targets],
        [Estimate(stats.flips_up.value, stats.flips_up.ci_low, stats.flips_up.ci_high) for stats in rows],
        title=f"Newly {words.flagged} when the term is {_put(lexicon)}",
        colour=OKABE_ITO[0],
        crosses=[
            None
            if stats.flip_rate_beyond_control.value is None or stats.flips_up.value is None
            else stats.flips_up.value - stats.flip_rate_beyond_control.value
            for stats in rows
        ],
        legend=(f"newly {words.flagged} with the term", "with a neutral word instead"),
    )
    return Chart(
        key=f"probes_{lexicon.name}",
        title=f"{noun.capitalize()} that are {words.negative} newly {words.flagged} when a {lexicon.plain} term is {_put(lexicon)}",
        description=(
            f"For each {lexicon.plain} term: the share of {noun} that are {words.negative}, not {words.flagged} as written and "
            + (
                f"put into the template with this term, that are {words.flagged} then"
                if lexicon.n_templates
                else f"naming another {lexicon.plain}, that are {words.flagged} once this term replaces it"
            )
            + f" (dots, {confidence} confidence intervals), and the share a neutral word in the same place {words.flagged} "
            "(grey crosses)."
        ),
        svg=svg,
    )
