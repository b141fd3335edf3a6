"""Starting Spark: a master that does not answer stops the audit in seconds; Spark's own start has its own deadline."""

from __future__ import annotations

import socket
import time

import pytest
import yaml

from ethicscheck.config import SparkConfig
from ethicscheck.engines._spark_session import _check_master_answers, master_addresses, within
from ethicscheck.errors import ConfigError
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("master", "addresses"),
    [
        ("spark://10.0.0.5:7077", [("10.0.0.5", 7077)]),
        ("spark://master", [("master", 7077)]),
        ("spark://a:7077,b:7078/", [("a", 7077), ("b", 7078)]),  # standalone masters with ZooKeeper fail-over
        ("mesos://m.example:5050", [("m.example", 5050)]),
        ("mesos://zk://zk1:2181/mesos", []),  # ZooKeeper finds the master
        ("k8s://https://kube.example:6443", [("kube.example", 6443)]),
        ("k8s://kube.example:6443", [("kube.example", 6443)]),  # Spark's default scheme for k8s is https
        ("k8s://https://kube.example", [("kube.example", 443)]),
        ("k8s://http://127.0.0.1:8001", [("127.0.0.1", 8001)]),  # kubectl proxy
        ("local[*]", []),
        ("local[2]", []),
        ("local-cluster[2,1,1024]", []),
        ("yarn", []),  # the Hadoop configuration names the resource manager
    ],
)
def test_master_addresses_are_read_from_the_master_url(master, addresses):
    assert master_addresses(master) == addresses


def test_a_listening_master_passes_and_a_closed_port_names_the_master_and_its_deadline():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        _check_master_answers(SparkConfig(master=f"spark://127.0.0.1:{port}", timeout_s=5))
        # fail-over: the first master is down, the second answers
        _check_master_answers(SparkConfig(master=f"spark://127.0.0.1:9,127.0.0.1:{port}", timeout_s=5))
    with pytest.raises(ConfigError) as caught:
        _check_master_answers(SparkConfig(master="spark://127.0.0.1:9", timeout_s=3))
    assert str(caught.value).startswith("The Spark master 'spark://127.0.0.1:9' did not answer within spark.timeout_s = 3 s (127.0.0.1:9: ")
    assert "Check spark.master" in str(caught.value)


def test_within_returns_the_result_the_exception_or_that_the_deadline_passed():
    assert within(5, lambda: 7) == (True, 7)
    finished, error = within(5, lambda: 1 / 0)
    assert finished and isinstance(error, ZeroDivisionError)
    started = time.monotonic()
    assert within(0.2, lambda: time.sleep(5)) == (False, None)
    assert time.monotonic() - started < 2


def test_an_unreachable_master_stops_the_audit_with_exit_2_before_spark_starts(demo_inputs, tmp_path):
    pytest.importorskip("pyspark", reason="the Spark engine's tests need the spark extra (make dev installs it)")
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
    assert "The Spark master 'spark://127.0.0.1:9' did not answer within spark.timeout_s = 5 s" in done.stderr
    assert "\tat org.apache" not in done.stderr
