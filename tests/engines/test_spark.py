"""The Spark engine on a real Spark local[2] gives the in-memory audit.json, and the same exit-2 messages for bad input;
contact data planted in its inputs reaches nothing it publishes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from ethicscheck.cards import write_cards as WRITE_CARDS  # noqa: N812 (the real one: tests/engines/conftest.py stubs it)
from ethicscheck.errors import DataError
from tests.engines.helpers import PRECOMPUTED, ROWS, content, run
from tests.engines.helpers import SPARK as _SPARK
from tests.misreads.groups import GROUP_CASES, ads_of, audited, groups_of
from tests.misreads.scanned_numbers import CONTACTS, numbers_audited, scanned

pytest.importorskip("pyspark", reason="the Spark engine's tests need the spark extra (make dev installs it)")
if shutil.which("java") is None:
    pytest.fail("The Spark tests need Java 17 or later: run .ci/install-java (make test does).", pytrace=False)

pytestmark = [pytest.mark.spark, pytest.mark.usefixtures("spark")]  # the module's one SparkSession: the engine reuses it


@pytest.mark.parametrize(("model", "source"), [(None, "uri"), (PRECOMPUTED, "table")], ids=["sklearn-file-uri", "precomputed-table"])
def test_spark_equals_in_memory_with_text_scanning(demo_inputs, sources, tmp_path, spark, model, source):
    memory = run(demo_inputs, sources["single"], tmp_path / "memory", engine="pandas", model=model)
    if source == "table":  # a catalog table (a session view here; a metastore table is read the same way)
        spark.read.parquet(str(sources["single"])).createOrReplaceTempView("ads")
        read = {"path": None, "table": "ads"}
    else:  # a URI, as s3a:// or hdfs:// ones are: Spark reads it as written
        read = {"path": sources["single"].as_uri()}
    spark_run = run(demo_inputs, sources["single"], tmp_path / "spark", engine="spark", model=model, spark=_SPARK, data=read)
    expected, found = content(memory), content(spark_run)
    if source == "table":  # precomputed decisions name where they were read: the file, or the table
        for document in (expected, found):
            del document["model"]["source"], document["model"]["sha256"]
        assert spark_run.result.model.info.source == "columns of ads"
    assert found == expected
    engine = spark_run.result.run.engine
    assert engine["name"] == "spark" and engine["master"] == "local[2]" and engine["rows_read"] == ROWS
    assert engine["partitions"] > 1  # several partitions add up to the in-memory figures


def test_past_exact_score_rows_spark_counts_the_fine_score_bins_as_in_memory(demo_inputs, sources, tmp_path, monkeypatch):
    """Past EXACT_SCORE_ROWS scored rows the score metrics come from the fine histogram (ROC AUC binned), which
    Spark counts in one groupBy over (joint cell, label, score bin): the same audit as in memory and streamed."""
    monkeypatch.setattr("ethicscheck.fairness._sufficient.EXACT_SCORE_ROWS", 100)
    documents = {
        engine: content(run(demo_inputs, sources["single"], tmp_path / engine, engine=engine, model=PRECOMPUTED, scan=False, spark=_SPARK))
        for engine in ("pandas", "stream", "spark")
    }
    assert documents["spark"] == documents["pandas"] == documents["stream"]
    assert "binned (4000 score bins" in json.dumps(documents["spark"])


def test_a_pandas_written_csv_with_quotes_and_line_breaks_in_text_gives_the_in_memory_audit(demo_inputs, sources, tmp_path):
    """Quoted CSV fields hold doubled quotes (the JSON of the pii column) and line breaks: Spark reads them as pandas
    does (it once split the pii column's JSON into columns and stopped on its score). Groups written "007", "010" and
    "7" are three groups on every engine (they were once inferred as the numbers 7 and 10)."""
    frame = pd.read_parquet(sources["single"]).head(600)
    frame["region"] = np.array(["007", "010", "7"])[np.arange(len(frame)) % 3]
    frame.loc[::7, "text"] += '\nCall "Anna", 555 0100'  # a line break inside a quoted field
    frame.to_csv(csv := tmp_path / "quoted.csv", index=False)
    documents = {
        engine: content(run(demo_inputs, csv, tmp_path / engine, engine=engine, model=PRECOMPUTED, scan=False, spark=_SPARK))
        for engine in ("pandas", "stream", "spark")
    }
    assert documents["spark"] == documents["pandas"] == documents["stream"]
    regions = next(f for f in documents["spark"]["fairness"]["features"] if f["name"] == "region")
    assert sorted(g["group"] for g in regions["groups"]) == ["007", "010", "7"]


@pytest.mark.parametrize("case", GROUP_CASES, ids=lambda c: c.id)
def test_group_and_id_columns_read_as_the_file_holds_them_as_in_memory(case, tmp_path):
    """The group-reading corpus (tests/misreads/groups.py) on Spark: CSV group and id columns are text, only empty cells
    and data.na_values are missing, an integer group 7 (also with missing values) is "7"; the text column's ads are read
    the same way (an ad "NA" is an ad); the in-memory audit.json."""
    memory = audited(case, tmp_path / "pandas", "pandas")
    spark = audited(case, tmp_path / "spark", "spark", spark=_SPARK)
    assert groups_of(spark) == case.groups
    if case.texts:
        assert ads_of(spark) == case.ads
    assert spark == memory


@pytest.mark.parametrize(("kind", "blank"), [("csv", True), ("parquet", True)], ids=["csv-floats", "parquet-int64"])
def test_a_column_of_phone_numbers_read_as_numbers_is_scanned_as_in_memory(tmp_path, kind, blank):
    """tests/misreads/scanned_numbers.py on Spark: Spark infers the CSV column as numbers too (as doubles or integers,
    as Arrow hands them to the partitions); every number is scanned and found, the in-memory audit.json."""
    memory = numbers_audited(tmp_path / "pandas", "pandas", blank=blank, kind=kind)
    spark = numbers_audited(tmp_path / "spark", "spark", blank=blank, kind=kind, spark=_SPARK)
    assert scanned(spark)["contact"] == (3 * len(CONTACTS), 3 * len(CONTACTS) - blank)
    assert spark == memory


def test_skip_rows_stops_before_spark_reads_the_preamble_as_the_header(demo_inputs, sources, tmp_path):
    """Spark's CSV reader has no way to skip preamble lines: data.skip_rows is refused by name (it was ignored, so the
    preamble became the header, or rows with header: false), and the stream engine reads the same file."""
    (csv := tmp_path / "preamble.csv").write_text("exported 2026-12-03\n" + sources["csv"].read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(
        DataError, match=r"data.skip_rows: Spark's CSV reader cannot skip the 1 line\(s\) before the header of preamble.csv"
    ):
        run(demo_inputs, csv, tmp_path / "spark", engine="spark", model=PRECOMPUTED, scan=False, data={"skip_rows": 1}, spark=_SPARK)
    streamed = run(demo_inputs, csv, tmp_path / "stream", engine="stream", model=PRECOMPUTED, scan=False, data={"skip_rows": 1})
    assert streamed.result.data.n_rows == ROWS


@pytest.mark.parametrize("scan_rows", [None, 150], ids=["every-row", "sampled"])
def test_a_folder_spark_reads_largest_file_first_gives_the_in_memory_audit(demo_inputs, sources, tmp_path, scan_rows):
    """Spark packs a folder's files into partitions largest first: counts, redacted examples and the rows a
    privacy.max_rows sample scans (chosen by content) follow no row order."""
    frame = pd.read_parquet(sources["single"]).head(600)
    (folder := tmp_path / "unequal").mkdir()
    for part, (start, stop) in enumerate([(0, 100), (100, 400), (400, 600)]):
        frame.iloc[start:stop].to_parquet(folder / f"part-{part}.parquet", index=False)
    documents = {
        engine: content(run(demo_inputs, folder, tmp_path / engine, engine=engine, model=PRECOMPUTED, scan_rows=scan_rows, spark=_SPARK))
        for engine in ("pandas", "stream", "spark")
    }
    assert documents["spark"] == documents["pandas"] == documents["stream"]
    assert any(e["examples"] for c in documents["spark"]["privacy"]["columns"] for e in c["entities"])
    assert documents["spark"]["privacy"]["sampled"] == (scan_rows is not None)
    assert documents["spark"]["privacy"]["columns"][0]["rows_scanned"] == (scan_rows or 600)


def test_bad_input_gets_the_in_memory_engines_exit_2_messages(demo_inputs, sources, tmp_path, capfd):
    frame = pd.read_parquet(sources["single"])
    frame.loc[1500, "label"] = 7
    frame.to_parquet(not_binary := tmp_path / "not_binary.parquet", index=False)
    (unreadable := tmp_path / "unreadable.parquet").write_bytes(b"not a parquet file\n")
    cases = {
        "missing column": (sources["single"], {"label": {"column": "labl"}}),
        "label not binary": (not_binary, {}),
        "no positive row": (sources["single"], {"label": {"column": "label", "positive": "yes"}}),
        "unreadable file": (unreadable, {}),
        "missing file": (tmp_path / "nope.parquet", {}),
    }
    for name, (path, data) in cases.items():
        messages = []
        for engine, changes in (("pandas", {}), ("spark", {"spark": _SPARK})):
            with pytest.raises(DataError) as caught:
                run(demo_inputs, path, tmp_path / engine, engine=engine, model=PRECOMPUTED, scan=False, data=data, **changes)
            messages.append(str(caught.value))
        assert messages[0] == messages[1], name
    assert "\tat org.apache" not in capfd.readouterr().err  # no Java stack trace beside the message


def test_spark_says_why_no_row_is_flagged_like_in_memory(demo_inputs, sources, tmp_path):
    frame = pd.read_parquet(sources["single"]).assign(flagged=False)
    frame.to_parquet(never := tmp_path / "never.parquet", index=False, row_group_size=500)
    model = {"kind": "precomputed", "decision_column": "flagged"}
    memory = run(demo_inputs, never, tmp_path / "memory", engine="pandas", model=model, scan=False)
    spark = run(demo_inputs, never, tmp_path / "spark", engine="spark", model=model, scan=False, spark=_SPARK)
    assert spark.result.model.decision_note == memory.result.model.decision_note is not None


def test_an_mlflow_model_gives_the_same_audit_on_every_engine(tmp_path):
    from ethicscheck.config import config_from_dict
    from tests.audit_helpers import audit
    from tests.mlflow_models import register_logistic, scored_frame

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    frame = scored_frame(3, 3_000, ("a", "b", "c"))
    register_logistic(uri, tmp_path, "engines-detector", frame)
    frame.to_parquet(data := tmp_path / "rows.parquet", index=False, row_group_size=1_000)
    documents = {}
    for engine in ("pandas", "stream", "spark"):
        config = config_from_dict(
            {
                "name": "mlflow-engines",
                "data": {
                    "path": str(data),
                    "engine": engine,
                    "batch_rows": 1_000,
                    "label": {"column": "label"},
                    "sensitive_features": [{"column": "group"}],
                },
                "model": {"kind": "mlflow", "uri": "models:/engines-detector/1", "input_columns": ["x"]},
                "fairness": {"n_boot": 100},
                "tracking": {"uri": uri, "enabled": False},
                "spark": _SPARK,
            }
        )
        outcome = audit(config, tmp_path / engine, None)
        assert outcome.result.fairness.has_scores and outcome.result.model.info.kind == "mlflow"
        documents[engine] = content(outcome)
    assert documents["stream"] == documents["pandas"] and documents["spark"] == documents["pandas"]


class _Lines:
    """A reporter that keeps every line an audit would print (stages, progress, warnings)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def stage(self, message: str) -> None:
        self.lines.append(message)

    def warning(self, message: str) -> None:
        self.lines.append(message)

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[..., None]]:
        self.lines.append(description)
        yield lambda n, label=None: self.lines.append(label or "")


