"""What a comparison publishes: tables, the Pareto chart, plain-language findings, and the card section."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ethicscheck._plotting import inline_svg
from ethicscheck.compare._chart import CHART_KEY, LABEL_KEY, pareto_svg
from ethicscheck.compare._result import ATTACKS, CandidateComparison, CandidateRun, ComparisonResult
from ethicscheck.fairness import Estimate
from ethicscheck.membership import ATTACK_FIGURES, MIN_FALSE_POSITIVES, GroupRisk

__all__ = [
    "comparison_table",
    "attack_table",
    "group_risk_table",
    "group_risk_details",
    "comparison_findings",
    "write_comparison",
    "TABLE_NOTES",
    "GROUP_RISK_NOTES",
]

TABLE_NOTES = (
    "Figures are means over seeds on held-out rows. Δ columns: candidate minus baseline on the same held-out rows, "
    "pooled over seeds, with a 95% interval from a paired bootstrap (rows of the whole data set resampled within "
    "group, the same draw for every seed, so overlapping held-out rows count once; the seeds' fits are taken as given). Verdict: "
    "'narrows' / 'widens' when the pooled FPR-gap "
    "difference is below / above 0 with a Holm-adjusted p-value (across candidates) below 0.05, else 'no evidence "
    "either way'. A candidate that failed on a seed shows the failure instead of a mean of fewer seeds. FPR gap: "
    "largest minus smallest group false-positive rate (fairlearn's false_positive_rate_difference)."
)


GROUP_RISK_NOTES = (
    "Membership risk per group: the attack's figures on each group's own training rows (members) and held-out rows "
    "(non-members). Excess: the group's AUC minus the AUC over everyone, with a 95% bootstrap interval that is simultaneous "
    "over the groups (Bonferroni), so the most exposed group's interval stays valid although it was picked for being the worst. "
    "Groups with fewer training or held-out rows than privacy_risk.min_group_rows are not estimated, only counted."
)


def _pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f}%"


def _points(estimate: Estimate, *, signed: bool = True) -> str:
    """'-1.2 [-3.0, +0.5] points' (percentage points) or the reason it is missing."""
    if estimate.value is None:
        return estimate.reason or "—"
    sign = "+" if signed else ""
    if estimate.ci_low is None or estimate.ci_high is None:
        return f"{100 * estimate.value:{sign}.1f}"
    return f"{100 * estimate.value:{sign}.1f} [{100 * estimate.ci_low:{sign}.1f}, {100 * estimate.ci_high:{sign}.1f}]"


def _interval(estimate: Estimate, digits: int = 3) -> str:
    if estimate.value is None:
        return estimate.reason or "—"
    if estimate.ci_low is None or estimate.ci_high is None:
        return f"{estimate.value:.{digits}f}"
    return f"{estimate.value:.{digits}f} [{estimate.ci_low:.{digits}f}, {estimate.ci_high:.{digits}f}]"


def comparison_table(result: ComparisonResult) -> list[dict[str, str]]:
    """One row per candidate: pooled figures, paired differences with the baseline and the verdict."""
    rows = []
    for s in result.summaries:
        compared = result.comparison(s.candidate)
        failed = f"failed on seed {', '.join(map(str, s.failed_seeds))} (see failures)" if s.failed_seeds else None
        p = s.pooled

        verdict = "—"
        if compared is not None:
            verdict = compared.verdict if compared.p_adjusted is None else f"{compared.verdict} (Holm p = {compared.p_adjusted:.3g})"
        rows.append(
            {
                "Candidate": s.candidate,
                "ε": "—" if s.epsilon is None else f"{s.epsilon:g}",
                "Accuracy": failed or _pct(p["accuracy"]),
                "Δ accuracy, points [95% CI]": _delta(s.candidate, compared, "accuracy", failed),
                "Recall": failed or _pct(p["recall"]),
                "Δ recall, points [95% CI]": _delta(s.candidate, compared, "recall", failed),
                "FPR gap": failed or _pct(p["fpr_gap"]),
                "Δ FPR gap, points [95% CI]": _delta(s.candidate, compared, "fpr_gap", failed),
                "Verdict": verdict if compared is None or compared.reason is None else f"not assessed: {compared.reason}",
                "FNR gap": failed or _pct(p["fnr_gap"]),
                "Training (s)": failed or ("—" if p["fit_seconds"] is None else f"{p['fit_seconds']:.2f}"),
            }
        )
    return rows


def _delta(candidate: str, compared: CandidateComparison | None, figure: str, failed: str | None) -> str:
    if candidate == "baseline":
        return "—"
    if failed:
        return failed
    found = compared.differences.get(figure) if compared else None
    return "—" if found is None else _points(found.pooled)


def per_seed_table(result: ComparisonResult) -> list[dict[str, str]]:
    """Per candidate and seed: the FPR gap with the fairness engine's interval, and the paired difference with the baseline."""
    rows = []
    for s in result.summaries:
        compared = result.comparison(s.candidate)
        row = {"Candidate": s.candidate}
        for i, seed in enumerate(result.seeds):
            run = next((r for r in result.runs if r.candidate == s.candidate and r.seed == seed), None)
            if run is None:
                row[f"seed {seed}"] = "failed (see failures)"
                continue
            cell = f"gap {_points(run.gaps['fpr_gap'], signed=False)}"
            if compared is not None and "fpr_gap" in compared.differences:
                cell += f"; Δ {_points(compared.differences['fpr_gap'].per_seed[i])}"
            row[f"seed {seed}"] = cell
        rows.append(row)
    return rows


