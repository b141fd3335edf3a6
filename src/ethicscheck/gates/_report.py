"""What CI systems show: JUnit XML (one test case per gate and scope) and a Markdown summary."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

from ethicscheck.gates._evaluate import Verdict

__all__ = ["write_junit", "summary_markdown", "publish_summary"]

_ICON = {"pass": "✅ pass", "fail": "❌ fail", "warn": "⚠️ warn", "insufficient": "❔ insufficient evidence"}


def write_junit(verdict: Verdict, path: Path, *, suite: str) -> Path:
    """JUnit XML that CI systems read: ``testsuite`` / ``testcase`` / ``failure`` / ``error``.

    A failed error gate is a ``failure``; a gate that could not be judged for lack of evidence is an
    ``error`` of type ``insufficient evidence`` (never a pass, never silently skipped); a warning passes
    but carries its message in ``system-out``. The suite's ``verdict`` property holds the verdict.
    """
    outcomes = verdict.outcomes
    root = ET.Element(
        "testsuite",
        name=f"ethicscheck.{suite}",
        tests=str(len(outcomes)),
        failures=str(sum(o.status == "fail" for o in outcomes)),
        errors=str(sum(o.status == "insufficient" for o in outcomes)),
        skipped="0",
    )
    properties = ET.SubElement(root, "properties")
    ET.SubElement(properties, "property", name="verdict", value=verdict.label)
    for outcome in outcomes:
        case = ET.SubElement(root, "testcase", classname=f"ethicscheck.{suite}.{outcome.feature}", name=outcome.gate, time="0")
        if outcome.status == "fail":
            failure = ET.SubElement(case, "failure", message=outcome.message, type=f"{outcome.metric} ({outcome.mode})")
            failure.text = outcome.message
        elif outcome.status == "insufficient":
            error = ET.SubElement(case, "error", message=outcome.message, type="insufficient evidence")
            error.text = outcome.message
        elif outcome.status == "warn":
            ET.SubElement(case, "system-out").text = f"WARNING: {outcome.message}"
    ET.indent(root)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return path


def summary_markdown(verdict: Verdict, *, audit: str) -> str:
    """A short Markdown summary for a CI job page.

    CI summary pages render Markdown *and* raw HTML, so every user string (group and feature names
    inside gate messages) is escaped: ``<script>`` in a group name shows as text. Pass the published
    verdict (small groups already left out), as the audit does.
    """
    lines = [f"### ethicscheck audit “{markdown_text(audit)}”: {verdict.label}", ""]
    if verdict.decisions:
        lines += [f"**No evidence about groups:** {markdown_text(str(verdict.decisions))}; no fairness gate can pass.", ""]
    if not verdict.outcomes:
        lines.append("No gates were configured.")
        return "\n".join(lines) + "\n"
    lines += ["| result | gate | scope | detail |", "|---|---|---|---|"]
    for o in verdict.outcomes:
        lines.append(f"| {_ICON[o.status]} | {markdown_text(o.gate)} | {markdown_text(o.feature)} | {markdown_text(o.message)} |")
    return "\n".join(lines) + "\n"


# Backslash, code, emphasis, links and table pipes; an underscore inside a word (fnr_spread) is left
# alone, as GitHub's Markdown leaves it.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]|])")


def markdown_text(text: str) -> str:
    """``text`` shown literally in a Markdown table cell: HTML escaped, Markdown syntax and pipes backslashed."""
    escaped = html.escape(text.replace("\n", " "), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def publish_summary(markdown: str, folder: Path, *, step_summary: bool = True) -> list[Path]:
    """Write ``summary.md`` and, unless told not to, append it to ``$GITHUB_STEP_SUMMARY`` when set.

    Call with ``step_summary=True`` once per audit, for its final verdict: the step summary is appended to.
    """
    written = [folder / "summary.md"]
    written[0].write_text(markdown, encoding="utf-8")
    target = os.environ.get("GITHUB_STEP_SUMMARY") if step_summary else None
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
        written.append(Path(target))
    return written
