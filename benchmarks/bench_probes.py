"""Do the term-swap probes find planted per-term effects, and only those? A simulation over a grid of true effects.

Each seed draws a corpus of ads that name one of four nationalities ("{Term} workers welcome.", "We are looking
for {Term} applicants.", ...), each with its own baseline logit and label, and scores it with a logistic model
whose logit moves by a planted amount for chosen terms:

- ``effect``: three target terms carry a shift (two up, one down) of the stated size in logits; the other
  terms of the lexicon carry none. A detection is a finding in the planted direction for a planted term, on
  ads labelled negative (pooled over source terms, Holm-corrected, beyond the control); a false finding is
  any finding for a term with no effect.
- ``tokenisation``: no term carries an effect, but every swap adds the same shift (a model that reacts to any
  unfamiliar word in the slot). The control must keep these out: the share of terms with a finding is
  reported with the control (what ethicscheck reports) and without it (as-written vs swapped, Holm).

    python benchmarks/bench_probes.py [--seeds 100] [--texts 600] [--out benchmarks/results/probes.md]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import machine

from ethicscheck.models import ModelInfo, Predictions, Progress
from ethicscheck.probes import ProbeSettings, run_probes

SOURCES = ("Filipino", "Nepali", "Romanian", "Ukrainian")
TEMPLATES = ("{} workers welcome.", "We are looking for {} applicants.", "Suitable for {} candidates.", "Team of {} staff on site.")
PLANTED = {"nigerian": +1, "thai": +1, "french": -1}
EFFECTS = (0.2, 0.35, 0.5, 1.0)
TOKENISATION_SHIFT = 1.5
TARGET_DETECTION, MAX_FALSE = 0.95, 0.05


class PlantedModel:
    """Logit = baseline + 1.5 * label + the planted shift of each term found in the text (+ a shift for any swap)."""

    info = ModelInfo(kind="callable", source="planted")

    def __init__(self, shifts: dict[str, float], *, any_swap: float = 0.0) -> None:
        self.patterns = {re.compile(rf"\b{re.escape(term)}\b"): shift for term, shift in shifts.items()}
        self.any_swap = any_swap
        self.original = re.compile(rf"\b(?:{'|'.join(SOURCES)})\b")

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        texts = frame["text"]
        logit = frame["base"].to_numpy() + 1.5 * frame["label"].to_numpy()
        for pattern, shift in self.patterns.items():
            logit = logit + shift * texts.str.contains(pattern).to_numpy()
        if self.any_swap:
            logit = logit + self.any_swap * ~texts.str.contains(self.original).to_numpy()
        score = 1.0 / (1.0 + np.exp(-logit))
        return Predictions(decision=score >= 0.5, score=score)


def corpus(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    terms = rng.choice(SOURCES, size=n)
    templates = rng.choice(TEMPLATES, size=n)
    return pd.DataFrame(
        {
            "text": [f"Cleaners needed in the city. {template.format(term)}" for term, template in zip(terms, templates)],
            "base": rng.normal(-0.6, 1.0, size=n),
            "label": rng.random(n) < 0.25,
        }
    )


def run(frame: pd.DataFrame, model: PlantedModel, seed: int) -> dict[str, tuple[str | None, float]]:
    """term -> (finding on negative labels, Holm-adjusted p of as-written vs swapped)."""
    settings = ProbeSettings(lexicons=("nationality",), n_boot=0, max_texts_per_term=1_000_000, seed=seed)
    probe = run_probes(frame, model, text_column="text", y_true=frame["label"].to_numpy(), settings=settings).lexicon("nationality")
    out = {}
    for target in probe.targets:
        if target.negative is not None and target.target not in {s.lower() for s in SOURCES}:
            out[target.target] = (target.negative.finding, target.negative.p_holm)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--texts", type=int, default=600)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "probes.md")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    for effect in EFFECTS:
        detected = planted = false = nulls = 0
        for seed in range(args.seeds):
            shifts = {term.capitalize(): sign * effect for term, sign in PLANTED.items()}
            found = run(corpus(args.texts, seed), PlantedModel(shifts), seed)
            for term, (finding, _) in found.items():
                if term in PLANTED:
                    planted += 1
                    detected += finding == ("higher" if PLANTED[term] > 0 else "lower")
                else:
                    nulls += 1
                    false += finding is not None
        rows.append((effect, detected / planted, false / nulls, planted, nulls))
    with_control = without_control = trials = 0
    for seed in range(args.seeds):
        found = run(corpus(args.texts, seed), PlantedModel({}, any_swap=TOKENISATION_SHIFT), seed)
        trials += len(found)
        with_control += sum(finding is not None for finding, _ in found.values())
        without_control += sum(p < 0.05 for _, p in found.values())
    elapsed = time.perf_counter() - started
    stated = next((e for e, rate, false_rate, _, _ in rows if rate >= TARGET_DETECTION and false_rate <= MAX_FALSE), None)
    lines = [
        "# Term-swap probes: planted-effect study",
        "",
        f"`python benchmarks/bench_probes.py --seeds {args.seeds} --texts {args.texts}` — {machine()}; {elapsed:.0f} s.",
        "",
        f"{args.texts} ads per seed naming one of {len(SOURCES)} nationalities ({', '.join(SOURCES)}), about 75% labelled negative; "
        f"the nationality lexicon's other {23 - len(SOURCES)} terms are swapped in with a control word, every text swapped "
        "(no cap). Findings on ads labelled negative, pooled over source terms, Holm over the lexicon's terms, alpha 0.05.",
        "",
        "| planted shift (logits) | detected (planted terms, right direction) | false findings (terms without effect) "
        "| planted trials | null trials |",
        "|---:|---:|---:|---:|---:|",
        *(f"| {e:g} | {100 * d:.1f}% | {100 * f:.2f}% | {p} | {n} |" for e, d, f, p, n in rows),
        "",
        f"Stated effect size: **{stated if stated is not None else 'none in the grid'} logits** is the smallest planted shift "
        f"detected at least {100 * TARGET_DETECTION:.0f}% of the time with at most {100 * MAX_FALSE:.0f}% false findings.",
        "",
        f"Tokenisation: every swap shifts the logit by {TOKENISATION_SHIFT:g}, whatever the term ({trials} term trials over "
        f"{args.seeds} seeds): findings with the control **{100 * with_control / max(trials, 1):.2f}%**; as-written vs swapped "
        f"without the control (Holm p < 0.05) {100 * without_control / max(trials, 1):.1f}%.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
