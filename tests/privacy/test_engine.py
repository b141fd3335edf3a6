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
