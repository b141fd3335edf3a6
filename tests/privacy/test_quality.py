"""The card's held-out figures: shipped with the package, current with the recognizers, attached by the scan."""

from __future__ import annotations

import pandas as pd
import pytest

from ethicscheck.config import PrivacyConfig, config_from_dict
from ethicscheck.privacy import (
    DetectionQuality,
    PrivacyResult,
    Scanner,
    ScanOptions,
    evaluate_records,
    load_gold,
    measured_quality,
    scan_texts,
)
from tests.audit_helpers import audit
from tests.conftest import REPO

DATA = REPO / "benchmarks" / "data"
SETS = {
    "ad-like texts with disguised contact details": (DATA / "obfuscated_contacts" / "test.jsonl", {}),
    "synthetic sentences Microsoft published": (DATA / "presidio_research" / "synth_dataset_v2.json", {"DOMAIN_NAME": "URL"}),
}


@pytest.mark.parametrize("prefix", SETS)
def test_shipped_figures_are_what_the_scanner_scores_now_on_the_held_out_sets(prefix):
    """Aggregate figures only: regenerate with `cd benchmarks && python bench_pii.py --package-figures ...` when this fails."""
    quality = measured_quality()
    assert quality is not None and quality.source == "benchmarks/results/pii.md"
    (shipped,) = [s for s in quality.sets if s.name.startswith(prefix)]
    path, mapping = SETS[prefix]
    options = ScanOptions.from_settings(PrivacyConfig())
    scanner = Scanner(options.entities, phone_regions=options.phone_regions, score_threshold=options.score_threshold)
    records = load_gold(path, mapping=mapping)
    found = [[(f.entity_type, f.start, f.end) for f in scanner.analyze(r.text)] for r in records]
    ev = evaluate_records(records, found, looked_for=options.entities)
    assert (shipped.records, shipped.records_without_entities) == (ev.documents, ev.all.false_alarms.records)
    assert shipped.recall == pytest.approx(ev.overall.recall, abs=1e-12)
    assert shipped.precision == pytest.approx(ev.overall.precision, abs=1e-12)
    assert shipped.false_alarm_rate == pytest.approx(ev.all.false_alarms.rate, abs=1e-12)


def test_the_scan_attaches_the_figures_and_says_when_its_settings_differ():
    frame = pd.DataFrame({"text": ["call 415-555-0137", "nothing here"]})
    default = scan_texts(frame, ["text"], ScanOptions.from_settings(PrivacyConfig()))
    other = scan_texts(frame, ["text"], ScanOptions.from_settings(PrivacyConfig(phone_regions=["US"])))
    assert default.quality is not None and default.quality.same_settings
    assert other.quality is not None and not other.quality.same_settings
    assert PrivacyResult.from_dict(default.to_dict()) == default
    assert "street addresses" in default.quality.cannot_see


def test_the_card_states_held_out_recall_false_alarms_and_what_it_cannot_see(tmp_path):
    n = 60
    frame = pd.DataFrame(
        {
            "group": ["a", "b"] * (n // 2),
            "label": [i % 3 == 0 for i in range(n)],
            "flagged": [i % 4 == 0 for i in range(n)],
            "text": [f"ad {i}, call 415-555-01{i % 100:02d}" if i % 2 else f"ad {i}" for i in range(n)],
        }
    )
    frame.to_csv(tmp_path / "data.csv", index=False)
    config = config_from_dict(
        {
            "name": "quality",
            "data": {
                "path": str(tmp_path / "data.csv"),
                "label": {"column": "label", "positive": True},
                "text_column": "text",
                "sensitive_features": [{"column": "group"}],
            },
            "model": {"kind": "precomputed", "decision_column": "flagged", "positive_class": True},
        }
    )
    audit(config, tmp_path / "out", None)
    card = (tmp_path / "out" / "model_card.md").read_text()
    quality = measured_quality()
    assert quality is not None
    held_out = quality.sets[0]
    assert "How far to trust these counts" in card
    assert f"it found {100 * held_out.recall:.1f}% of the personal data marked there" in card
    assert f"it flagged {100 * held_out.false_alarm_rate:.1f}% of the {held_out.records_without_entities:,} texts without any" in card
    (line,) = [line for line in card.splitlines() if line.startswith("- It does not look for:")]
    assert "street addresses" in line and "most names" in line


def test_the_shipped_figures_say_why_dates_and_licences_are_not_looked_for():
    shipped = measured_quality()
    assert shipped is not None
    choices = " ".join(shipped.entity_choices)
    assert "DATE_TIME" in choices and "US_DRIVER_LICENSE" in choices and "privacy.nlp_model" in choices
    assert DetectionQuality.from_dict(shipped.to_dict()) == shipped