def attack_table(result: ComparisonResult) -> list[dict[str, str]]:
    """One row per candidate and attack; each cell lists every seed's figure with its 95% interval."""
    rows = []
    for s in result.summaries:
        for attack in ATTACKS:
            cells: dict[str, list[str]] = {name: [] for name in ATTACK_FIGURES}
            found_any = False
            for seed in result.seeds:
                run = next((r for r in result.runs if r.candidate == s.candidate and r.seed == seed), None)
                found = run.attack(attack) if run else None
                shadow_failed = any(f.candidate == s.candidate and f.seed == seed and f.stage.startswith("shadow") for f in result.failures)
                for name in ATTACK_FIGURES:
                    if found is None:
                        cells[name].append("failed (see failures)" if run is None or shadow_failed else "—")
                        continue
                    found_any = True
                    estimate = found.figure(name)
                    cells[name].append(_attack_cell(estimate))
            if not found_any:
                continue
            rows.append(
                {
                    "Candidate": s.candidate,
                    "Attack": attack,
                    "AUC [95% CI]": "; ".join(cells["auc"]),
                    "Advantage [95% CI]": "; ".join(cells["advantage"]),
                    "TPR @ 1% FPR": "; ".join(cells["tpr_at_1pct_fpr"]),
                    "TPR @ 0.1% FPR": "; ".join(cells["tpr_at_01pct_fpr"]),
                }
            )
    return rows


def _attack_cell(estimate: Estimate) -> str:
    return "not resolvable" if estimate.status == "insufficient_data" else _interval(estimate)


def _runs_in_seed_order(result: ComparisonResult, candidate: str) -> list[CandidateRun | None]:
    return [next((r for r in result.runs if r.candidate == candidate and r.seed == seed), None) for seed in result.seeds]


def group_risk_table(result: ComparisonResult) -> list[dict[str, str]]:
    """One row per candidate and attack: each seed's most exposed group and its excess over everyone (simultaneous interval)."""
    rows = []
    for s in result.summaries:
        for attack in ATTACKS:
            per_seed = [None if run is None else run.by_group(attack) for run in _runs_in_seed_order(result, s.candidate)]
            if all(g is None for g in per_seed):
                continue
            worst = [None if g is None else g.worst for g in per_seed]
            rows.append(
                {
                    "Candidate": s.candidate,
                    "Attack": attack,
                    "Most exposed group": "; ".join("—" if w is None else w.group for w in worst),
                    "Its AUC [95% CI]": "; ".join("—" if w is None else _interval(w.figures.auc) for w in worst),
                    "AUC over everyone": "; ".join("—" if g is None else f"{g.overall_auc:.3f}" for g in per_seed),
                    "Excess [95% CI, simultaneous]": "; ".join("—" if w is None else _interval(w.excess_auc) for w in worst),
                    "Evidence of excess": "; ".join("—" if g is None else ("yes" if g.exceeds else "no") for g in per_seed),
                    "Groups not estimated": "; ".join("—" if g is None else str(g.not_estimated) for g in per_seed),
                }
            )
    return rows


