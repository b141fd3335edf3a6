"""Privacy scanning: an offline Presidio engine with anti-trafficking recognizers, input/output/artifact
scans, redaction and span-level evaluation."""

from ethicscheck.privacy._artifacts import ARTIFACT_ENTITIES, Leak, contact_finder, find_leaks, scan_artifacts, scan_strings
from ethicscheck.privacy._engine import DEFAULT_ENTITIES, NER_ONLY_ENTITIES, offline_analyzer, resolve_overlaps, undetectable_entities
from ethicscheck.privacy._evaluate import EntityScores, FalseAlarms, SliceScores, SpanEvaluation, SpanScores, evaluate_records
from ethicscheck.privacy._goldset import GoldRecord, GoldSpan, load_gold, parse_mapping, records_from_generator
from ethicscheck.privacy._merge import merge_scans
from ethicscheck.privacy._quality import DetectionQuality, MeasuredSet, measured_quality
from ethicscheck.privacy._redact import redact, snippet
from ethicscheck.privacy._result import ArtifactScan, ColumnScan, EntityInventory, GroupShare, OutputScan, PrivacyResult
from ethicscheck.privacy._scan import FoundSpan, ScanOptions, find_entities, normalized_value, scan_texts
from ethicscheck.privacy._scanner import Scanner

__all__ = [
    "merge_scans",
    "ARTIFACT_ENTITIES",
    "DEFAULT_ENTITIES",
    "NER_ONLY_ENTITIES",
    "ArtifactScan",
    "EntityScores",
    "FalseAlarms",
    "FoundSpan",
    "GoldRecord",
    "GoldSpan",
    "SliceScores",
    "ColumnScan",
    "DetectionQuality",
    "EntityInventory",
    "GroupShare",
    "Leak",
    "MeasuredSet",
    "OutputScan",
    "PrivacyResult",
    "ScanOptions",
    "Scanner",
    "SpanEvaluation",
    "SpanScores",
    "contact_finder",
    "evaluate_records",
    "find_leaks",
    "find_entities",
    "load_gold",
    "measured_quality",
    "parse_mapping",
    "records_from_generator",
    "normalized_value",
    "offline_analyzer",
    "redact",
    "resolve_overlaps",
    "scan_artifacts",
    "scan_strings",
    "scan_texts",
    "snippet",
    "undetectable_entities",
]
