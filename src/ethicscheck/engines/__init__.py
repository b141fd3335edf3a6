"""Engines: how an audit's rows are read and reduced to the statistics it reports.

``pandas`` holds the rows in memory; ``stream`` reads record batches of a Parquet file or folder or a
CSV and keeps only counts, so memory follows the batch size, not the row count; ``spark`` runs the
stream engine's batch steps in Spark partitions and brings only statistics to the driver. Every engine produces
the same :class:`Measured` (the same audit.json, apart from timings and the engine's provenance).
"""

from __future__ import annotations

from pathlib import Path

from ethicscheck.config import AuditConfig, DataConfig, PrecomputedModelConfig
from ethicscheck.engines._measured import EngineName, Measured
from ethicscheck.engines._spark import spark_measure
from ethicscheck.engines._spark_session import spark_session
from ethicscheck.engines._stream import stream_measure
from ethicscheck.errors import ConfigError

__all__ = [
    "STREAM_ABOVE_BYTES",
    "EngineName",
    "Measured",
    "choose_engine",
    "refuse_in_memory_settings",
    "spark_measure",
    "spark_session",
    "stream_measure",
]

#: ``data.engine: auto`` streams data larger than this on disk (and always a folder).
STREAM_ABOVE_BYTES = 2 * 1024**3


def choose_engine(data: DataConfig) -> EngineName:
    """The engine ``data.engine`` names; for ``auto``, ``stream`` for a folder or a CSV/Parquet file over 2 GB, else ``pandas``."""
    if data.engine != "auto":
        return data.engine
    path = Path(data.path)
    if path.is_dir():
        return "stream"
    streamable = path.suffix.lower() in (".csv", ".parquet", ".pq") or data.format in ("csv", "parquet")
    if streamable and path.is_file() and path.stat().st_size > STREAM_ABOVE_BYTES:
        return "stream"
    return "pandas"


def refuse_in_memory_settings(config: AuditConfig, engine: EngineName) -> None:
    """Stop (exit 2) on settings that need every row in memory, naming the setting and what to do instead.

    Raises
    ------
    ConfigError
        ``probes``, ``membership_risk`` or a precomputed ``model.path`` joined on the id column, with the
        ``stream`` or ``spark`` engine.
    """
    if engine == "pandas":
        return
    if config.probes is not None:
        raise ConfigError(
            f"probes score edited copies of the texts in memory, which the {engine} engine does not hold; set data.engine: "
            "pandas for an audit with probes, or remove the probes section."
        )
    if config.membership_risk is not None:
        raise ConfigError(
            f"membership_risk scores the member and non-member files in memory, with the model the in-memory engine loads, "
            f"not the {engine} engine; set data.engine: pandas for an audit with membership_risk, or remove the membership_risk section."
        )
    model = config.model
    if isinstance(model, PrecomputedModelConfig) and model.path is not None:
        raise ConfigError(
            f"model.path joins a predictions file on the id column, which the {engine} engine does not do; put the "
            "predictions in columns of the data (model.score_column / decision_column), or set data.engine: pandas."
        )
