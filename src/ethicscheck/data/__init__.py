"""Loading and validating labeled evaluation data (CSV, Parquet, JSONL)."""

from ethicscheck.data._dataset import (
    Dataset,
    binary_labels,
    configured_columns,
    dataset_from_frame,
    frame_digest,
    load_dataset,
    require_columns,
)
from ethicscheck.data._read import detect_format, file_sha256, read_column, read_columns, read_table

__all__ = [
    "Dataset",
    "binary_labels",
    "configured_columns",
    "dataset_from_frame",
    "detect_format",
    "file_sha256",
    "frame_digest",
    "load_dataset",
    "read_column",
    "read_columns",
    "read_table",
    "require_columns",
]
