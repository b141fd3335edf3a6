"""The slots of a probe template (``probes.templates``), checked when the config is read."""

from __future__ import annotations

import re

__all__ = ["PROBE_TEXT_SLOT", "PROBE_SLOT", "PROBE_TERM_SLOT", "probe_template_problems"]

#: Where a template puts the text.
PROBE_TEXT_SLOT = "{text}"
#: Any slot: ``{text}``, ``{nationality}``, ``{nationality:noun_pl}``.
PROBE_SLOT = re.compile(r"\{([^{}]*)\}")
#: A term slot: a lexicon name and, optionally, the form the term takes there.
PROBE_TERM_SLOT = re.compile(r"^(?P<lexicon>[A-Za-z_][\w-]*)(?::(?P<form>\w+))?$")


def probe_template_problems(template: str) -> list[str]:
    """What is wrong with a template's slots (empty when nothing is)."""
    slots = PROBE_SLOT.findall(template)
    stray = PROBE_SLOT.sub("", template)
    problems = []
    if "{" in stray or "}" in stray:
        problems.append("a brace outside a slot (slots are {text} and {<lexicon>} or {<lexicon>:<form>})")
    if slots.count("text") != 1:
        problems.append(f"{PROBE_TEXT_SLOT} must appear exactly once (found {slots.count('text')} times)")
    terms = [s for s in slots if s != "text"]
    if len(terms) != 1 or PROBE_TERM_SLOT.match(terms[0]) is None:
        problems.append(f"it needs exactly one term slot such as {{nationality}} or {{nationality:noun_pl}} (found {len(terms)})")
    return problems