def group_risk_details(result: ComparisonResult) -> list[dict[str, str]]:
    """One row per candidate, attack and estimated group: every figure with its interval, seeds in order."""
    rows = []
    for s in result.summaries:
        runs = _runs_in_seed_order(result, s.candidate)
        for attack in ATTACKS:
            per_seed = [None if run is None else run.by_group(attack) for run in runs]
            names = dict.fromkeys(g.group for risk in per_seed if risk is not None for g in risk.groups)
            for name in names:
                found = [None if risk is None else risk.group(name) for risk in per_seed]

                def cells(figure: str, found: list[GroupRisk | None] = found) -> str:
                    return "; ".join(
                        "—"
                        if g is None
                        else ("not resolvable" if (e := g.figures.figure(figure)).status == "insufficient_data" else _interval(e))
                        for g in found
                    )

                rows.append(
                    {
                        "Candidate": s.candidate,
                        "Attack": attack,
                        "Group": name,
                        "Members / non-members": "; ".join(
                            "—" if g is None else f"{g.figures.n_members}/{g.figures.n_nonmembers}" for g in found
                        ),
                        "AUC [95% CI]": cells("auc"),
                        "Advantage [95% CI]": cells("advantage"),
                        "TPR @ 1% FPR": cells("tpr_at_1pct_fpr"),
                        "TPR @ 0.1% FPR": cells("tpr_at_01pct_fpr"),
                        "Excess AUC [simultaneous 95% CI]": "; ".join("—" if g is None else _interval(g.excess_auc) for g in found),
                    }
                )
    return rows


def comparison_findings(result: ComparisonResult) -> list[str]:
    """Plain sentences: the baseline's gap, each candidate's paired verdict, privacy risk, DP scope, the front, failures."""
    base = result.summary("baseline")
    seeds = len(result.seeds)
    base_runs = [r for r in result.runs if r.candidate == "baseline"]
    out = [
        f"The baseline's false-positive rates differ by {_pct(base.pooled['fpr_gap'])} (percentage points) between the most and least "
        f"often wrongly "
        f"flagged {result.feature} group (mean of {seeds} seed(s); per seed "
        + "; ".join(_points(r.gaps["fpr_gap"], signed=False) for r in base_runs)
        + f" points, 95% CI); accuracy {_pct(base.pooled['accuracy'])}, recall {_pct(base.pooled['recall'])}."
    ]
    for c in result.comparisons:
        out.append(_verdict_sentence(c, seeds))
    out += _attack_findings(result)
    out += _group_risk_findings(result)
    out.append(_dp_scope(result))
    out += list(result.warnings)
    out.append(f"Not beaten with evidence on both FPR gap and accuracy (the Pareto front): {', '.join(result.front) or 'none'}.")
    for failure in result.failures:
        out.append(f"{failure.candidate} failed on seed {failure.seed} ({failure.stage}): {failure.reason}")
    return out


def _verdict_sentence(c: CandidateComparison, seeds: int) -> str:
    if c.verdict == "not assessed":
        return f"{c.candidate}: not assessed — {c.reason}."
    gap, accuracy, recall = (c.differences[k].pooled for k in ("fpr_gap", "accuracy", "recall"))
    cost = f"accuracy {_points(accuracy)} and recall {_points(recall)} points against the baseline"
    change = f"{_points(gap)} points (pooled over {seeds} seed(s), paired 95% CI; Holm p = {c.p_adjusted:.3g})"
    if c.verdict == "narrows":
        sentence = f"{c.candidate} narrows the FPR gap: {change}, at {cost}."
    elif c.verdict == "widens":
        sentence = f"{c.candidate} widens the FPR gap: {change}, with {cost}."
    else:
        sentence = f"{c.candidate}: no evidence either way on the FPR gap: {change}; {cost}."
    if c.signed_groups and "fpr_signed" in c.own:
        first, second = c.signed_groups
        sentence += (
            f" FPR of {second} minus {first}: {_points(c.own['fpr_signed'])} points (change against the baseline "
            f"{_points(c.differences['fpr_signed'].pooled)})."
        )
    return sentence


