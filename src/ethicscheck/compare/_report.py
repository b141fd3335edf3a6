"""What a comparison publishes: the table, the Pareto chart, plain-language findings, and the card section."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from ethicscheck._plotting import GREY, INK, OKABE_ITO, chart_style, figure_svg, inline_svg
from ethicscheck.compare._result import CandidateSummary, ComparisonResult

__all__ = ["comparison_table", "pareto_front", "pareto_svg", "comparison_findings", "write_comparison"]

_FAMILY_COLOUR = {"baseline": INK, "fairlearn": OKABE_ITO[0], "diffprivlib": OKABE_ITO[1], "custom": OKABE_ITO[2]}
_METHOD_MARKER = {
    "logistic_regression": "o",
    "threshold_optimizer": "s",
    "exponentiated_gradient": "D",
    "correlation_remover": "P",
    "dp_logistic_regression": "^",
    "dp_gaussian_nb": "v",
    "custom": "*",
}


def _pct(value: float | None, sd: float | None = None, digits: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{100 * value:.{digits}f}%"
    return text + (f" ± {100 * sd:.{digits}f}" if sd is not None else "")


def _num(value: float | None, sd: float | None = None, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}" + (f" ± {sd:.{digits}f}" if sd is not None else "")


def comparison_table(result: ComparisonResult) -> list[dict[str, str]]:
    """One row per candidate: means ± SD across seeds, and the mean within-run CI of the FPR gap."""
    rows = []
    for s in result.summaries:
        m, sd = s.mean, s.sd
        low, high = s.fpr_gap_ci
        rows.append(
            {
                "Candidate": s.candidate,
                "ε": "—" if s.epsilon is None else f"{s.epsilon:g}",
                "Accuracy": _pct(m["accuracy"], sd["accuracy"]),
                "Recall": _pct(m["recall"], sd["recall"]),
                "FPR gap": _pct(m["fpr_gap"], sd["fpr_gap"]),
                "FPR gap 95% CI (mean of runs)": "—" if low is None or high is None else f"{100 * low:.1f}–{100 * high:.1f}%",
                "Gap below baseline's (seeds)": "—"
                if s.candidate == "baseline"
                else f"{s.gap_reduced} of {s.seeds}" + (f" ({s.degenerate} degenerate)" if s.degenerate else ""),
                "FNR gap": _pct(m["fnr_gap"], sd["fnr_gap"]),
                "MIA AUC (loss)": _num(m["mia_auc_loss"], sd["mia_auc_loss"]),
                "MIA AUC (shadow)": _num(m["mia_auc_shadow"], sd["mia_auc_shadow"]),
                "MIA advantage": _num(m["mia_advantage"]),
                "TPR @ 1% FPR": _pct(m["mia_tpr_at_1pct_fpr"]),
                "TPR @ 0.1% FPR": _pct(m["mia_tpr_at_01pct_fpr"]),
                "Training (s)": _num(m["fit_seconds"], None, 2),
            }
        )
    return rows


def pareto_front(summaries: tuple[CandidateSummary, ...]) -> list[str]:
    """Candidates no other candidate beats on both mean FPR gap (lower) and mean accuracy (higher).

    Candidates that flag (almost) everyone or no one in some seed are left out: their gap is trivially small.
    """
    points = [
        (s.candidate, s.mean["fpr_gap"], s.mean["accuracy"])
        for s in summaries
        if s.mean["fpr_gap"] is not None and s.mean["accuracy"] is not None and not s.degenerate
    ]
    front = []
    for name, gap, accuracy in points:
        dominated = any(g <= gap and a >= accuracy and (g < gap or a > accuracy) for other, g, a in points if other != name)
        if not dominated:
            front.append(name)
    return front


def pareto_svg(result: ComparisonResult) -> str:
    """FPR gap (x) against accuracy (y), one marker per candidate (shape by method, colour by family), SD whiskers,
    ε written next to DP models, the Pareto front joined by a line."""
    front = set(pareto_front(result.summaries))
    with chart_style() as plt:
        figure, ax = plt.subplots(figsize=(8.5, 5.2))
        shown = [s for s in result.summaries if s.mean["fpr_gap"] is not None and s.mean["accuracy"] is not None]
        for s in shown:
            colour, marker = _FAMILY_COLOUR.get(s.family, GREY), _METHOD_MARKER.get(s.method, "o")
            x, y = 100 * s.mean["fpr_gap"], 100 * s.mean["accuracy"]
            ax.errorbar(
                x,
                y,
                xerr=100 * (s.sd["fpr_gap"] or 0),
                yerr=100 * (s.sd["accuracy"] or 0),
                fmt=marker,
                color=colour,
                markersize=8,
                markerfacecolor=colour if s.candidate in front else "white",
                capsize=2,
                linewidth=1,
            )
            label = _short_label(s)
            ax.annotate(label, (x, y), xytext=(6, 4), textcoords="offset points", fontsize=7, color=INK)
        ordered = sorted((100 * s.mean["fpr_gap"], 100 * s.mean["accuracy"]) for s in shown if s.candidate in front)
        if len(ordered) > 1:
            ax.plot(*zip(*ordered), color=GREY, linestyle="--", linewidth=1, zorder=0)
        for method, marker in _METHOD_MARKER.items():
            mine = [s for s in shown if s.method == method]
            if mine:
                ax.plot([], [], marker, color=_FAMILY_COLOUR.get(mine[0].family, GREY), label=method.replace("_", " "))
        ax.set_xlabel(f"FPR gap by {result.feature}: largest minus smallest group, points (lower is fairer)")
        ax.set_ylabel("accuracy, % (higher is better)")
        ax.set_title(f"Fairness and accuracy of each candidate (mean ± SD over {len(result.seeds)} seeds)", loc="left")
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        ax.grid(color="#eeeeee")
        figure.tight_layout()
        return figure_svg(figure)


LABEL_KEY = (
    "Labels: TO = ThresholdOptimizer, EG = ExponentiatedGradient, CR = CorrelationRemover, DP-LR / DP-NB = diffprivlib "
    "logistic regression / Gaussian naive Bayes; ·FPR = false-positive-rate parity, ·EO = equalized odds."
)
_ABBREVIATIONS = {
    "threshold_optimizer": "TO",
    "exponentiated_gradient": "EG",
    "correlation_remover": "CR",
    "dp_logistic_regression": "DP-LR",
    "dp_gaussian_nb": "DP-NB",
}


def _short_label(summary: CandidateSummary) -> str:
    """A chart label short enough not to cover its neighbours: 'EG·EO', 'TO·FPR', 'DP-LR ε=1'."""
    if summary.epsilon is not None:
        return f"{_ABBREVIATIONS.get(summary.method, '')} ε={summary.epsilon:g}".strip()
    base = _ABBREVIATIONS.get(summary.method)
    if base is None:
        return summary.candidate if len(summary.candidate) <= 18 else summary.candidate[:17] + "…"
    inside = summary.candidate.partition("(")[2].rstrip(")")
    words = [w for w in inside.replace("_", " ").split() if w.isalpha()]
    if len(words) == 1:  # CamelCase constraint names: FalsePositiveRateParity -> FPR
        words = re.findall(r"[A-Z][a-z]*", inside)
    code = "".join(w[0].upper() for w in words if w.lower() != "parity")
    return f"{base}·{code}" if code and base in ("TO", "EG") else base


def comparison_findings(result: ComparisonResult) -> list[str]:
    """Plain sentences: the baseline's gap, who narrows it (and at what cost), privacy risk, the front."""
    base = result.summary("baseline")
    b = base.mean
    seeds = len(result.seeds)
    out = [
        f"The baseline's false-positive rates differ by {_points(b['fpr_gap'])} between the most and least often wrongly flagged "
        f"{result.feature} group (mean of {seeds} seed(s)); accuracy {_pct(b['accuracy'])}, recall {_pct(b['recall'])}."
    ]
    for s in result.summaries:
        m = s.mean
        if s.candidate == "baseline" or m["fpr_gap"] is None:
            continue
        if s.narrows_gap:
            out.append(
                f"{s.candidate} narrows the gap to {_points(m['fpr_gap'])}: its whole 95% CI is below the baseline's gap in {s.gap_reduced} of {s.seeds} seeds, "
                f"at accuracy {_pct(m['accuracy'])} and recall {_pct(m['recall'])}."
            )
    useless = [s.candidate for s in result.summaries if s.degenerate]
    if useless:
        out.append(f"Flag (almost) every ad or none in at least one seed, so their gaps say nothing about fairness: {', '.join(useless)}.")
    risk = [
        (s.candidate, s.mean["mia_auc_shadow"] or s.mean["mia_auc_loss"])
        for s in result.summaries
        if (s.mean["mia_auc_shadow"] or s.mean["mia_auc_loss"]) is not None
    ]
    if risk:
        worst = max(risk, key=lambda item: item[1])
        out.append(
            f"Membership inference: the strongest attack reaches AUC {worst[1]:.3f} against {worst[0]} (0.5 = guessing). "
            "Values near 0.5 mean an attacker cannot tell from the model's outputs who was in its training data."
        )
    out.append(f"Not beaten on both FPR gap and accuracy (the Pareto front): {', '.join(pareto_front(result.summaries))}.")
    for failure in result.failures:
        out.append(
            f"{failure['candidate']} could not be fitted on seed {failure['seed']}'s split and is left out there: {failure['reason']}"
        )
    return out


