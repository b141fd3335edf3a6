from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from markupsafe import escape

from ethicscheck.cards._render import _md_escape
from ethicscheck.config import config_from_dict
from tests.audit_helpers import audit

HOSTILE = ['<script>alert("x")</script>', 'O\'Brien "quoted"', "a|b & <i>c</i>", "Ελλάδα"]


@pytest.fixture(scope="module")
def hostile_outcome(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    n = 400
    frame = pd.DataFrame(
        {"group": [HOSTILE[i % 4] for i in range(n)], "label": [i % 3 == 0 for i in range(n)], "flagged": [i % 5 == 0 for i in range(n)]}
    )
    frame.to_csv(folder / "data.csv", index=False)
    config = config_from_dict(
        {
            "name": "hostile",
            "data": {
                "path": str(folder / "data.csv"),
                "label": {"column": "label", "positive": True},
                "sensitive_features": [{"column": "group", "name": "<b>group</b>"}],
            },
            "model": {"kind": "precomputed", "decision_column": "flagged", "positive_class": True},
            "card": {"model_name": "<img src=x onerror=alert(1)>", "intended_use": "</p><script>steal()</script>"},
        }
    )
    return audit(config, folder / "out", None)


def test_html_escapes_every_user_string(hostile_outcome):
    html = hostile_outcome.files["model_card.html"].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<img" not in html.lower() and "<b>group" not in html and "<i>c</i>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html
    assert "Ελλάδα" in html


def test_markdown_neutralizes_html_and_table_breaks(hostile_outcome):
    md = hostile_outcome.files["model_card.md"].read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md and "<i>" not in md
    assert "a\\|b &amp; &lt;i&gt;c&lt;/i&gt;" in md


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v and not v.startswith("#")]


def test_html_is_self_contained_with_charts_and_captions(demo_outcome):
    html = demo_outcome.files["model_card.html"].read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(html)
    assert parser.urls == []  # no external requests
    charts = sorted(demo_outcome.report_dir.glob("chart_*.svg"))
    # per feature: rates, disparity forest plot, threshold curves (the demo model has scores); plus personal data
    assert len(charts) == 3 * len(demo_outcome.result.fairness.features) + 1
    assert parser.tags.count("svg") == parser.tags.count("figcaption") == len(charts)
    assert parser.tags.count("caption") >= len(demo_outcome.result.fairness.features)
    assert "Findings in plain language" in html and "wrongly flagged" in html


def test_demo_card_states_the_planted_bias(demo_outcome):
    md = demo_outcome.files["model_card.md"].read_text(encoding="utf-8")
    findings = md.split("## Findings in plain language")[1].split("##")[0]
    assert re.search(r"Ads with nationality “(Nigerian|Nepali)” are wrongly flagged \d\.\d times as often", findings)


def test_findings_start_with_the_firmest_evidence_not_the_largest_ratio(demo_outcome):
    from ethicscheck.cards import findings
    from ethicscheck.cards._findings import by_evidence

    found = [f for f in findings(demo_outcome.result, "ads") if f.severity == "disparity"]
    assert len(found) >= 2 and found == by_evidence(found)
    assert [f.evidence for f in found] == sorted((f.evidence for f in found), reverse=True)
    assert found[0].n != min(f.n for f in found)  # the demo's smallest group (an intersection, wide interval) is not first


def test_markdown_card_has_no_front_matter_and_opens_with_the_verdict_and_reasons(demo_outcome):
    """MLflow renders YAML front matter as a big bold heading: the card starts with its title, then the verdict."""
    md = demo_outcome.files["model_card.md"].read_text(encoding="utf-8")
    assert md.startswith("# Model card:") and "\n---\nmodel_name" not in md and not md.startswith("---")
    top = md.split("## Findings in plain language")[0]
    assert "**Audit verdict: " in top and "ethicscheck " in top
    for outcome in demo_outcome.result.verdict.outcomes:
        if outcome.status != "pass":
            assert f"“{_md_escape(outcome.gate)}”" in top


def test_html_card_opens_with_the_verdict_box_before_the_findings(demo_outcome):
    html = demo_outcome.files["model_card.html"].read_text(encoding="utf-8")
    assert html.index('id="verdict-box"') < html.index('id="findings"')
    assert html.count('class="reason ') == sum(1 for o in demo_outcome.result.verdict.outcomes if o.status != "pass")


JARGON = ("confident reading", "katz", "stratified", "percentile", "bootstrap", "wilson", "newcombe", "holm", "fisher", "presidio")


