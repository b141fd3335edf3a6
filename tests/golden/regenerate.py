"""Rewrite the golden files after a change that alters the published JSON on purpose.

Run from the repository root: ``make fixtures`` (or ``.venv/bin/python -m tests.golden.regenerate``),
then read the diff (``git diff tests/golden``) and say in the commit message why it changed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ethicscheck.synth import build_demo_inputs
from tests.golden.documents import FILES, comparison_document, demo_documents, dumps


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = build_demo_inputs(folder / "inputs")
        documents = {**demo_documents(folder, inputs.eval_path, inputs.model_path), "comparison.json": comparison_document(folder)}
    for name, document in documents.items():
        FILES[name].write_text(dumps(document), encoding="utf-8")
        print(f"wrote {FILES[name].relative_to(Path.cwd()) if FILES[name].is_relative_to(Path.cwd()) else FILES[name]}")


if __name__ == "__main__":
    main()
