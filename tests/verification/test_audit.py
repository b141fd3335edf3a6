"""A face-matching audit end to end: config -> comparisons -> statistics -> gates -> audit.json, card, charts, MLflow."""

from __future__ import annotations

import json

import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.privacy import find_leaks
from ethicscheck.result import VerificationAuditResult
from ethicscheck.synth import ComparisonSpec, generate_comparisons


@pytest.fixture(scope="module")
def comparisons_file(tmp_path_factory):
    spec = ComparisonSpec(
        fmr_factor={"female": 3.0, "male": 1.0}, subjects_per_group=300, impostors_per_group=30_000, cross_impostors=10_000
    )
    path = tmp_path_factory.mktemp("verification") / "comparisons.csv"
    generate_comparisons(spec, seed=0).to_csv(path, index=False)
    return path


def _config(path, **extra):
    raw = {
        "name": "faces",
        "task": "verification",
        "data": {
            "path": str(path),
            "label": {"column": "same_person"},
            "sensitive_features": [{"column": "sex", "reference": "male"}, {"column": "region"}],
        },
        "verification": {"score_column": "similarity", "targets": [1e-2, 1e-3], "group_nouns": {"female": "women", "male": "men"}},
        "fairness": {"n_boot": 50},
        "gates": [
            {"metric": "fmr_ratio@1e-02", "scope": "sex", "threshold": 1.5, "mode": "confident"},
            {"metric": "fnmr", "scope": "region", "threshold": 0.5},
        ],
        "tracking": {"enabled": False},
        **extra,
    }
    return config_from_dict(raw)


@pytest.fixture(scope="module")
def audited(comparisons_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved") / "report"
    return run_audit(_config(comparisons_file), out_dir=folder), folder


@pytest.fixture(scope="module")
def report(audited):
    return audited[1]


def test_a_planted_differential_fails_its_gate_and_the_card_says_it_in_plain_words(audited):
    outcome, report = audited
    assert isinstance(outcome.result, VerificationAuditResult)
    assert outcome.exit_code == 1
    statuses = {(o.metric, o.feature): o.status for o in outcome.result.verdict.outcomes}
    assert statuses[("fmr_ratio@1e-02", "sex at fmr@1e-02")] == "fail"
    assert statuses[("fnmr", "region at fmr@1e-02")] == "pass" and ("fnmr", "region at fmr@1e-03") in statuses
    saved = json.loads((report / "audit.json").read_text())
    assert saved["task"] == "verification" and "fairness" not in saved
    assert VerificationAuditResult.from_dict(saved).to_dict() == saved
    card = (report / "model_card.md").read_text()
    assert "Comparisons of two different women are wrongly declared a match" in card
    assert "at the threshold where 1 in 100 impostor comparisons match overall" in card
    for name in ("chart_00_cross_group.svg", "chart_00_det.svg", "model_card.html", "junit.xml", "summary.md"):
        assert (report / name).is_file()
    det = (report / "chart_00_det.svg").read_text()
    assert det.startswith("<?xml") and "1e-02" in det and "mathdefault" not in det  # log ticks as plain text, not raw TeX
    published = card + "".join((report / name).read_text() for name in ("model_card.html", "model_card.json", "audit.json"))
    assert "S0001" not in published and "S0599" not in published  # no subject id is published


def test_the_report_passes_its_own_scan_for_personal_data(report):
    # thresholds beside counts in the card's tables ("2.47122 | 700") once read as a phone number and stopped every audit
    assert not (report.parent / f".{report.name}.pseudonyms.json").exists()  # the audit's scan of its report found nothing
    scan, leaks = find_leaks(sorted(report.iterdir()), known_values=set())
    assert leaks == () and set(scan.files) >= {"model_card.md", "model_card.html", "chart_00_det.svg", "junit.xml"}


def test_small_groups_are_left_out_of_the_card_but_kept_in_audit_json(comparisons_file, tmp_path):
    outcome = run_audit(_config(comparisons_file, card={"min_published_group": 400}), out_dir=tmp_path / "report")
    card = (tmp_path / "report" / "model_card.md").read_text()
    assert "Left out of this card" in card
    assert len(outcome.result.verification.feature("sex").groups) == 2


def test_metrics_reach_mlflow_under_names_it_accepts(comparisons_file, tmp_path, session_tracking_uri):
    import mlflow

    uri = session_tracking_uri
    config = _config(comparisons_file, tracking={"enabled": True, "experiment": "faces"}, gates=[])
    outcome = run_audit(config, out_dir=tmp_path / "report", tracking_uri=uri)
    assert outcome.result.tracking is not None and outcome.result.tracking.logged
    run = mlflow.MlflowClient(tracking_uri=uri).get_run(outcome.result.tracking.run_id)
    female = outcome.result.verification.feature("sex").at("fmr@1e-02").group("female").fmr.value
    assert run.data.metrics["fmr_at_1e-02/sex/female"] == pytest.approx(female)
    assert "garbe_at_1e-03/sex" in run.data.metrics and run.data.tags["ethicscheck.task"] == "verification"
    assert run.data.params["engine"] == "pandas" and run.data.params["engine.rows_read"] == str(outcome.result.data.n_rows)
    spread = outcome.result.verification.feature("sex").at("fmr@1e-02").summaries["fmr_max_over_geomean"]
    logged = [run.data.metrics[f"fmr_max_over_geomean{part}_at_1e-02/sex"] for part in ("_ci_low", "", "_ci_high")]
    assert logged == pytest.approx([spread.ci_low, spread.value, spread.ci_high]) and logged[0] < logged[1] < logged[2]


@pytest.mark.parametrize("where", ["run name", "group", "experiment"])
def test_contact_data_about_to_reach_mlflow_stops_before_anything_is_logged(audited, tmp_path, where):
    """The last check before MLflow, as for classification audits: the report's own scan ran earlier, but a result
    read back or built elsewhere (ethicscheck log) is checked again, field by field."""
    import dataclasses

    from ethicscheck.errors import PersonalDataError
    from ethicscheck.tracking import log_verification_audit

    outcome, _ = audited
    result, experiment, phone = outcome.result, "faces", "call 415 555 0137"
    if where == "run name":
        result = dataclasses.replace(result, run=dataclasses.replace(result.run, name=phone))
    elif where == "group":
        first = result.verification.features[0]
        renamed = dataclasses.replace(first, groups=(*first.groups, phone))
        result = dataclasses.replace(result, verification=dataclasses.replace(result.verification, features=(renamed,)))
    else:
        experiment = phone
    uri = f"sqlite:///{tmp_path / 'm.db'}"
    with pytest.raises(PersonalDataError) as stopped:
        log_verification_audit(result, tracking_uri=uri, experiment=experiment, artifacts=[])
    assert "555" not in str(stopped.value) and "nothing was logged" in str(stopped.value)
    assert not (tmp_path / "m.db").exists()  # no store was even opened


def test_a_dead_tracking_server_keeps_the_report_and_says_how_to_log_it_later(comparisons_file, tmp_path, monkeypatch):
    from ethicscheck.errors import TrackingError
    from tests.servers import free_port

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "3")
    dead = f"http://127.0.0.1:{free_port()}"
    tracking = {"enabled": True, "required": True, "timeout_s": 5}
    with pytest.raises(TrackingError, match=r"the report is complete in .*`ethicscheck log .*` logs it later"):
        run_audit(_config(comparisons_file, tracking=tracking, gates=[]), out_dir=tmp_path / "report", tracking_uri=dead)
    saved = json.loads((tmp_path / "report" / "audit.json").read_text())
    assert saved["tracking"]["logged"] is False and saved["verification"]


