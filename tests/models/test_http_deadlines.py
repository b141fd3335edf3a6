"""An HTTP model that trickles, cuts its body short or answers in another encoding ends the audit cleanly."""

from __future__ import annotations

import time

import pytest

from ethicscheck.errors import ModelError
from ethicscheck.models import load_detector
from tests.misbehaving import misbehaving_server
from tests.models.conftest import dataset_and_config


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("trickle", r"did not answer after 2 attempts \(no complete answer within model.timeout_s = 1 s\)"),
        ("short", r"did not answer after 2 attempts \(the body ended after \d+ bytes, before its Content-Length\)"),
        ("latin1", r"answered with a body that is not UTF-8 text"),
    ],
)
def test_misbehaving_http_model(tabular, behaviour, message):
    with misbehaving_server(behaviour, n_rows=600) as url:
        dataset, config = dataset_and_config(
            tabular, {"kind": "http", "url": url, "timeout_s": 1, "retries": 1, "input_columns": ["x1", "x2"], "batch_size": 1000}
        )
        detector = load_detector(config, dataset, tracking_uri="sqlite:///:memory:")
        start = time.monotonic()
        with pytest.raises(ModelError, match=message):
            detector.predict(dataset.frame)
        assert time.monotonic() - start < 2 * 1 + 0.5 + 10  # two deadlines and one backoff; +10 s is the hang bound of the issue
