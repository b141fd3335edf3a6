"""The group-reading corpus (:mod:`tests.misreads.groups`) on the pandas and stream engines: the groups the file holds,
the ads it holds read, the same audit.json on both. (Spark runs the same cases in ``tests/engines/test_spark.py``.)"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import load_config
from ethicscheck.data import load_dataset
from tests.misreads.groups import GROUP_CASES, GroupCase, ads_of, audited, groups_of, write_group_case


@pytest.fixture(autouse=True)
def no_cards(monkeypatch):
    """audit.json holds the groups; the cards render it."""
    monkeypatch.setattr("ethicscheck.cards.write_cards", lambda *args, **kwargs: [])


@pytest.mark.parametrize("case", GROUP_CASES, ids=lambda c: c.id)
def test_group_columns_name_the_groups_the_file_holds_on_pandas_and_stream(case, tmp_path):
    memory = audited(case, tmp_path / "pandas", "pandas")
    assert groups_of(memory) == case.groups
    assert memory["data"].get("missing_sensitive", {}).get("group", 0) == case.missing
    if case.texts:
        assert ads_of(memory) == case.ads
    assert audited(case, tmp_path / "stream", "stream") == memory


def test_ids_differing_by_leading_zeros_are_distinct_rows(tmp_path):
    """Read as numbers, "007", "7" and "0007" were one id three times: the audit stopped on duplicated ids."""
    case = next(c for c in GROUP_CASES if c.id == "ids-that-differ-by-zeros")
    dataset = load_dataset(load_config(write_group_case(case, tmp_path)))
    assert list(dataset.frame["id"][:5]) == ["007", "7", "0007", "7.0", "NA"]


def test_a_binned_feature_is_still_read_as_numbers(tmp_path):
    """bins cut numbers into bands: the column keeps pandas' numeric reading ("007" is 7, in the band 5-10)."""
    case = GroupCase("binned", ("007", "12", "3"), ())
    config = load_config(write_group_case(case, tmp_path))
    config = config.model_copy(
        update={
            "data": config.data.model_copy(
                update={"sensitive_features": [config.data.sensitive_features[0].model_copy(update={"bins": [5, 10]})]}
            )
        }
    )
    document = json.loads(run_audit(config, out_dir=tmp_path / "out", tracking_uri=None).files["audit.json"].read_text())
    assert groups_of(document) == (("<5", 4), ("5-10", 4), (">=10", 4))


def test_predictions_join_on_ids_as_written(tmp_path):
    """model.path: a prediction for "7" is not one for "007" (read as numbers, they were one id twice); a Parquet
    integer id 7 matches the CSV text "7"."""
    case = next(c for c in GROUP_CASES if c.id == "ids-that-differ-by-zeros")
    config = load_config(write_group_case(case, tmp_path))
    ids = load_dataset(config).frame["id"].tolist()
    flagged = {"007": 1, "7": 0, "0007": 1, "7.0": 0, "NA": 1}
    lines = ["id,flagged"] + [f"{i},{flagged.get(i, n % 2)}" for n, i in enumerate(reversed(ids))]
    (predictions := tmp_path / "predictions.csv").write_text("\n".join(lines) + "\n")
    model = {"kind": "precomputed", "decision_column": "flagged", "path": str(predictions)}
    joined = config.model_copy(update={"model": type(config.model).model_validate(model)})
    outcome = run_audit(joined, out_dir=tmp_path / "out", tracking_uri=None)
    assert outcome.result.model.n_flagged == sum(flagged.get(i, n % 2) for n, i in enumerate(reversed(ids)))

    numbered = pd.DataFrame({"id": range(100, 108), "label": [0, 1] * 4, "group": ["a", "b"] * 4})
    numbered.to_parquet(data := tmp_path / "numbered.parquet", index=False)
    (scores := tmp_path / "scores.csv").write_text("id,flagged\n" + "".join(f"{i},{i % 3 == 0:d}\n" for i in range(107, 99, -1)))
    parquet = joined.model_copy(
        update={
            "data": joined.data.model_copy(update={"path": data}),
            "model": type(config.model).model_validate({**model, "path": str(scores)}),
        }
    )
    assert run_audit(parquet, out_dir=tmp_path / "parquet", tracking_uri=None).result.model.n_flagged == 2  # 102 and 105


def test_the_missing_markers_of_other_columns_are_pandas_own():
    """Columns that are not read as text keep pandas' reading: its markers, listed by ethicscheck (pandas keeps them private)."""
    from pandas._libs.parsers import STR_NA_VALUES

    from ethicscheck.data import MISSING_MARKERS

    assert set(MISSING_MARKERS) == set(STR_NA_VALUES)
