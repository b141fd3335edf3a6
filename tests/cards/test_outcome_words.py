"""card.outcome: a transaction-monitoring team's words reach every sentence, and no default word leaks."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ethicscheck.config import config_from_dict
from ethicscheck.privacy._artifacts import visible_text
from tests.audit_helpers import audit

WORDS = {"positive": "suspicious", "negative": "legitimate", "flagged": "alerted on", "missed": "let through"}
DEFAULT_WORDS = re.compile(r"trafficking|flagged|\bmissed\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def transactions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("transactions")
    rng = np.random.default_rng(0)
    n = 3000
    region = rng.choice(["north", "south", "east"], n, p=[0.5, 0.3, 0.2])
    y = rng.random(n) < 0.3
    alert = np.where(y, rng.random(n) < 0.7, rng.random(n) < np.where(region == "south", 0.25, 0.1))
    pd.DataFrame({"region": region, "label": y, "alert": alert}).to_csv(folder / "data.csv", index=False)
    config = config_from_dict(
        {
            "name": "transaction-monitoring",
            "data": {
                "path": str(folder / "data.csv"),
                "label": {"column": "label", "positive": True},
                "sensitive_features": [{"column": "region"}],
            },
            "model": {"kind": "precomputed", "decision_column": "alert", "positive_class": True},
            "gates": [
                {"metric": "fpr_ratio", "scope": "region", "threshold": 1.25},
                {"metric": "fnr", "scope": "region", "threshold": 0.1},
            ],
            "card": {"item_noun": "transactions", "outcome": WORDS},
        }
    )
    return audit(config, folder / "out", None)


def test_no_default_outcome_word_in_any_published_text(transactions):
    texts = {}
    for path in sorted(transactions.report_dir.iterdir()):
        if path.suffix in (".md", ".html", ".xml", ".svg"):
            texts[path.name] = visible_text(path.suffix, path.read_text(encoding="utf-8"))
    assert {"model_card.md", "model_card.html", "summary.md", "junit.xml"} <= set(texts) and any(n.endswith(".svg") for n in texts)
    for name, text in texts.items():
        leaked = [text[max(0, m.start() - 40) : m.end() + 20] for m in DEFAULT_WORDS.finditer(text)]
        assert not leaked, f"{name}: {leaked}"


def test_the_configured_words_are_used_in_findings_glossary_tables_charts_and_ethics(transactions):
    md = transactions.files["model_card.md"].read_text(encoding="utf-8")
    assert "of transactions that are legitimate are wrongly alerted on" in md  # overall sentence
    assert re.search(r"Transactions with region “south” are wrongly alerted on (most often|\d\.\d times as often)", md)  # a finding
    assert "share of rows that are legitimate that were alerted on" in md  # glossary
    assert "| Legitimate | Wrongly alerted on (FPR) | Let through (FNR) |" in md  # table header
    assert "legitimate wrongly alerted on" in md  # the ethics paragraph
    charts = " ".join(p.read_text(encoding="utf-8") for p in transactions.report_dir.glob("chart_*.svg"))
    assert "Wrongly alerted on" in charts and "Let through" in charts
    html = transactions.files["model_card.html"].read_text(encoding="utf-8")
    assert "wrongly alerted on" in html and "are let through" in html


def test_the_default_words_are_the_anti_trafficking_wording(transactions):
    from ethicscheck.config import OutcomeWords

    assert OutcomeWords().model_dump() == {
        "positive": "trafficking-related",
        "negative": "not trafficking-related",
        "flagged": "flagged",
        "missed": "missed",
    }


def test_a_model_that_alerts_on_nobody_is_described_in_the_configured_words(tmp_path):
    rng = np.random.default_rng(1)
    n = 1200
    frame = pd.DataFrame({"region": rng.choice(["north", "south"], n), "label": rng.random(n) < 0.3, "alert": np.zeros(n, dtype=bool)})
    frame.to_csv(tmp_path / "data.csv", index=False)
    config = config_from_dict(
        {
            "name": "constant-alerts",
            "data": {
                "path": str(tmp_path / "data.csv"),
                "label": {"column": "label", "positive": True},
                "sensitive_features": [{"column": "region"}],
            },
            "model": {"kind": "precomputed", "decision_column": "alert", "flagged_values": [True], "not_flagged_values": [False]},
            "gates": [{"metric": "fpr_ratio", "scope": "region", "threshold": 1.25}],
            "card": {"item_noun": "transactions", "outcome": WORDS},
        }
    )
    result = audit(config, tmp_path / "out", None)
    # the warning's fix names the config field flagged_values: a field name, not an outcome word
    default_words = re.compile(r"trafficking|flagged(?!\\?_values)|\bmissed\b", re.IGNORECASE)
    # the verdict says what happened in the configured words, then why, from what the model returned
    assert result.result.verdict.decisions.startswith("the model alerted on none of the 1,200 rows (the model returned only False")
    for name in ("model_card.md", "model_card.html", "summary.md", "junit.xml"):
        path = result.report_dir / name
        text = visible_text(path.suffix, path.read_text(encoding="utf-8"))
        leaked = [text[max(0, m.start() - 40) : m.end() + 20] for m in default_words.finditer(text)]
        assert not leaked, f"{name}: {leaked}"
