"""The report's self-scan: ethicscheck's `find_leaks` against the straightforward scan of the same report, side by side.

Two audits as `bench_audit.py` runs them (tracking off): the 1M-row precomputed audit (no input values) and the demo
config on 10,000 synthetic ads with the personal-data scan on (the values it found are looked for in the report). Their
report files and input values, as the audit hands them to the self-scan, are then scanned by:

- **ethicscheck**: `privacy.find_leaks` — one Aho-Corasick pass per file for the input values, each piece a reader sees
  as one (JSON string, table cell, paragraph, chart label) scanned on its own, each distinct text once;
- **reference**: one substring search per input value per file (`value in text`), and the recognizers run on every
  piece, every time it occurs;
- **joined (before)**: the recognizer pass as it was before pieces were scanned apart (the pieces of a file joined into
  one text; its findings differ by design: cells could join into one number), for the time only.

ethicscheck and the reference must find the same leaks (asserted). CPU seconds of the self-scan only, warm scanner
(an audit builds it before its inputs are checked).

    python benchmarks/bench_self_scan.py [--rows 1000000] [--ads 10000] [--out benchmarks/results/self_scan.md]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from _common import machine
from bench_audit import precomputed_inputs, privacy_inputs

from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
from ethicscheck.privacy import find_leaks
from ethicscheck.privacy._artifacts import INPUT_VALUE, MIN_VALUE_LENGTH, Leak, _blank_ids, _findings, _pieces, _scanner


def captured_report(config_path: Path, folder: Path) -> tuple[list[Path], set[str]]:
    """Run the audit of ``config_path`` (tracking off); copy the files and input values its self-scan was given."""
    import ethicscheck._personal_data as publication
    from ethicscheck.audit import run_audit
    from ethicscheck.config import config_from_dict

    raw = yaml.safe_load(config_path.read_text())
    raw["tracking"] = {"enabled": False}
    seen: dict[str, Any] = {}
    scan = publication.find_leaks

    def capture(files: Any, *, known_values: set[str], **options: Any) -> Any:
        if not seen:
            copies = folder / "scanned"
            copies.mkdir()
            seen["files"] = [Path(shutil.copy(path, copies / path.name)) for path in files]
            seen["values"] = set(known_values)
        return scan(files, known_values=known_values, **options)

    publication.find_leaks = capture  # type: ignore[assignment]
    try:
        run_audit(config_from_dict(raw), out_dir=folder / "report")
    finally:
        publication.find_leaks = scan  # type: ignore[assignment]
    return seen["files"], seen["values"]


def reference(files: list[Path], values: set[str]) -> set[tuple[str, str, str]]:
    """The straightforward scan: every piece occurrence through the recognizers, every value searched on its own."""
    scanner = _scanner(DEFAULT_PHONE_REGIONS)
    leaks = set()
    for path in files:
        raw = path.read_text(encoding="utf-8", errors="replace")
        for text, place in _pieces(path, raw):
            leaks.update((place, entity_type, value) for entity_type, value in _findings(scanner, text))
        leaks.update((path.name, INPUT_VALUE, value) for value in values if len(value) >= MIN_VALUE_LENGTH and value in raw)
    return leaks


def joined(files: list[Path]) -> int:
    """The recognizer pass before pieces were scanned apart: one text per file, pieces joined by a line holding a word."""
    scanner = _scanner(DEFAULT_PHONE_REGIONS)
    found = 0
    for path in files:
        pieces = _pieces(path, path.read_text(encoding="utf-8", errors="replace"))
        found += len(scanner.analyze(_blank_ids("\nqz\n".join(text for text, _ in pieces))))
    return found


def cpu(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """CPU seconds of one call, and its result."""
    start = time.process_time()
    result = function(*args, **kwargs)
    return time.process_time() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="Rows of the precomputed audit.")
    parser.add_argument("--ads", type=int, default=10_000, help="Ads of the audit with the personal-data scan on.")
    parser.add_argument("--data", type=Path, default=None, help="Folder for the generated inputs (kept); a temporary one by default.")
    parser.add_argument("--out", type=Path, default=None, help="Also write the table as Markdown here.")
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.mkdtemp(prefix="bench_self_scan_"))
    data.mkdir(parents=True, exist_ok=True)
    _scanner(DEFAULT_PHONE_REGIONS).analyze("warm up: call 0770 090 0123")
    audits = {
        f"{args.rows:,}-row precomputed audit": precomputed_inputs(data, args.rows),
        f"{args.ads:,} ads, personal-data scan on": privacy_inputs(data, args.ads, 1),
    }
    rows = []
    for name, config in audits.items():
        work = Path(tempfile.mkdtemp(prefix="report_", dir=data))
        files, values = captured_report(config, work)
        size = sum(path.stat().st_size for path in files)
        ours, (scan, leaks) = cpu(find_leaks, files, known_values=values)
        theirs, expected = cpu(reference, files, values)
        before, _ = cpu(joined, files)
        got = {(leak.place, leak.entity_type, leak.value) for leak in leaks}
        assert got == expected, f"{name}: find_leaks and the reference differ: {sorted(got ^ expected)[:5]}"
        assert isinstance(leaks, tuple) and all(isinstance(leak, Leak) for leak in leaks)
        rows.append((name, len(files), size, len(values), len(leaks), ours, theirs, before))
        print(f"{name}: {len(files)} files, {size / 1e6:.2f} MB, {len(values):,} input values, {len(leaks)} leaks", file=sys.stderr)
    lines = [
        "# The report's self-scan",
        "",
        f"`python benchmarks/bench_self_scan.py --rows {args.rows} --ads {args.ads}` · {machine()}",
        "",
        "CPU seconds of the self-scan of one report (the files and input values the audit hands it). Reference: one substring",
        "search per input value per file, the recognizers on every piece occurrence. Joined: the recognizer pass before pieces",
        "were scanned apart (time only; it read table cells as one text). ethicscheck and the reference find the same leaks.",
        "",
        "| report | files | MB | input values | leaks | ethicscheck CPU s | reference CPU s | ratio | joined (before) CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, n_files, size, n_values, n_leaks, ours, theirs, before in rows:
        lines.append(
            f"| {name} | {n_files} | {size / 1e6:.2f} | {n_values:,} | {n_leaks} | {ours:.2f} | {theirs:.2f} | "
            f"{theirs / max(ours, 1e-9):.1f}x | {before:.2f} |"
        )
    print("\n".join(lines))
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n")
    if args.data is None:
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
