"""Loading and validating labeled evaluation data (CSV, Parquet, JSONL)."""

from ethicscheck.data._dataset import (
    Dataset,
    binary_labels,
    configured_columns,
    dataset_from_frame,
    frame_digest,
    load_dataset,
    missing_labels,
    missing_sensitive,
    no_positive,
    not_binary,
    read_options,
    require_columns,
)
from ethicscheck.data._filter import FilterStep, apply_filter, no_row_left
from ethicscheck.data._read import ReadOptions, detect_format, file_sha256, path_sha256, read_batches, read_column, read_columns, read_table

__all__ = [
    "Dataset",
    "FilterStep",
    "ReadOptions",
    "apply_filter",
    "binary_labels",
    "configured_columns",
    "dataset_from_frame",
    "detect_format",
    "file_sha256",
    "frame_digest",
    "load_dataset",
    "missing_labels",
    "missing_sensitive",
    "no_positive",
    "no_row_left",
    "not_binary",
    "path_sha256",
    "read_batches",
    "read_column",
    "read_columns",
    "read_options",
    "read_table",
    "require_columns",
]
