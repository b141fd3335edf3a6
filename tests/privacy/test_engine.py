"""The offline engine's recognizers answer as presidio's own do."""

from __future__ import annotations

import random

from presidio_analyzer.predefined_recognizers import EmailRecognizer

from ethicscheck.privacy import offline_analyzer

ADDRESSES = [
    "sita_work39@example.net", "chidi.hr@example.net", "a/b@example.net", "a#b@example.org", "q?x@example.io", "x@example.co.uk",
    "y@mail.example.co.uk", "a@b", "a@localhost", "a@b.com:80", "a@[::1]", "u@xn--bcher-kva.de", "u@bücher.de", "z@192.168.0.1",
    "m@example.invalidtld", "n@EXAMPLE.NET", "o@example.net/path", "p@sub.example.net", "a@b@example.net", "a@.com",
]  # fmt: skip


def test_email_check_answers_per_domain_as_presidios_does():
    (engines,) = [r for r in offline_analyzer(entities=("EMAIL_ADDRESS",)).registry.recognizers if type(r).__name__ == "EmailRecognizer"]
    plain = EmailRecognizer()
    rng = random.Random(3)
    for _ in range(3):  # answers remembered from earlier addresses on the same domain, in any order
        shuffled = rng.sample(ADDRESSES, len(ADDRESSES))
        assert [engines.validate_result(a) for a in shuffled] == [plain.validate_result(a) for a in shuffled]
    assert {plain.validate_result(a) for a in ADDRESSES} == {True, False}


def test_the_blank_pipeline_is_built_when_presidio_first_tokenizes():
    """A scan runs the recognizers itself: building an engine builds no spaCy pipeline; presidio's analyze gets it."""
    engine = offline_analyzer(entities=("EMAIL_ADDRESS", "URL"))
    pipelines = engine.nlp_engine.nlp
    assert list(pipelines) == ["en"] and pipelines._nlp is None
    (found,) = engine.analyze("email: anna.k@example.com", language="en", entities=["EMAIL_ADDRESS"])
    assert pipelines._nlp is not None and pipelines._nlp.pipe_names == ["ethicscheck_lowercase_lemma"]
    assert (found.entity_type, found.start, found.score) == ("EMAIL_ADDRESS", 7, 1.0)
    assert [t.lemma_ for t in pipelines["en"]("Call ME")] == ["call", "me"]
