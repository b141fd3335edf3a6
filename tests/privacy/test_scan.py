from __future__ import annotations

import json
import socket

import numpy as np
import pandas as pd
import pytest

from ethicscheck.errors import EthicsCheckDeprecationWarning
from ethicscheck.fairness import encode_feature
from ethicscheck.privacy import (
    DEFAULT_ENTITIES,
    FoundSpan,
    Scanner,
    ScanOptions,
    contact_finder,
    find_entities,
    find_leaks,
    offline_analyzer,
    redact,
    resolve_overlaps,
    scan_artifacts,
    scan_strings,
    scan_texts,
)
from ethicscheck.privacy._engine import _build
from ethicscheck.synth import generate_ads

OPTIONS = ScanOptions(entities=DEFAULT_ENTITIES, phone_regions=("US",))


@pytest.fixture(scope="module")
def ads():
    return generate_ads(600, seed=9)


def test_scanner_finds_exactly_what_presidios_full_engine_finds(ads):
    scanner = Scanner(DEFAULT_ENTITIES, phone_regions=("US", "GB"))
    engine = offline_analyzer(entities=DEFAULT_ENTITIES, phone_regions=("US", "GB"))
    for text in ads["text"][:300]:
        ours = {(r.entity_type, r.start, r.end) for r in scanner.analyze(text)}
        full = {
            (r.entity_type, r.start, r.end)
            for r in resolve_overlaps(engine.analyze(text, language="en", entities=list(DEFAULT_ENTITIES), score_threshold=0.4))
        }
        assert ours == full


def test_inventory_counts_every_planted_value_and_reports_groups(ads):
    groups = [encode_feature(ads["nationality"], name="nationality")]
    result = scan_texts(ads, ["text"], OPTIONS, groups=groups)
    by_type = {e.entity_type: e for e in result.columns[0].entities}
    planted = {
        k: sum(any(s["entity_type"] == k for s in json.loads(p)) for p in ads["pii"]) for k in ("EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON")
    }
    for entity, rows in planted.items():
        assert by_type[entity].rows_affected == rows
    assert result.undetectable == ()  # LOCATION etc. were not requested
    assert sum(s.rows for s in by_type["EMAIL_ADDRESS"].by_group["nationality"].values()) == len(ads)


def test_report_holds_redacted_examples_and_no_value(ads):
    values = {t[s["start"] : s["end"]] for t, p in zip(ads["text"], ads["pii"]) for s in json.loads(p)}
    found: set[str] = set()
    result = scan_texts(ads, ["text"], OPTIONS, found_values=found)
    published = json.dumps(result.to_dict())
    assert not [v for v in values if v in published]
    assert "<PHONE_NUMBER>" in published and "<EMAIL_ADDRESS>" in published
    assert values <= found  # every planted value was found, and is held in memory for the artifact check


def test_hash_pseudonyms_are_salted_and_stable():
    scanner = Scanner(["EMAIL_ADDRESS"])
    text = "mail anna@example.com or anna@example.com"
    findings = scanner.analyze(text)
    once = redact(text, findings, mode="hash", hash_salt="s1")
    assert "anna@example.com" not in once
    first, second = (part.split(">")[0] for part in once.split("<EMAIL_ADDRESS:")[1:])
    assert first == second and redact(text, findings, mode="hash", hash_salt="s2") != once


def test_outputs_are_classified_echoed_or_novel():
    frame = pd.DataFrame(
        {
            "text": ["Call 212-555-0143 and ask for Anna.", "Email joy.hr@example.com for details.", "No contact here."],
            "explanation": [
                "Flagged: the ad asks to call 2 1 2 5 5 5 0 1 4 3.",  # echoed (same digits, disguised)
                "Similar to ads from maria.k@example.org and wa.me/14155550123.",  # novel: not in this input
                "Ask for Grace at joy.hr@example.com.",  # novel name, but that e-mail is in another row only: novel
            ],
        }
    )
    result = scan_texts(frame, ["text"], OPTIONS, output_columns=["explanation"])
    (output,) = result.outputs
    assert output.echoed == {"PHONE_NUMBER": 1}
    assert output.novel == {"EMAIL_ADDRESS": 2, "MESSENGER_LINK": 1, "PERSON": 1}
    assert output.novel_total == 4


def test_artifact_scan_counts_findings_and_leaked_values(tmp_path):
    (tmp_path / "clean.json").write_text(json.dumps({"fpr": 0.0651234567891234, "versions": "2.4.6 3.1.1"}))
    (tmp_path / "leak.md").write_text("A finding: call 212-555-0143. Ask for Anna.")
    (tmp_path / "card.html").write_text("<style>@media print {}</style><p>Contact snap: anna_jobs22</p>")
    scan = scan_artifacts(sorted(tmp_path.iterdir()), known_values={"212-555-0143", "Anna"})
    assert scan.files["clean.json"] == {}
    assert scan.files["leak.md"] == {"PHONE_NUMBER": 1}
    assert scan.files["card.html"] == {"SOCIAL_HANDLE": 1}
    assert scan.leaked_input_values == 2  # both input values reappear in leak.md (matching is case-sensitive: not 'anna_jobs22')
    assert scan.findings == 4


