"""Privacy scanning: an offline Presidio engine and an inventory of personal data in evaluation text."""

from ethicscheck.privacy._engine import (
    NER_ONLY_ENTITIES,
    offline_analyzer,
    undetectable_entities,
)
from ethicscheck.privacy._result import (
    ColumnScan,
    EntityInventory,
    GroupShare,
    PrivacyResult,
)
from ethicscheck.privacy._scan import find_entities, scan_texts

__all__ = [
    "NER_ONLY_ENTITIES",
    "ColumnScan",
    "EntityInventory",
    "GroupShare",
    "PrivacyResult",
    "find_entities",
    "offline_analyzer",
    "scan_texts",
    "undetectable_entities",
]