def test_validate_reads_the_comparisons_as_the_audit_does(comparisons_file, tmp_path):
    import yaml

    from ethicscheck.validation import validate_file

    raw = _config(comparisons_file).model_dump(mode="json", exclude={"model"})
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(raw))
    assert validate_file(good).problems == ()
    raw["data"]["sensitive_features"] = [{"column": "age"}]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw))
    assert any("'age_a'" in problem for problem in validate_file(bad).problems)


def test_card_command_rerenders_a_verification_audit_with_its_model_card_json(report, tmp_path):
    from ethicscheck.cli.card import card

    assert (report / "model_card.json").is_file()  # the audit writes it too
    assert card(report, format="all", out_dir=tmp_path) == 0
    data = json.loads((tmp_path / "model_card.json").read_text())
    metrics = {(m["type"], m["slice"]): m for m in data["quantitative_analysis"]["performance_metrics"]}
    female = metrics[("fmr@1e-02", "sex=female")]
    assert female["value"] > 0 and female["confidence_interval"]["lower_bound"] < female["value"]
    assert ("fmr_max_over_geomean@1e-03", "sex") in metrics and ("fmr@1e-03", "overall") in metrics
    assert data["ethicscheck"]["task"] == "verification"
    assert (tmp_path / "model_card.md").read_text() == (report / "model_card.md").read_text()


@pytest.mark.slow  # prints with the real headless Chromium (a few seconds of CPU)
def test_card_command_prints_a_verification_card_to_pdf(report, tmp_path):
    """The face-matching card, heatmap and DET curves included, prints as the classification card does."""
    import os
    import re

    from ethicscheck.cards._pdf import find_chromium
    from ethicscheck.cli.card import card

    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing (.ci/install-chromium); the verification PDF card is not tested")
        pytest.skip("needs Chromium (apt-get install chromium)")
    assert card(report, format="pdf", out_dir=tmp_path) == 0
    content = (tmp_path / "model_card.pdf").read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b", content))
    assert pages >= 2 and len(content) > 20_000  # the text, the tables and both charts, not an empty page


