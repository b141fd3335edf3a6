"""The demo comparison (configs/compare_demo.yaml: 20k synthetic ads, every built-in candidate, 3 seeds),
end to end as `ethicscheck compare` runs it: target <= 5 minutes on this machine. Prints Markdown."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

from ethicscheck.compare import load_compare_config, run_comparison  # noqa: E402
from ethicscheck.compare._report import attack_table, comparison_findings, comparison_table, per_seed_table, write_comparison  # noqa: E402
from ethicscheck.compare._tracking import log_comparison  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    config = load_compare_config(REPO / "configs" / "compare_demo.yaml")
    start = time.perf_counter()
    result = run_comparison(config)
    computed = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        files = write_comparison(result, Path(folder))
        log_comparison(result, tracking_uri=f"sqlite:///{folder}/mlflow.db", experiment="bench", artifacts=list(files.values()))
    total = time.perf_counter() - start
    per_candidate = {s.candidate: s.pooled["fit_seconds"] for s in result.summaries}
    rows = comparison_table(result)
    print("# Mitigation comparison benchmark\n")
    print(f"Machine: {machine()}\n")
    print(
        f"`configs/compare_demo.yaml`: {result.data['rows']:,} synthetic ads, {len(result.summaries)} candidates, seeds "
        f"{list(result.seeds)}, "
        f"{result.runs[0].n_train:,} training / {result.runs[0].n_test:,} held-out rows per seed.\n"
    )
    print("| stage | seconds |\n|---|---:|")
    print(f"| train + evaluate + attack every candidate and seed | {computed:.1f} |")
    print(f"| report files + MLflow parent and {len(result.runs)} child runs | {total - computed:.1f} |")
    print(f"| **total** (target <= 300) | **{total:.1f}** |\n")
    slowest = sorted(per_candidate.items(), key=lambda item: -(item[1] or 0))[:3]
    print(
        "Slowest fits (mean per seed, without shadow models): " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest) + ".\n"
    )
    print("## Findings\n")
    for finding in comparison_findings(result):
        print(f"- {finding}")
    for title, table in (("Table", rows), ("Per seed", per_seed_table(result)), ("Membership inference", attack_table(result))):
        print(f"\n## {title}\n")
        header = list(table[0])
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for row in table:
            print("| " + " | ".join(row[h].replace("|", "\\|") for h in header) + " |")


if __name__ == "__main__":
    main()
