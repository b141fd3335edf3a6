"""Probe templates: every text gets each term in a neutral slot (not only texts that already name one)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from ethicscheck.config import OutcomeWords, ProbesConfig
from ethicscheck.errors import ConfigError
from ethicscheck.probes import ProbeSettings, load_lexicons, run_probes
from ethicscheck.probes._template import Template
from tests.probes.test_run import LogisticText

LEXICONS = load_lexicons(["nationality", "gender"])


@pytest.mark.parametrize(
    ("template", "lexicon", "language", "key", "expected"),
    [
        ("{text} {nationality} applicants welcome.", "nationality", "en", "nigerian", "Job. Nigerian applicants welcome."),
        ("{text} Ask for a {nationality:noun_sg} cook.", "nationality", "en", "indian", "Job. Ask for an Indian cook."),
        ("{text} Ask for an {nationality:noun_sg} cook.", "nationality", "en", "ukrainian", "Job. Ask for a Ukrainian cook."),
        ("A {nationality} team. {text}", "nationality", "en", "indian", "An Indian team. Job."),
        ("{nationality:noun_pl} welcome! {text}", "nationality", "en", "chinese", "Chinese people welcome! Job."),
        ("{text} Buscamos una {gender:noun_sg} para la cocina.", "gender", "es", "man", "Job. Buscamos un hombre para la cocina."),
        ("{text} Buscamos un {gender:noun_sg}.", "gender", "es", "woman", "Job. Buscamos una mujer."),
        ("{text} Personal {nationality:m_pl} con experiencia.", "nationality", "es", "nepali", "Job. Personal nepalíes con experiencia."),
    ],
)
def test_a_template_puts_the_text_and_the_term_in_their_slots(template: str, lexicon: str, language: str, key: str, expected: str) -> None:
    parsed = Template.parse(template, LEXICONS)
    assert (parsed.lexicon, parsed.language) == (lexicon, language)
    term = LEXICONS[lexicon].languages[language].term(key)
    assert term is not None and parsed.fill("Job.", term) == expected


def test_the_text_is_put_in_as_it_is() -> None:
    term = LEXICONS["nationality"].languages["en"].term("thai")
    assert term is not None
    assert Template.parse("{text} {nationality} staff.", LEXICONS).fill("Pay {cash} — a {x}", term) == "Pay {cash} — a {x} Thai staff."


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{nationality} staff.", "{text} must appear exactly once"),
        ("{text} {text} {nationality}", "{text} must appear exactly once"),
        ("{text} staff.", "exactly one term slot"),
        ("{text} {nationality} and {gender}", "exactly one term slot"),
        ("{text} {nationality staff.", "a brace outside a slot"),
    ],
)
def test_malformed_slots_are_refused_when_the_config_is_read(template: str, message: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="templates"):
        ProbesConfig(templates=[template])
    with pytest.raises(pydantic.ValidationError) as error:
        ProbesConfig(templates=["{text} {nationality}", template])
    assert f"templates[1] '{template}'" in str(error.value) and message in str(error.value)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{text} {religion} staff.", "'religion' is not a probed lexicon; probed: nationality, gender"),
        ("{text} {control} staff.", "'control' is not a probed lexicon"),
        ("{text} {nationality:noun} staff.", "lexicon 'nationality' has no form 'noun' (its forms: en: adj, noun_sg, noun_pl; es:"),
    ],
)
def test_a_slot_must_name_a_probed_lexicon_and_one_of_its_forms(template: str, message: str) -> None:
    with pytest.raises(ConfigError, match="probes -> templates") as error:
        Template.parse(template, LEXICONS)
    assert message in str(error.value)


def _frame(n: int = 240, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "text": [f"Cleaners needed, shift {i % 7}." for i in range(n)],  # no text names a nationality
            "base": rng.normal(-1.0, 1.0, size=n),
            "label": rng.random(n) < 0.3,
        }
    )


TEMPLATED = ProbeSettings(lexicons=("nationality",), languages=("en",), n_boot=200, seed=1, templates=("{text} {nationality} staff.",))


def _templated(model: LogisticText, frame: pd.DataFrame, settings: ProbeSettings = TEMPLATED):  # type: ignore[no-untyped-def]
    return run_probes(frame, model, text_column="text", y_true=frame["label"].to_numpy(), settings=settings)


def test_templates_probe_texts_that_name_no_term_and_find_a_planted_effect() -> None:
    frame = _frame()
    result = _templated(LogisticText({r"\bNigerian staff": 2.5, r"\bThai staff": -2.5}), frame)
    assert result.lexicon("nationality").n_copies == 0  # the swaps found nothing to swap
    probe = result.lexicon("nationality_templates")
    assert (probe.n_templates, probe.n_probed, probe.n_copies) == (1, 200, 200 * 24)  # 23 terms and a control word each
    assert probe.pairs == () and probe.identity_aucs == ()  # no term was there before: no pairs, no mention AUCs
    findings = {t.target: t.negative.finding for t in probe.targets if t.negative is not None}
    assert len(findings) == 23 and {k: v for k, v in findings.items() if v} == {"nigerian": "higher", "thai": "lower"}
    nigerian = next(t for t in probe.targets if t.target == "nigerian").negative
    assert nigerian is not None and nigerian.score_delta_beyond_control is not None
    assert nigerian.score_delta_beyond_control.ci_low is not None and nigerian.score_delta_beyond_control.ci_low > 0


def test_the_control_keeps_a_template_slot_effect_out() -> None:
    # Any word in the slot raises the score (a longer text, an unknown word): every term moves, the control word too.
    result = _templated(LogisticText({r"\w+ staff\.$": 2.0}), _frame())
    negative = [t.negative for t in result.lexicon("nationality_templates").targets if t.negative is not None]
    assert negative and all(s.p_holm < 0.05 for s in negative)  # as written vs filled: every term "matters"
    assert all(s.finding is None and s.score_finding is None for s in negative)  # none beyond the control


def test_templates_sample_texts_with_the_seed_and_are_in_the_settings() -> None:
    frame = _frame(300)
    templates = ("{text} {nationality} staff.", "A {nationality} team. {text}")
    settings = ProbeSettings(lexicons=("nationality",), languages=("en",), n_boot=0, max_texts_per_term=50, seed=3, templates=templates)
    model = LogisticText({})
    first, second = _templated(model, frame, settings), _templated(model, frame, settings)
    assert first.to_dict() == second.to_dict()
    assert first.lexicon("nationality_templates").n_probed == 100 and first.n_model_calls == 100 * 24
    assert first.settings["templates"] == ["{text} {nationality} staff.", "A {nationality} team. {text}"]
    assert "templates" not in ProbeSettings().to_dict()  # left out when there are none (audit.json unchanged)
    assert ProbeSettings.from_config(ProbesConfig(templates=["{text} {gender}"]), seed=0).templates == ("{text} {gender}",)


def test_a_template_finding_reads_as_a_plain_sentence() -> None:
    from ethicscheck.cards import probe_sentences

    probe = _templated(LogisticText({r"\bNigerian staff": 2.5}), _frame()).lexicon("nationality_templates")
    sentences = probe_sentences(probe, noun="ads", words=OutcomeWords(), confidence="95%")
    first = next(s for s in sentences if "‘Nigerian’" in s)
    assert first.startswith("Ads that are not trafficking-related with ‘Nigerian’ put into the template are flagged ")
    assert first.endswith("beyond what a neutral word in the same place does.")
    assert any("is put into the template, beyond what a neutral word does" in s for s in sentences)
