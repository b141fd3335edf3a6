"""The demo's audit.json and model_card.json and a comparison's JSON stay what they were (apart from the
clock, run ids, durations and versions), so refactoring cannot change what users read.

When a change alters them on purpose: ``make fixtures``, read ``git diff tests/golden``, and say why in
the commit (see CONTRIBUTING.md).
"""

from __future__ import annotations

import pytest

from tests.golden.documents import FILES, MARK, comparison_document, demo_documents, dumps, load, normalised

HINT = "the published JSON changed; if on purpose, run `make fixtures` and explain the change in the commit"


@pytest.fixture(scope="module")
def demo(demo_inputs, tmp_path_factory):
    return demo_documents(tmp_path_factory.mktemp("golden"), demo_inputs.eval_path, demo_inputs.model_path)


@pytest.mark.parametrize("name", ["audit.json", "model_card.json"])
def test_demo_documents_match_the_golden_files(demo, name):
    assert dumps(demo[name]) == dumps(load(name)), HINT


def test_comparison_json_matches_the_golden_file(tmp_path):
    assert dumps(comparison_document(tmp_path)) == dumps(load("comparison.json")), HINT


def test_normalising_hides_the_clock_and_versions_only():
    document = {"run": {"started_at": "2026-01-01T00:00:00+00:00", "seed": 0, "packages": {"numpy": "2"}}, "rows": [{"sha256": None}]}
    assert normalised(document) == {"run": {"started_at": MARK, "seed": 0, "packages": MARK}, "rows": [{"sha256": None}]}


def test_the_golden_files_are_committed():
    assert all(path.is_file() for path in FILES.values())