def test_leaks_name_their_place_without_showing_data_values_in_it(tmp_path):
    document = {"fairness": {"features": [{"name": "recruiter", "groups": [{"group": "agent.jane@corpmail.com"}]}]}}
    document["privacy"] = {"by_group": {"+44 7700 900123": {"rows": 3}}}
    (tmp_path / "audit.json").write_text(json.dumps(document))
    (tmp_path / "chart_00_jane@corpmail.com.svg").write_text("<svg><text>fine</text></svg>")
    scan, leaks = find_leaks(sorted(tmp_path.iterdir()), known_values=set())
    places = {leak.place: leak for leak in leaks}
    assert places["audit.json, fairness.features[0].groups[0].group"].value == "agent.jane@corpmail.com"
    assert places["audit.json, a key in privacy.by_group"].entity_type == "PHONE_NUMBER"
    assert places["the name of a report file"].kind == "contact data"
    assert not any("7700" in place or "jane" in place for place in places)  # a group name used as a key shows as [...]
    assert scan.files["audit.json"] == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    assert [leak.kind for leak in scan_strings([("fpr/recruiter/agency", "a key")])] == []


def test_contact_finder_uses_the_self_scan_recognizers():
    find = contact_finder()
    assert find("sc janedoe99") == [("personal data (social-media handles)", "janedoe99")]  # no '@': a regex would miss it
    assert find("ads_+44-7700-900123.csv") == [("a phone number", "+44-7700-900123")]  # the plain patterns too
    assert find("Nigerian") == find("2026-12-02") == find("18-25") == []


def test_parallel_scan_matches_serial(ads):
    serial_found: set[str] = set()
    serial = scan_texts(ads, ["text"], OPTIONS, found_values=serial_found).to_dict()
    found: set[str] = set()
    parallel = scan_texts(
        ads, ["text"], ScanOptions(entities=DEFAULT_ENTITIES, phone_regions=("US",), n_jobs=2), found_values=found
    ).to_dict()
    assert parallel == serial
    assert found == serial_found and found  # the values the self-scan looks for, too


def test_workers_send_back_plain_spans_in_order(ads):
    texts = list(ads["text"]) + [None]
    serial = find_entities(texts, OPTIONS, DEFAULT_ENTITIES)
    parallel = find_entities(texts, ScanOptions(entities=DEFAULT_ENTITIES, phone_regions=("US",), n_jobs=2), DEFAULT_ENTITIES)
    assert parallel == serial and parallel[-1] == []
    assert {type(f) for fs in parallel for f in fs} == {FoundSpan}


def test_each_distinct_text_is_scanned_once_with_the_findings_of_a_scan_per_text(ads, monkeypatch):
    from ethicscheck.privacy import _scan

    texts = list(ads["text"][:40]) * 3 + [None, "", np.nan] + list(ads["text"][:5])
    scanner = Scanner(DEFAULT_ENTITIES, phone_regions=("US",))
    plain = [[FoundSpan(f.entity_type, f.start, f.end, f.score) for f in scanner.analyze(t)] if isinstance(t, str) else [] for t in texts]
    scanned: list[str] = []
    real = _scan._scan_chunk
    monkeypatch.setattr(_scan, "_scan_chunk", lambda chunk: scanned.extend(chunk) or real(chunk))
    done: list[int] = []
    assert find_entities(texts, OPTIONS, DEFAULT_ENTITIES, done.append) == plain
    assert sorted(scanned) == sorted(set(t for t in texts if isinstance(t, str)))  # once each
    assert sum(done) == len(texts) and any(plain)


def test_seeded_sample_and_missing_text():
    frame = pd.DataFrame({"text": ["mail a@example.com", None, np.nan, ""] * 50})
    first = scan_texts(frame, ["text"], OPTIONS, max_rows=60, seed=3)
    assert first.sampled and first.to_dict() == scan_texts(frame, ["text"], OPTIONS, max_rows=60, seed=3).to_dict()
    assert first.columns[0].rows_scanned == 60


def test_named_entities_from_a_local_spacy_pipeline(tmp_path):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Rosa"}, {"label": "GPE", "pattern": "Port Selma"}])
    nlp.to_disk(tmp_path / "pipeline")
    options = ScanOptions(entities=("PERSON", "LOCATION"), nlp_model=str(tmp_path / "pipeline"))
    frame = pd.DataFrame({"text": ["Rosa works in Port Selma.", "Nobody here."]})
    result = scan_texts(frame, ["text"], options)
    counts = {e.entity_type: e.findings for e in result.columns[0].entities}
    assert counts == {"PERSON": 1, "LOCATION": 1} and result.undetectable == ()
    from ethicscheck.errors import ConfigError

    with pytest.raises(ConfigError, match="never downloads"):
        Scanner(["PERSON"], nlp_model="en_core_web_lg")


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
    result = scan_texts(ads.head(200), ["text"], OPTIONS)
    assert result.columns[0].rows_with_pii > 0
    assert attempts == []


def test_old_salt_argument_still_pseudonymises_with_a_warning():
    text = "mail anna@example.com"
    findings = Scanner(["EMAIL_ADDRESS"]).analyze(text)
    with pytest.warns(EthicsCheckDeprecationWarning, match="pass hash_salt"):
        old = redact(text, findings, mode="hash", salt="s1")
    assert old == redact(text, findings, mode="hash", hash_salt="s1")
