"""The sentences at the top of the card: why each failed or unjudged gate did not pass."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ethicscheck.cards._reasons import gate_reasons
from ethicscheck.gates import GateOutcome, Verdict


def _outcome(**changes) -> GateOutcome:
    fields = {
        "gate": "Nobody wrongly flagged 1.25x as often",
        "metric": "fpr_ratio",
        "feature": "nationality",
        "status": "fail",
        "severity": "error",
        "mode": "confident",
        "comparator": "<=",
        "threshold": 1.25,
        "value": 3.35,
        "ci_low": 1.85,
        "ci_high": 6.2,
        "group": "Nigerian",
        "groups_over": ("Nigerian",),
        "groups_without_data": (),
        "message": "nationality: worst group 'Nigerian' has fpr_ratio 3.35 (95% CI 1.85-6.2), confident reading 1.85, past the limit "
        "<= 1.25.",
    }
    return GateOutcome(**{**fields, **changes})


def _result(*outcomes: GateOutcome) -> SimpleNamespace:
    features = [SimpleNamespace(name="nationality", reference="not mentioned"), SimpleNamespace(name="region", reference="border")]
    return SimpleNamespace(fairness=SimpleNamespace(confidence_level=0.95, features=features), verdict=Verdict(tuple(outcomes)))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {},
            "“Nobody wrongly flagged 1.25x as often” failed: ads in the group “Nigerian” (nationality) are wrongly flagged 3.35 times "
            "as often as the reference group “not mentioned” (95% confidence interval 1.85 to 6.20); even the low end of that "
            "interval, 1.85, is above the limit of 1.25.",
        ),
        (
            {"mode": "precautionary", "value": 1.1, "ci_low": 0.7, "ci_high": 1.6},
            "“Nobody wrongly flagged 1.25x as often” failed: ads in the group “Nigerian” (nationality) are wrongly flagged 1.10 times "
            "as often as the reference group “not mentioned” (95% confidence interval 0.70 to 1.60); the high end of that interval, "
            "1.60, is above the limit of 1.25 (this gate counts any doubt against the model).",
        ),
        (
            {"gate": "Missed under 40%", "metric": "fnr", "feature": "region", "group": "coast", "mode": "point", "threshold": 0.4}
            | {"value": 0.45, "ci_low": 0.38, "ci_high": 0.52},
            "“Missed under 40%” failed: 45.0% of ads in the group “coast” (region) that are trafficking-related are missed "
            "(95% confidence interval 38.0% to 52.0%), above the limit of 40.0%.",
        ),
        (
            {"gate": "Precision at least 80%", "metric": "precision", "comparator": ">=", "threshold": 0.8, "mode": "confident"}
            | {"value": 0.6, "ci_low": 0.5, "ci_high": 0.7},
            "“Precision at least 80%” failed: ads in the group “Nigerian” (nationality) have a precision of 60.0% "
            "(95% confidence interval 50.0% to 70.0%); even the high end of that interval, 70.0%, is below the limit of 80.0%.",
        ),
        (
            {"status": "insufficient", "value": None, "ci_low": None, "ci_high": None, "group": None, "groups_over": ()}
            | {"groups_without_data": ("Nigerian", "Nepali", "Filipino", "Romanian", "Ukrainian")},
            "“Nobody wrongly flagged 1.25x as often” could not be judged: too few ads in “Nigerian”, “Nepali”, “Filipino”, "
            "“Romanian” and 1 more (nationality) to measure false-positive rate ratio reliably.",
        ),
    ],
    ids=["confident-ratio", "precautionary-ratio", "point-rate", "higher-is-better", "no-evidence"],
)
def test_reason_sentence(changes, expected):
    (reason,) = gate_reasons(_result(_outcome(**changes)), noun="ads")
    assert reason.text == expected


def test_only_gates_that_did_not_pass_get_a_reason_and_failures_come_first():
    passed = _outcome(status="pass", group="Filipino", groups_over=(), value=0.5, ci_low=0.2, ci_high=1.1)
    unjudged = _outcome(status="insufficient", value=None, ci_low=None, ci_high=None, group=None, groups_without_data=("x",))
    failed = _outcome()
    reasons = gate_reasons(_result(passed, unjudged, failed), noun="ads")
    assert [r.status for r in reasons] == ["fail", "insufficient"]
    assert "Filipino" not in " ".join(r.text for r in reasons)


def test_a_withheld_value_never_becomes_a_number():
    """Under differential privacy the public card has no measured values: the reason says so without inventing one."""
    withheld = _outcome(value=None, ci_low=None, ci_high=None, message="nationality: fpr_ratio fail (measured values withheld).")
    (reason,) = gate_reasons(_result(withheld), noun="ads")
    assert reason.text == (
        "“Nobody wrongly flagged 1.25x as often” failed for nationality; the measured values are withheld from this card "
        "because its counts are differentially private."
    )