def test_contact_data_planted_in_group_values_and_card_fields_reaches_nothing_published(tmp_path, monkeypatch, capfd):
    """Group values are judged on the driver by the self-scan's recognizers (a spelled-out phone number, a handle
    after "snap"), card fields, a feature name and the file name too; every report file, every line the audit
    printed and every MLflow field (params, metric keys, tags, dataset input, artifacts) is read back."""
    from ethicscheck.audit import run_audit
    from ethicscheck.config import config_from_dict
    from tests.published import carried, mlflow_fields, report_fields

    monkeypatch.setattr("ethicscheck.cards.write_cards", WRITE_CARDS)  # the cards are published: this test reads them
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)  # restored after the test (MLflow exports the URI it is given)
    rng = np.random.default_rng(7)
    phone, handle = "zero seven seven zero zero nine zero zero one two three", "snap janedoe99"
    recruiter = rng.choice(["agent.jane@corpmail.com", phone, handle, "agency"], 1_200)
    x = rng.normal(size=len(recruiter))
    frame = pd.DataFrame({"recruiter": recruiter, "label": (x + rng.normal(0, 0.8, len(x)) > 0).astype(int), "flagged": x > 0})
    frame.to_parquet(path := tmp_path / "ads_+44-7700-900123.parquet", index=False, row_group_size=300)
    raw = {
        "name": "planted-spark",
        "data": {
            "path": str(path),
            "engine": "spark",
            "label": {"column": "label"},
            "sensitive_features": [{"column": "recruiter", "name": "recruiter (ask jane@corpmail.com)"}],
        },
        "model": {"kind": "precomputed", "decision_column": "flagged"},
        "spark": _SPARK,
        "fairness": {"n_boot": 20},
        "privacy": {"enabled": False},  # no text column: the self-scan of what is published still runs
        "tracking": {"uri": uri, "experiment": "planted-spark"},
        "card": {
            "owners": ["Screening team", "jane.doe@corpmail.com"],
            "description": f"Questions: {handle}",
            "intended_use": "t.me/lina_k22",
        },
    }
    reporter = _Lines()
    outcome = run_audit(config_from_dict(raw), out_dir=tmp_path / "report", reporter=reporter)
    assert outcome.result.run.engine["name"] == "spark" and outcome.result.tracking.logged
    mapping = json.loads((tmp_path / ".report.pseudonyms.json").read_text())
    assert {"agent.jane@corpmail.com", phone, handle, "jane.doe@corpmail.com", "t.me/lina_k22"} <= set(mapping)
    printed = capfd.readouterr()
    fields = {"reporter": "\n".join(reporter.lines), "console": printed.out + printed.err, **report_fields(tmp_path / "report")}
    fields.update(mlflow_fields(uri, "planted-spark", tmp_path))
    assert {"report model_card.md", "report model_card.html", "report audit.json", "artifact audit.json"} <= set(fields)
    assert any(key.startswith("fpr/") for key in fields["metric keys"].splitlines())  # group metrics are logged, as pseudonyms
    assert carried(fields, ("corpmail", "seven seven zero zero nine", "janedoe99", "lina_k22", "900123")) == {}