@pytest.mark.parametrize("name", ["model_card.md", "model_card.html"])
def test_body_speaks_plainly_and_the_appendix_names_the_methods(demo_outcome, name):
    text = demo_outcome.files[name].read_text(encoding="utf-8")
    marker = "## How this was measured" if name.endswith(".md") else '<h2 id="methods">How this was measured</h2>'
    body, appendix = text.split(marker)
    assert [word for word in JARGON if word in body.lower()] == []
    methods = demo_outcome.result.fairness.methods
    for how in (methods["rate_ci"], demo_outcome.result.privacy.engine):
        assert (_md_escape(how) if name.endswith(".md") else str(escape(how))) in appendix
    for outcome in demo_outcome.result.verdict.outcomes:  # the gates' technical readings live here
        assert (_md_escape(outcome.metric) if name.endswith(".md") else outcome.metric) in appendix


def test_intersection_section_shows_groups_with_enough_data_and_counts_the_rest(demo_outcome):
    from ethicscheck.cards import publishable
    from ethicscheck.config import CardConfig

    md = demo_outcome.files["model_card.md"].read_text(encoding="utf-8")
    feature = next(f for f in publishable(demo_outcome.result, CardConfig(item_noun="ads")).result.fairness.features if f.is_intersection)
    section = md.split(f"### {_md_escape(feature.name)} (intersection)")[1].split("## Privacy")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Group")]
    thin = [g for g in feature.groups if not (g.metrics["fpr"].usable and g.metrics["fnr"].usable) and not g.is_reference]
    assert 0 < len(rows) < len(feature.groups) and thin
    named = [r for r in rows if "insufficient data" in r.split("|")[5]]  # the FNR column
    assert len(named) <= len(demo_outcome.result.fairness.features)  # only groups a finding names may lack an FNR
    assert f"{len(feature.groups) - len(rows)} more intersections have too little data to compare" in section


def test_demo_card_lists_personal_data_found_in_inputs_redacted(demo_outcome):
    md = demo_outcome.files["model_card.md"].read_text(encoding="utf-8")
    privacy = md.split("## Privacy")[1]
    for entity in ("PHONE_NUMBER", "EMAIL_ADDRESS", "SOCIAL_HANDLE", "MESSENGER_LINK", "PERSON"):
        assert f"| {entity} |" in privacy
    assert "&lt;PHONE\\_NUMBER&gt;" in privacy or "&lt;PHONE_NUMBER&gt;" in privacy
    artifacts = demo_outcome.result.privacy.artifacts
    assert artifacts is not None and artifacts.leaked_input_values == 0 and artifacts.findings == 0


def test_no_planted_personal_data_in_any_artifact(demo_inputs, demo_outcome):
    ads = pd.read_parquet(demo_inputs.eval_path)
    values = {text[s["start"] : s["end"]] for text, spans in zip(ads["text"], ads["pii"]) for s in json.loads(spans)}
    values = {v for v in values if len(v) >= 4}
    assert len(values) > 500
    for path in demo_outcome.report_dir.iterdir():
        if path.is_file():
            content = path.read_text(encoding="utf-8")
            leaked = [v for v in values if v in content]
            assert leaked == [], f"{path.name} contains {leaked[:3]}"


def test_a_second_card_of_the_same_data_draws_no_chart_again(hostile_outcome, tmp_path, monkeypatch):
    from dataclasses import replace

    from ethicscheck.cards import DrawnCharts, _render, write_cards
    from ethicscheck.config import CardConfig

    drawn = []
    for name in ("rate_chart", "forest_chart", "threshold_chart", "pii_chart"):
        monkeypatch.setattr(_render, name, lambda *a, _draw=getattr(_render, name), **k: drawn.append(1) or _draw(*a, **k))
    result, charts = hostile_outcome.result, DrawnCharts()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    write_cards(result, CardConfig(), first, charts=charts)
    calls = len(drawn)
    assert calls >= 3
    # After the self-scan the gate text changes, the data does not: the same charts, none drawn again.
    write_cards(replace(result, verdict=replace(result.verdict, outcomes=())), CardConfig(), second, charts=charts)
    assert len(drawn) == calls
    svgs = sorted(p.name for p in first.glob("*.svg"))
    assert svgs and [(second / n).read_text() for n in svgs] == [(first / n).read_text() for n in svgs]


def test_drawn_charts_draws_again_when_anything_shown_differs():
    from ethicscheck.cards import DrawnCharts

    charts, drawn = DrawnCharts(), []
    for inputs in [("rates", {"n": 1}, "ads"), ("rates", {"n": 1}, "ads"), ("rates", {"n": 2}, "ads"), ("rates", {"n": 1}, "people")]:
        charts.get(lambda shown=inputs: drawn.append(shown), *inputs)
    assert len(drawn) == 3
