"""Where does detection fall off, and do the probes' intervals hold their level? Unsaturated grid with noisy models.

``bench_probes.py`` plants effects in deterministic models, where a term without effect scores exactly like the
control word: detection saturates at 0.2 logits and false findings cannot happen. Here every swap also moves the
logit by *noise*: a per-(text, word) draw with standard deviation ``--noise`` logits, the same for the same text and
word (a model whose response to any new word in the slot is idiosyncratic, as sub-word tokenisers and per-word
weights are). Terms without a planted effect then differ from the control by noise only, so false findings can
happen, and small planted shifts hide in the noise.

For each planted shift (logits) over ``--seeds`` seeds:

- detection rate: share of planted (term, seed) trials with a finding in the planted direction on ads labelled
  negative (pooled over source terms, beyond the control, Holm over the lexicon's terms), for decision findings
  (exact McNemar) and score findings (exact sign test + interval clear of zero);
- false findings: share of terms without an effect that get any finding;
- coverage: share of trials whose 95% paired-bootstrap interval of ``score_delta_beyond_control`` holds the true
  mean score change beyond the control in the population the texts are drawn from. On ads labelled negative the
  logit is baseline + shift + noise against baseline + other noise, baseline ~ N(-0.6, 1), so the truth is
  E[sigmoid(Z + shift)] - E[sigmoid(Z)] with Z ~ N(-0.6, 1 + noise^2) (Gauss-Hermite quadrature, 80 nodes).

    python benchmarks/bench_probes_grid.py [--seeds 20] [--texts 400] [--noise 0.3] [--out benchmarks/results/probes_grid.md]
"""

from __future__ import annotations

import argparse
import hashlib
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
EFFECTS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.4)
SLOT = re.compile(r"(?:welcome|for|of)\s+(\w+)|(\w+)\s+workers")


def _noise(ids: np.ndarray, words: list[str], seed: int, sd: float) -> np.ndarray:
    """A fixed draw per (text, word, seed): the same copy always scores the same."""
    out = np.empty(len(words))
    for i, (row, word) in enumerate(zip(ids, words)):
        digest = hashlib.blake2b(f"{seed}:{row}:{word}".encode(), digest_size=8).digest()
        u = (int.from_bytes(digest, "little") + 0.5) / 2**64
        out[i] = u
    from scipy.special import ndtri

    return sd * ndtri(out)


def _slot_word(text: str) -> str:
    sentence = text.split(". ", 1)[1]
    for template in TEMPLATES:
        head, tail = template.split("{}")
        if sentence.startswith(head) and sentence.endswith(tail):
            return sentence[len(head) : len(sentence) - len(tail)]
    raise ValueError(text)


class NoisyPlantedModel:
    """Logit = baseline + 1.5 * label + planted shift of the slot's word + a fixed noise draw per (text, slot word)."""

    info = ModelInfo(kind="callable", source="noisy planted")

    def __init__(self, shifts: dict[str, float], *, noise: float, seed: int) -> None:
        self.shifts, self.noise, self.seed = shifts, noise, seed

    def logit(self, frame: pd.DataFrame) -> np.ndarray:
        words = [_slot_word(t) for t in frame["text"]]
        base = frame["base"].to_numpy() + 1.5 * frame["label"].to_numpy()
        planted = np.array([self.shifts.get(w.lower(), 0.0) for w in words])
        noise = _noise(frame["row"].to_numpy(), [w.lower() for w in words], self.seed, self.noise)
        return np.asarray(base + planted + noise)

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        score = 1.0 / (1.0 + np.exp(-self.logit(frame)))
        return Predictions(decision=score >= 0.5, score=score)