def _attack_findings(result: ComparisonResult) -> list[str]:
    leaking = [(r.candidate, r.seed, a) for r in result.runs for a in r.attacks if a.leaks]
    attacked = [a for r in result.runs for a in r.attacks]
    if not attacked:
        return []
    sizes = sorted({a.n_nonmembers for a in attacked})
    shadow = (
        ""
        if result.shadow_train_rows is None
        else f" Shadow models train on {result.shadow_train_rows:,} rows each (the target on {result.runs[0].n_train:,})."
    )
    lead = (
        f"Membership inference on {', '.join(f'{n:,}' for n in sizes)} non-members per run; a TPR at 0.1% FPR is read only with at least "
        f"{int(MIN_FALSE_POSITIVES / 0.001):,} non-members ({MIN_FALSE_POSITIVES} false positives).{shadow}"
    )
    if not leaking:
        return [lead + " No attack's interval excludes chance (AUC 0.5, advantage 0) for any candidate and seed: no evidence of leakage."]
    named = "; ".join(
        f"{name} seed {seed} ({a.attack}): AUC {_interval(a.auc)}, advantage {_interval(a.advantage)}" for name, seed, a in leaking
    )
    return [lead + f" Evidence of membership leakage (interval excludes chance): {named}."]


def _group_risk_findings(result: ComparisonResult) -> list[str]:
    """The baseline's per-group membership risk in words (first seed), then which candidates show an excess with evidence."""
    base = next((r for r in result.runs if r.candidate == "baseline"), None)
    if base is None or not base.membership_by_group:
        return []
    out = [f"Baseline, seed {base.seed}: {risk.sentence('rows')}" for risk in base.membership_by_group]
    exceeding = [f"{r.candidate} seed {r.seed} ({risk.attack})" for r in result.runs for risk in r.membership_by_group if risk.exceeds]
    if exceeding:
        out.append(
            f"A {result.feature} group more exposed to membership inference than everyone, with evidence: " + "; ".join(exceeding) + "."
        )
    else:
        out.append(f"No candidate has a {result.feature} group more exposed to membership inference than everyone, with evidence.")
    return out


def _dp_scope(result: ComparisonResult) -> str:
    if not any(s.family == "diffprivlib" or s.epsilon is not None for s in result.summaries):
        return "No differentially private candidate in this comparison."
    if not result.learned_features:
        return (
            "Differential privacy: the feature map learned nothing from the data (config-given levels and bounds, or hashed text), "
            "so ε covers the whole pipeline of each DP candidate."
        )
    return (
        "Differential privacy: ε covers the model fit only. Not covered, because it is computed from the training rows without noise: "
        + ", ".join(result.learned_features)
        + ". For an end-to-end ε-DP pipeline use features {kind: hashing} for text, or tabular features with config-given bounds and "
        "levels."
    )


