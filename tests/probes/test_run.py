"""run_probes on models with known per-term effects: planted effects are found, tokenisation noise is not."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ethicscheck.models import ModelInfo, Predictions, Progress
from ethicscheck.probes import ProbeSettings, run_probes

SOURCES = ("Filipino", "Nepali", "Romanian")


def _corpus(n: int = 360, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    terms = rng.choice(SOURCES, size=n)
    words = rng.choice(["workers welcome.", "applicants wanted.", "staff on site."], size=n)
    texts = [f"Cleaners needed. {t} {w}" for t, w in zip(terms, words)]
    return pd.DataFrame({"text": texts, "base": rng.normal(-1.0, 1.0, size=n), "label": rng.random(n) < 0.3})


class LogisticText:
    """Score = sigmoid(base + label signal + the shift of every pattern found in the text)."""

    info = ModelInfo(kind="callable", source="test")

    def __init__(self, shifts: dict[str, float]) -> None:
        self.shifts = {re.compile(pattern): shift for pattern, shift in shifts.items()}
        self.calls = 0

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        self.calls += len(frame)
        logit = frame["base"].to_numpy() + 1.5 * frame["label"].to_numpy()
        for pattern, shift in self.shifts.items():
            logit = logit + shift * frame["text"].str.contains(pattern).to_numpy()
        score = 1 / (1 + np.exp(-logit))
        if progress is not None:
            progress(len(frame))
        return Predictions(decision=score >= 0.5, score=score)


SETTINGS = ProbeSettings(lexicons=("nationality",), n_boot=200, seed=1)


def _probe(model: LogisticText, frame: pd.DataFrame, settings: ProbeSettings = SETTINGS):  # type: ignore[no-untyped-def]
    return run_probes(frame, model, text_column="text", y_true=frame["label"].to_numpy(), settings=settings).lexicon("nationality")


def test_a_planted_term_effect_is_found_in_its_direction() -> None:
    frame = _corpus()
    probe = _probe(LogisticText({r"\bNigerian\b": 2.5, r"\bThai\b": -2.5}), frame)
    findings = {t.target: t.negative.finding for t in probe.targets if t.negative is not None}
    assert findings["nigerian"] == "higher"
    assert findings["thai"] == "lower"
    assert {k for k, v in findings.items() if v} == {"nigerian", "thai"}
    nigerian = next(t for t in probe.targets if t.target == "nigerian").negative
    assert nigerian is not None and nigerian.flag_ratio.value is not None and nigerian.flag_ratio.value > 1.5
    assert nigerian.flip_rate_beyond_control.ci_low is not None and nigerian.flip_rate_beyond_control.ci_low > 0
    pair = next(p for p in probe.pairs if (p.source, p.target) == ("filipino", "nigerian"))
    assert pair.negative is not None and pair.negative.finding == "higher"


def test_the_control_keeps_tokenisation_effects_out() -> None:
    frame = _corpus()
    # Any word other than the three in the data raises the score: every swap flips, the control's too.
    model = LogisticText({r"^(?!.*\b(?:Filipino|Nepali|Romanian)\b)": 2.0})
    probe = _probe(model, frame)
    negative = [t.negative for t in probe.targets if t.negative is not None and t.target not in ("filipino", "nepali", "romanian")]
    assert negative and all(s.p_holm < 0.05 for s in negative)  # as-written vs swapped: every swap "matters"
    assert all(s.finding is None for s in negative)  # but none beyond the control


def test_texts_are_sampled_per_source_term_with_a_seed() -> None:
    frame = _corpus()
    model = LogisticText({})
    capped = ProbeSettings(lexicons=("nationality",), n_boot=0, max_texts_per_term=50, seed=4)
    first, second = _probe(model, frame, capped), _probe(model, frame, capped)
    assert first.n_probed == 150 and first.n_copies == 150 * 23  # 22 other terms and one control word each
    assert first.to_dict() == second.to_dict()
    assert model.calls == 2 * (len(frame) + first.n_copies)


def test_texts_naming_several_terms_are_counted_not_swapped() -> None:
    frame = pd.DataFrame({"text": ["Filipino and Nepali staff", "Nepali staff", "No nationality here"], "base": 0.0, "label": False})
    probe = _probe(LogisticText({}), frame)
    assert (probe.n_mentioning, probe.n_several_terms, probe.n_probed) == (2, 1, 1)


def test_decision_only_models_get_flip_rates_but_no_scores() -> None:
    class DecisionsOnly(LogisticText):
        def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
            return Predictions(decision=super().predict(frame).decision)

    frame = _corpus(120)
    result = run_probes(frame, DecisionsOnly({}), text_column="text", y_true=frame["label"].to_numpy(), settings=SETTINGS)
    assert result.auc_note is not None and "scores" in result.auc_note
    target = result.lexicon("nationality").targets[0]
    assert target.negative is not None and target.negative.score_delta is None
    assert result.lexicon("nationality").identity_aucs == ()


@pytest.mark.parametrize("lexicon", ["gender", "religion"])
def test_lexicons_without_mentions_cost_nothing(lexicon: str) -> None:
    frame = _corpus(60)
    model = LogisticText({})
    probe = run_probes(frame, model, text_column="text", y_true=frame["label"].to_numpy(), settings=ProbeSettings(lexicons=(lexicon,)))
    assert probe.lexicons[0].n_copies == 0 and probe.n_model_calls == 0
    assert model.calls == len(frame)


def test_a_finding_reads_as_a_plain_sentence() -> None:
    from ethicscheck.cards import probe_sentences
    from ethicscheck.config import OutcomeWords

    probe = _probe(LogisticText({r"\bNigerian\b": 2.5}), _corpus())
    sentences = probe_sentences(probe, noun="ads", words=OutcomeWords(), confidence="95%")
    first = next(s for s in sentences if "‘Nigerian’" in s)
    assert first.startswith("Ads that are not trafficking-related and say ‘Nigerian’ instead of ‘")
    assert "times as often (95% CI " in first and first.endswith("beyond what a neutral word in the same place does.")