def test_small_groups_are_left_out_of_model_card_json(report, tmp_path):
    from ethicscheck.cards import write_verification_cards
    from ethicscheck.config import CardConfig, VerificationConfig
    from ethicscheck.result import read_audit_json

    result = read_audit_json(report / "audit.json")
    settings = VerificationConfig.model_validate(result.run.config["verification"])
    write_verification_cards(result, CardConfig(min_published_group=400), settings, tmp_path, formats=("json",))
    data = json.loads((tmp_path / "model_card.json").read_text())
    assert not [m for m in data["quantitative_analysis"]["performance_metrics"] if m["slice"].startswith("sex=")]
    assert data["ethicscheck"]["publication"]["suppressed_groups"]["sex"] == ["female", "male"]


def test_a_classification_reader_names_a_verification_audit_json(report):
    from ethicscheck.errors import ConfigError
    from ethicscheck.result import AuditResult

    with pytest.raises(ConfigError, match="face-matching"):
        AuditResult.read_json(report / "audit.json")


def test_log_uploads_a_saved_verification_report_once_and_history_lists_it(report, tmp_path, session_tracking_uri, capsys):
    import shutil

    from ethicscheck.tracking import audit_history, trend_chart, upload_report

    folder = tmp_path / "copy"
    shutil.copytree(report, folder)
    info, uploaded = upload_report(folder, tracking_uri=session_tracking_uri, experiment="faces-later")
    again, uploaded_again = upload_report(folder, tracking_uri=session_tracking_uri, experiment="faces-later")
    assert uploaded and not uploaded_again and again.run_id == info.run_id
    [record] = audit_history(tracking_uri=session_tracking_uri, experiment="faces-later")
    assert record.task == "verification" and record.point == "fmr@1e-03" and record.feature is not None
    assert record.fmr is not None and record.fmr_max_over_geomean is not None and record.fmr_max_over_geomean >= 1
    low, high = record.fmr_max_over_geomean_ci
    assert low is not None and high is not None and low <= record.fmr_max_over_geomean <= high
    assert trend_chart([record], tmp_path / "trend.svg", title="faces").read_text().startswith("<?xml")
    from ethicscheck.cli.history import history

    capsys.readouterr()
    assert history(experiment="faces-later", tracking_uri=session_tracking_uri, chart=tmp_path / "cli.svg", json_output=True) == 0
    [listed] = json.loads(capsys.readouterr().out)["audits"]
    assert listed["fmr_max_over_geomean_ci"] == [low, high]


def test_regression_gate_compares_with_an_earlier_verification_audit(report, tmp_path):
    from ethicscheck.config import GateConfig
    from ethicscheck.gates import evaluate_verification_gates, load_verification_baseline
    from ethicscheck.verification import Comparisons, SideFeature, assess_verification

    spec = ComparisonSpec(
        fmr_factor={"female": 6.0, "male": 1.0}, subjects_per_group=300, impostors_per_group=30_000, cross_impostors=10_000
    )
    worse = Comparisons.from_frame(
        generate_comparisons(spec, seed=1),
        genuine_column="same_person",
        subject_columns=("subject_a", "subject_b"),
        score_column="similarity",
        features=[SideFeature("sex", "sex_a", "sex_b")],
    )
    current = assess_verification(worse, targets=[1e-2, 1e-3], n_boot=50)
    baseline = str(report / "audit.json")
    gate = GateConfig.model_validate({"metric": "fmr@1e-02", "scope": "sex", "regression": {"baseline": baseline, "margin": 0.001}})
    verdict = evaluate_verification_gates(current, [gate], baselines={baseline: load_verification_baseline(baseline)})
    [outcome] = verdict.outcomes
    assert outcome.status == "fail" and outcome.group == "female" and outcome.baseline_value is not None
    same = evaluate_verification_gates(
        load_verification_baseline(str(report)), [gate], baselines={baseline: load_verification_baseline(baseline)}
    )
    assert [o.status for o in same.outcomes] == ["pass"]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"card": {"dp_epsilon": 1.0}}, "card.dp_epsilon"),
        ({"membership_risk": {"members": "m.csv", "nonmembers": "n.csv"}}, "membership_risk"),
    ],
)
def test_sections_a_verification_audit_cannot_honour_are_refused(comparisons_file, extra, named):
    from ethicscheck.errors import ConfigError

    with pytest.raises((ConfigError, ValueError), match=named.replace(".", r"\.")):
        _config(comparisons_file, **extra)
