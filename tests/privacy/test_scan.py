from __future__ import annotations

import json
import socket

import numpy as np
import pandas as pd
import pytest

from ethicscheck.fairness import encode_feature
from ethicscheck.privacy import offline_analyzer, scan_texts
from ethicscheck.privacy._engine import _build
from ethicscheck.synth import generate_ads

ENTITIES = ["PHONE_NUMBER", "EMAIL_ADDRESS", "URL", "CREDIT_CARD", "PERSON"]


@pytest.fixture(scope="module")
def ads():
    return generate_ads(600, seed=9)


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("Call 212-555-0143 today.", "PHONE_NUMBER", "212-555-0143"),
        ("Email joy.hr12@example.org now", "EMAIL_ADDRESS", "joy.hr12@example.org"),
        ("card 4111 1111 1111 1111 ok", "CREDIT_CARD", "4111 1111 1111 1111"),
    ],
)
def test_offline_engine_finds_pattern_entities(text, entity, value):
    analyzer = offline_analyzer(entities=(entity,), phone_regions=("US",))
    found = [(r.entity_type, text[r.start : r.end]) for r in analyzer.analyze(text, language="en", entities=[entity])]
    assert (entity, value) in found


@pytest.mark.parametrize("text", ["Pay is $18.50 per hour.", "Shifts of eight hours.", "Job ref 4432-11."])
def test_offline_engine_ignores_plain_numbers(text):
    analyzer = offline_analyzer(entities=("PHONE_NUMBER", "CREDIT_CARD"), phone_regions=("US",))
    assert analyzer.analyze(text, language="en", entities=["PHONE_NUMBER", "CREDIT_CARD"], score_threshold=0.4) == []


def test_scan_counts_planted_entities_and_reports_per_group(ads):
    groups = [encode_feature(ads["nationality"], name="nationality")]
    result = scan_texts(ads, ["text"], entities=ENTITIES, groups=groups, phone_regions=["US"])
    column = result.columns[0]
    by_type = {e.entity_type: e for e in column.entities}
    planted_rows = {kind: sum(any(s["entity_type"] == kind for s in json.loads(p)) for p in ads["pii"]) for kind in ("EMAIL_ADDRESS", "PHONE_NUMBER")}
    assert by_type["EMAIL_ADDRESS"].rows_affected == planted_rows["EMAIL_ADDRESS"]
    plain_phone_rows = sum(any(s["entity_type"] == "PHONE_NUMBER" and not s["obfuscated"] for s in json.loads(p)) for p in ads["pii"])
    assert by_type["PHONE_NUMBER"].rows_affected >= 0.9 * plain_phone_rows
    assert result.undetectable == ("PERSON",)
    shares = by_type["EMAIL_ADDRESS"].by_group["nationality"]
    assert sum(s.rows for s in shares.values()) == len(ads)
    assert column.rows_with_pii > 0.8 * len(ads)


def test_scan_result_holds_no_text(ads):
    result = scan_texts(ads, ["text"], entities=ENTITIES, phone_regions=["US"]).to_dict()
    published = json.dumps(result)
    for text, spans in zip(ads["text"], ads["pii"]):
        for span in json.loads(spans):
            assert text[span["start"] : span["end"]] not in published


def test_sample_is_seeded(ads):
    first = scan_texts(ads, ["text"], entities=["EMAIL_ADDRESS"], max_rows=100, seed=3)
    again = scan_texts(ads, ["text"], entities=["EMAIL_ADDRESS"], max_rows=100, seed=3)
    assert first.sampled and first.to_dict() == again.to_dict()
    assert first.columns[0].rows_scanned == 100


def test_missing_text_is_skipped_not_crashing():
    frame = pd.DataFrame({"text": ["mail a@example.com", None, np.nan, ""]})
    result = scan_texts(frame, ["text"], entities=["EMAIL_ADDRESS"])
    assert result.columns[0].rows_with_pii == 1


def test_scan_opens_no_network_socket(monkeypatch, ads):
    """Build a fresh engine and scan with every non-loopback connection refused."""
    attempts = []
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("::1", "localhost")):
            attempts.append(address)
            raise OSError("network disabled in this test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: (_ for _ in ()).throw(OSError("network disabled")))
    _build.cache_clear()
    result = scan_texts(ads.head(200), ["text"], entities=["EMAIL_ADDRESS", "URL", "PHONE_NUMBER"], phone_regions=["US"])
    assert result.columns[0].rows_with_pii > 0
    assert attempts == []
