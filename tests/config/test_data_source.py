"""data.table and URI paths: Spark reads them as written; the other engines are told to use Spark."""

from __future__ import annotations

import pytest

from ethicscheck._provenance import public_config
from ethicscheck.config import config_from_dict
from ethicscheck.config._load import _resolved
from ethicscheck.errors import ConfigError

_BASE = {
    "name": "source",
    "data": {"label": {"column": "label"}, "sensitive_features": [{"column": "region"}]},
    "model": {"kind": "precomputed", "decision_column": "flagged"},
}


def _config(**data):
    return config_from_dict({**_BASE, "data": {**_BASE["data"], **data}})


def test_a_uri_reaches_spark_as_written_and_is_published_as_its_last_name(tmp_path):
    config = _config(path="s3a://screening/ads-2025/", engine="spark")
    assert config.data.location == "s3a://screening/ads-2025/"
    assert config.data.model_copy(update={"filter": []}).location == "s3a://screening/ads-2025/"
    assert public_config(config)["data"]["path"] == "ads-2025" and "table" not in public_config(config)["data"]
    assert _resolved("hdfs://namenode/ads", tmp_path) == "hdfs://namenode/ads"  # not made relative to the config's folder
    assert _config(path=str(tmp_path / "ads.parquet")).data.location == str(tmp_path / "ads.parquet")


def test_a_table_is_read_by_name_and_published_as_data_table():
    config = _config(table="screening.ads_2025", engine="spark")
    assert config.data.table == config.data.location == "screening.ads_2025"
    published = public_config(config)["data"]
    assert published["table"] == "screening.ads_2025" and "path" not in published


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"table": "db.ads"}, "only Spark reads data.table 'db.ads'; set data.engine: spark"),
        ({"path": "s3a://b/ads", "engine": "stream"}, "only Spark reads the URI data.path 's3a://b/ads'; set data.engine: spark"),
        ({"path": "/data/ads.parquet", "table": "db.ads", "engine": "spark"}, "data.path and data.table both name the data"),
    ],
)
def test_a_source_only_spark_reads_is_refused_elsewhere(data, says):
    with pytest.raises(ConfigError, match=says):
        _config(**data)


def test_validate_leaves_a_table_to_spark(tmp_path):
    from ethicscheck.validation import validate_file

    config = tmp_path / "table.yaml"
    config.write_text(
        "name: table\ndata: {table: db.ads, engine: spark, label: {column: label}, sensitive_features: [{column: region}]}\n"
        "model: {kind: precomputed, decision_column: flagged}\n",
        encoding="utf-8",
    )
    report = validate_file(config)
    assert not report.problems and "data file" not in report.checked


def test_a_table_config_survives_a_dump_and_reload():
    config = _config(table="db.ads", engine="spark")
    again = config_from_dict(config.model_dump(mode="json"))
    assert again.data.table == "db.ads" and again.data.location == "db.ads"
    uri = _config(path="hdfs://namenode/ads/", engine="spark")
    assert config_from_dict(uri.model_dump(mode="json")).data.location == "hdfs://namenode/ads/"
    assert uri.model_dump()["data"]["path"] == "hdfs://namenode/ads/"