def _markdown(result: ComparisonResult) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")

    def table(rows: list[dict[str, str]]) -> list[str]:
        if not rows:
            return ["(none)"]
        header = list(rows[0])
        return [
            "| " + " | ".join(cell(h) for h in header) + " |",
            "|" + "|".join("---" for _ in header) + "|",
            *["| " + " | ".join(cell(r[h]) for h in header) + " |" for r in rows],
        ]

    lines = [
        f"# Mitigation comparison: {cell(result.name)}",
        "",
        f"Data: {cell(str(result.data['source']))} (sha256 {result.data['sha256'][:12]}…); seeds {', '.join(map(str, result.seeds))}; "
        f"{result.runs[0].n_train:,} training and {result.runs[0].n_test:,} held-out rows per seed. Finished {result.finished_at} in "
        f"{result.seconds:.0f} s.",
        "",
        "## Findings",
        "",
        *[f"- {cell(f)}" for f in comparison_findings(result)],
        "",
        "## Candidates against the baseline",
        "",
        *table(comparison_table(result)),
        "",
        cell(TABLE_NOTES),
        "",
        "![FPR gap against accuracy, one marker per candidate](pareto.svg)",
        "",
        cell(CHART_KEY),
        "",
        cell(LABEL_KEY),
        "",
        "## Per seed",
        "",
        "FPR gap with the fairness engine's 95% interval, and Δ: the paired difference with the baseline on that seed's held-out rows.",
        "",
        *table(per_seed_table(result)),
        "",
        "## Membership inference",
        "",
        f"Each cell lists seeds {', '.join(map(str, result.seeds))} in order: the figure and its 95% bootstrap interval (members and "
        "non-members resampled). Each attack is shown separately. 'not resolvable': too few non-members for that FPR.",
        "",
        *table(attack_table(result)),
        "",
        "## Membership risk per group",
        "",
        cell(GROUP_RISK_NOTES),
        "",
        *table(group_risk_table(result)),
        "",
        "### Every estimated group",
        "",
        *table(group_risk_details(result)),
        "",
    ]
    return "\n".join(lines)


def _html_table(rows: list[dict[str, str]], caption: str) -> str:
    if not rows:
        return ""
    header = list(rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(r[h])}</td>" for h in header) + "</tr>" for r in rows)
    head = "".join(f"<th scope=col>{escape(h)}</th>" for h in header)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html(result: ComparisonResult, chart: str) -> str:
    findings = "".join(f"<li>{escape(f)}</li>" for f in comparison_findings(result))
    seeds = ", ".join(map(str, result.seeds))
    figure = inline_svg(chart, prefix="pareto", title="FPR gap against accuracy", description=CHART_KEY)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Mitigation comparison: {escape(result.name)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1a1a1a}"
        "table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.3rem "
        ".45rem;text-align:left}"
        "th{background:#f3f3f3}caption{text-align:left;font-weight:600}</style></head><body>"
        f"<h1>Mitigation comparison: {escape(result.name)}</h1>"
        f"<p>Data: {escape(str(result.data['source']))}; seeds {escape(', '.join(map(str, result.seeds)))}.</p>"
        f"<h2>Findings</h2><ul>{findings}</ul><figure>{figure}<figcaption>{escape(CHART_KEY)} {escape(LABEL_KEY)}</figcaption></figure>"
        + _html_table(comparison_table(result), "Candidates against the baseline")
        + f"<p>{escape(TABLE_NOTES)}</p>"
        + _html_table(per_seed_table(result), "Per seed: FPR gap [95% CI]; Δ = paired difference with the baseline")
        + _html_table(attack_table(result), f"Membership inference (seeds {', '.join(map(str, result.seeds))} in order; 95% intervals)")
        + _html_table(group_risk_table(result), f"Membership risk per {result.feature} group (seeds {seeds} in order)")
        + f"<p>{escape(GROUP_RISK_NOTES)}</p>"
        + _html_table(group_risk_details(result), "Membership risk of every estimated group")
        + "</body></html>\n"
    )


def write_comparison(result: ComparisonResult, folder: Path) -> dict[str, Path]:
    """comparison.json, comparison.md, comparison.html (self-contained) and pareto.svg in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    chart = pareto_svg(result)
    files = {
        "comparison.json": result.write_json(folder / "comparison.json"),
        "pareto.svg": folder / "pareto.svg",
        "comparison.md": folder / "comparison.md",
        "comparison.html": folder / "comparison.html",
    }
    files["pareto.svg"].write_text(chart, encoding="utf-8")
    files["comparison.md"].write_text(_markdown(result), encoding="utf-8")
    files["comparison.html"].write_text(_html(result, chart), encoding="utf-8")
    return files