def _points(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} percentage points"


def _markdown(result: ComparisonResult, rows: list[dict[str, str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")

    header = list(rows[0])
    lines = [
        f"# Mitigation comparison: {cell(result.name)}",
        "",
        f"Data: {cell(str(result.data['source']))} (sha256 {result.data['sha256'][:12]}…); seeds {', '.join(map(str, result.seeds))}; "
        f"{result.runs[0].n_train:,} training and {result.runs[0].n_test:,} held-out rows per seed. Finished {result.finished_at} in {result.seconds:.0f} s.",
        "",
        "## Findings",
        "",
        *[f"- {cell(f)}" for f in comparison_findings(result)],
        "",
        "## Table",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *["| " + " | ".join(cell(r[h]) for h in header) + " |" for r in rows],
        "",
        "Means ± standard deviation across seeds. FPR gap: largest minus smallest group false-positive rate on held-out rows "
        "(fairlearn's false_positive_rate_difference). MIA: membership-inference attacks on equal samples of training and held-out rows.",
        "",
        "![FPR gap against accuracy, one marker per candidate](pareto.svg)",
        "",
        LABEL_KEY,
        "",
    ]
    return "\n".join(lines)


def _html(result: ComparisonResult, rows: list[dict[str, str]], chart: str) -> str:
    header = list(rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(r[h])}</td>" for h in header) + "</tr>" for r in rows)
    findings = "".join(f"<li>{escape(f)}</li>" for f in comparison_findings(result))
    figure = inline_svg(
        chart,
        prefix="pareto",
        title="FPR gap against accuracy",
        description="One marker per candidate; filled markers are on the Pareto front.",
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Mitigation comparison: {escape(result.name)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1a1a1a}"
        "table{border-collapse:collapse;font-size:.85rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .45rem;text-align:left}"
        "th{background:#f3f3f3}caption{text-align:left;font-weight:600}</style></head><body>"
        f"<h1>Mitigation comparison: {escape(result.name)}</h1>"
        f"<p>Data: {escape(str(result.data['source']))}; seeds {escape(', '.join(map(str, result.seeds)))}.</p>"
        f"<h2>Findings</h2><ul>{findings}</ul><figure>{figure}<figcaption>FPR gap against accuracy (mean ± SD over seeds); "
        f"filled markers are not beaten on both. {escape(LABEL_KEY)}</figcaption></figure>"
        f"<table><caption>Candidates (means ± SD across seeds)</caption><thead><tr>{''.join(f'<th scope=col>{escape(h)}</th>' for h in header)}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>\n"
    )


def write_comparison(result: ComparisonResult, folder: Path) -> dict[str, Path]:
    """comparison.json, comparison.md, comparison.html (self-contained) and pareto.svg in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = comparison_table(result)
    chart = pareto_svg(result)
    files = {
        "comparison.json": result.write_json(folder / "comparison.json"),
        "pareto.svg": folder / "pareto.svg",
        "comparison.md": folder / "comparison.md",
        "comparison.html": folder / "comparison.html",
    }
    files["pareto.svg"].write_text(chart, encoding="utf-8")
    files["comparison.md"].write_text(_markdown(result, rows), encoding="utf-8")
    files["comparison.html"].write_text(_html(result, rows, chart), encoding="utf-8")
    return files