def corpus(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    terms = rng.choice(SOURCES, size=n)
    templates = rng.choice(TEMPLATES, size=n)
    return pd.DataFrame(
        {
            "row": np.arange(n),
            "text": [f"Cleaners needed in the city. {template.format(term)}" for term, template in zip(terms, templates)],
            "base": rng.normal(-0.6, 1.0, size=n),
            "label": rng.random(n) < 0.25,
        }
    )


def true_delta(shift: float, noise: float) -> float:
    """E[sigmoid(Z + shift)] - E[sigmoid(Z)], Z ~ N(-0.6, 1 + noise^2): the population mean change beyond the control."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    z = -0.6 + np.sqrt(1.0 + noise**2) * nodes
    weights = weights / weights.sum()
    return float(np.sum(weights * (1 / (1 + np.exp(-(z + shift))) - 1 / (1 + np.exp(-z)))))


def one_seed(effect: float, seed: int, n: int, noise: float) -> list[tuple[str, bool, str | None, str | None, bool | None]]:
    """(term, planted?, decision finding, score finding, interval holds the truth?) per target term."""
    frame = corpus(n, seed)
    shifts = {term: sign * effect for term, sign in PLANTED.items()}
    model = NoisyPlantedModel(shifts, noise=noise, seed=seed)
    settings = ProbeSettings(lexicons=("nationality",), languages=("en",), n_boot=200, max_texts_per_term=1_000_000, seed=seed)
    probe = run_probes(frame, model, text_column="text", y_true=frame["label"].to_numpy(), settings=settings).lexicon("nationality")
    out = []
    for target in probe.targets:
        stats = target.negative
        if stats is None or target.target in {s.lower() for s in SOURCES}:
            continue
        truth = true_delta(shifts.get(target.target, 0.0), noise)
        delta = stats.score_delta_beyond_control
        holds = None if delta is None or delta.ci_low is None or delta.ci_high is None else delta.ci_low <= truth <= delta.ci_high
        out.append((target.target, target.target in PLANTED, stats.finding, stats.score_finding, holds))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--noise", type=float, default=0.3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "probes_grid.md")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    for effect in EFFECTS:
        tally = {"planted": 0, "dec": 0, "score": 0, "nulls": 0, "false_dec": 0, "false_score": 0, "cover": 0, "covered": 0}
        for seed in range(args.seeds):
            for term, planted, decision, score, holds in one_seed(effect, seed, args.texts, args.noise):
                want = "higher" if PLANTED.get(term, 1) > 0 else "lower"
                if planted and effect > 0:
                    tally["planted"] += 1
                    tally["dec"] += decision == want
                    tally["score"] += score == want
                else:
                    tally["nulls"] += 1
                    tally["false_dec"] += decision is not None
                    tally["false_score"] += score is not None
                if holds is not None:
                    tally["cover"] += 1
                    tally["covered"] += holds
        rows.append((effect, tally))
        print(effect, tally, flush=True)
    elapsed = time.perf_counter() - started

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:.1f}%" if b else "—"

    lines = [
        "# Term-swap probes: unsaturated grid (noisy models) and interval coverage",
        "",
        f"`python benchmarks/bench_probes_grid.py --seeds {args.seeds} --texts {args.texts} --noise {args.noise:g}` — {machine()}; "
        f"{elapsed:.0f} s.",
        "",
        f"{args.texts} ads per seed naming one of {len(SOURCES)} nationalities, ~75% labelled negative, every text swapped to the "
        f"{23 - len(SOURCES)} other English nationality terms and a control word. Every swap adds a fixed noise draw per "
        f"(text, word) with sd {args.noise:g} logits; {len(PLANTED)} terms carry the planted shift (two up, one down). Findings "
        "on ads labelled negative, pooled over source terms, Holm over the lexicon's terms, alpha 0.05. Coverage: the 95% "
        "paired-bootstrap interval (200 replicates) of the mean score change beyond the control against the population's "
        "true mean change (all target terms, planted or not).",
        "",
        "| planted shift (logits) | decision findings: detected | score findings: detected | false decision findings "
        "| false score findings | interval coverage | planted / null / interval trials |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {e:g} | {pct(t['dec'], t['planted'])} | {pct(t['score'], t['planted'])} | {pct(t['false_dec'], t['nulls'])} "
            f"| {pct(t['false_score'], t['nulls'])} | {pct(t['covered'], t['cover'])} | {t['planted']} / {t['nulls']} / {t['cover']} |"
            for e, t in rows
        ),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
