"""The card's "How this was measured" appendix: the method names the body leaves out.

The body of the card speaks plainly ("the range the true rate plausibly lies in"); a reviewer who wants
to know that the range is a Wilson score interval, or which test compared two groups, finds it here,
with the settings that reproduce the numbers and each check's technical reading.
"""

from __future__ import annotations

from dataclasses import dataclass

from ethicscheck.result import AuditResult

__all__ = ["MethodNote", "measurement_notes"]

#: Plain headings for the keys of ``fairness.methods`` in audit.json; unknown keys are shown as they are.
_WHAT = {
    "rate_ci": "Range of each group's rate",
    "difference_ci": "Range of each comparison with the reference group",
    "spread_ci": "Range of the differences across all groups",
    "reference": "Reference group",
    "bootstrap": "Bootstrap resampling",
}
_RESAMPLING = {"stratified": "stratified (each group keeps its size)", "pooled": "pooled (all rows resampled together)"}

_TESTS = {
    "two_proportion_z": "two-proportion z-test",
    "fisher_exact": "Fisher's exact test",
}


@dataclass(frozen=True)
class MethodNote:
    """One row of the appendix: what was measured, and how (by its technical name)."""

    what: str
    how: str


def measurement_notes(result: AuditResult) -> list[MethodNote]:
    """Every method and setting behind the card's numbers, named as the literature names them."""
    fairness = result.fairness
    notes = [MethodNote("Confidence level", f"{round(100 * fairness.confidence_level)}% intervals throughout")]
    notes += [
        MethodNote(
            _WHAT.get(key, key.replace("_", " ").capitalize()), _RESAMPLING.get(str(how), str(how)) if key == "bootstrap" else str(how)
        )
        for key, how in fairness.methods.items()
    ]
    if fairness.n_boot:
        notes.append(MethodNote("Bootstrap replicates", f"{fairness.n_boot:,} (seed {result.run.seed})"))
    tests = sorted({t.method for f in fairness.features for g in f.groups for t in g.tests.values()})
    if tests:
        notes.append(
            MethodNote(
                "Is a group's rate different from the reference's?",
                ", ".join(_TESTS.get(t, t.replace("_", " ")) for t in tests) + " per group, Holm-corrected across each feature's groups",
            )
        )
    notes.append(
        MethodNote(
            "Too little data",
            f"a rate whose denominator has fewer than {fairness.min_group_size} rows is marked insufficient data and not compared",
        )
    )
    modes = sorted({o.mode for o in result.verdict.outcomes})
    for mode in modes:
        notes.append(MethodNote(f"Checks in {mode} mode", _MODES.get(mode, mode)))
    if result.privacy is not None:
        notes.append(MethodNote("Personal-data scan", result.privacy.engine))
    return notes


_MODES = {
    "point": "the estimate itself is compared with the limit",
    "confident": "the end of the confidence interval most favourable to the model is compared with the limit, so a check fails only "
    "when the whole interval is past it",
    "precautionary": "the end of the confidence interval least favourable to the model is compared with the limit, so a check fails "
    "when any part of the interval is past it",
}
