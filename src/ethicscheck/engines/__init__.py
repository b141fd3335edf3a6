"""Engines: how an audit's rows are read and reduced to the statistics it reports.

``pandas`` holds the rows in memory; ``stream`` reads record batches of a Parquet file or folder or a
CSV and keeps only counts, so memory follows the batch size, not the row count; ``spark`` runs the
stream engine's batch steps in Spark partitions and brings only statistics to the driver. Every engine produces
the same :class:`Measured` (the same audit.json, apart from timings and the engine's provenance).
"""

from __future__ import annotations

from pathlib import Path

from ethicscheck.config import DataConfig
from ethicscheck.engines._measured import EngineName, Measured
from ethicscheck.engines._spark import spark_measure, spark_session
from ethicscheck.engines._stream import stream_measure

__all__ = ["STREAM_ABOVE_BYTES", "EngineName", "Measured", "choose_engine", "spark_measure", "spark_session", "stream_measure"]

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