_CUSTOM_MODEL = '''
import pathlib

import numpy as np
import pandas as pd
import mlflow

pathlib.Path(MARKER).touch()  # the model's own code ran (imported where the model is loaded)


class AdsDetector(mlflow.pyfunc.PythonModel):
    """Probabilities of "no" and "yes" from the feature x (a table of two columns, as many custom models return)."""

    def predict(self, context, model_input, params=None):
        yes = 1 / (1 + np.exp(-2 * (model_input["x"].to_numpy(dtype=float) - 0.8)))
        return pd.DataFrame({"no": 1 - yes, "yes": yes})
'''


def test_a_custom_mlflow_model_the_user_allowed_is_scored_by_spark_udf_as_in_memory(tmp_path, monkeypatch):
    """A python model with bundled code (code_paths, cloudpickled): refused without allow_pickle, as in memory;
    with it, every executor loads it through mlflow.pyfunc.spark_udf and the audit is the in-memory one."""
    import sys

    import mlflow

    from ethicscheck.config import config_from_dict
    from ethicscheck.errors import ModelError
    from tests.audit_helpers import audit
    from tests.mlflow_models import scored_frame

    marker = tmp_path / "model-code-ran"
    (tmp_path / "ads_detector.py").write_text(_CUSTOM_MODEL.replace("MARKER", repr(str(marker)), 1))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "ads_detector", raising=False)
    import ads_detector  # type: ignore[import-not-found]

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    mlflow.set_tracking_uri(uri)
    experiment = mlflow.MlflowClient(tracking_uri=uri).create_experiment("custom", artifact_location=(tmp_path / "artifacts").as_uri())
    with mlflow.start_run(experiment_id=experiment):
        mlflow.pyfunc.log_model(
            name="model",
            python_model=ads_detector.AdsDetector(),
            code_paths=[str(tmp_path / "ads_detector.py")],
            registered_model_name="custom",
        )
    monkeypatch.delitem(sys.modules, "ads_detector")
    marker.unlink()  # logging the model imported its code here; from now on only loading it may
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(tmp_path)])  # the model's own code_paths bring it back
    frame = scored_frame(5, 3_000, ("a", "b", "c"))
    frame.to_parquet(data := tmp_path / "rows.parquet", index=False, row_group_size=1_000)

    def config(engine: str, *, allow: bool) -> object:
        return config_from_dict(
            {
                "name": "custom-udf",
                "data": {"path": str(data), "engine": engine, "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
                "model": {
                    "kind": "mlflow",
                    "uri": "models:/custom/1",
                    "input_columns": ["x"],
                    "positive_class": "yes",
                    "allow_pickle": allow,
                },
                "fairness": {"n_boot": 100},
                "tracking": {"uri": uri, "enabled": False},
                "spark": _SPARK,
            }
        )

    refusals = []
    for engine in ("pandas", "spark"):
        with pytest.raises(ModelError) as caught:
            audit(config(engine, allow=False), tmp_path / f"refused-{engine}", None)
        refusals.append(str(caught.value))
    assert refusals[0] == refusals[1] and "unpickles" in refusals[0]
    assert not marker.exists(), "the model's code ran although allow_pickle was false"
    memory = audit(config("pandas", allow=True), tmp_path / "memory", None)
    assert marker.exists(), "with allow_pickle the model's own code is loaded in memory"
    marker.unlink()
    spark_run = audit(config("spark", allow=True), tmp_path / "spark", None)
    assert marker.exists(), "with allow_pickle the Spark audit loads the model's own code"
    assert spark_run.result.run.engine["scoring"] == "mlflow.pyfunc.spark_udf"
    assert memory.result.fairness.has_scores and memory.result.model.n_flagged > 0
    assert content(spark_run) == content(memory)
