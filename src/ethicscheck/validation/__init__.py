"""Validate a config without scoring: schema, files, columns, label values, gate scopes and metrics, model files."""

from ethicscheck.validation._checks import ValidationReport, validate_file

__all__ = ["ValidationReport", "validate_file"]
