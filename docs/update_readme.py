"""Write the demo's top finding into README.md, between its demo-finding markers.

Run by ``make example`` after the demo: ``python docs/update_readme.py build/example/audit.json README.md``.
``tests/cli/test_cli.py`` checks that the README's quote is what the demo produces.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from ethicscheck.cards import top_finding
from ethicscheck.result import AuditResult

START, END = "<!-- demo-finding", "<!-- /demo-finding -->"


def main(audit_json: Path, readme: Path) -> None:
    finding = top_finding(AuditResult.read_json(audit_json))
    if finding is None:
        raise SystemExit(f"{audit_json}: the demo has no finding to quote")
    quote = "\n".join("> " + line for line in textwrap.wrap(finding.text, width=106))
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(rf"({re.escape(START)}[^\n]*-->\n).*?(\n{re.escape(END)})", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{readme}: no '{START} ... -->' / '{END}' markers")
    readme.write_text(pattern.sub(lambda m: m.group(1) + quote + m.group(2), text), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
