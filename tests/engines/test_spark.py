"""The Spark engine on a real Spark local[2] gives the in-memory audit.json, and the same exit-2 messages for bad input."""

from __future__ import annotations

import shutil

import pytest
import yaml

from tests.conftest import run_cli
from tests.engines.helpers import PRECOMPUTED, ROWS, content, run

pytest.importorskip("pyspark", reason="the Spark engine's tests need the spark extra (make dev installs it)")
if shutil.which("java") is None:
    pytest.fail("The Spark tests need Java 17 or later: run .ci/install-java (make test does).", pytrace=False)

pytestmark = pytest.mark.spark
#: One SparkSession for the module (the engine reuses a running session), with few shuffle partitions.
_SPARK = {
    "master": "local[2]",
    "timeout_s": 600,  # a busy CI machine starts the JVM slowly
    "conf": {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2", "spark.sql.files.maxPartitionBytes": "20000"},
}


@pytest.fixture(scope="module", autouse=True)
def stop_spark():
    yield
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


@pytest.mark.parametrize("model", [None, PRECOMPUTED], ids=["sklearn", "precomputed"])
def test_spark_equals_in_memory_with_text_scanning(demo_inputs, sources, tmp_path, model):
    memory = run(demo_inputs, sources["single"], tmp_path / "memory", engine="pandas", model=model)
    spark = run(demo_inputs, sources["single"], tmp_path / "spark", engine="spark", model=model, spark=_SPARK)
    assert content(spark) == content(memory)
    engine = spark.result.run.engine
    assert engine["name"] == "spark" and engine["master"] == "local[2]" and engine["rows_read"] == ROWS
    assert engine["partitions"] > 1  # several partitions add up to the in-memory figures


def test_an_unreachable_master_stops_with_exit_2_within_its_deadline(demo_inputs, tmp_path):
    config = tmp_path / "unreachable.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "unreachable",
                "data": {
                    "path": str(demo_inputs.eval_path),
                    "engine": "spark",
                    "label": {"column": "label"},
                    "sensitive_features": [{"column": "region"}],
                },
                "model": {"kind": "sklearn", "path": str(demo_inputs.model_path)},
                "spark": {"master": "spark://127.0.0.1:9", "timeout_s": 5},
            }
        ),
        encoding="utf-8",
    )
    done = run_cli("audit", "--config", str(config), "--no-tracking", "--out", str(tmp_path / "out"), timeout=120)
    assert done.code == 2, done.stderr
    assert "The Spark master 'spark://127.0.0.1:9'" in done.stderr and "spark.timeout_s = 5 s" in done.stderr
