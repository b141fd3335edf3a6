"""Validate a config without scoring: schema, files, columns, label values, gate scopes and metrics, model files."""

from ethicscheck.validation._checks import ValidationReport, feature_names, validate_file

__all__ = ["ValidationReport", "feature_names", "validate_file"]
