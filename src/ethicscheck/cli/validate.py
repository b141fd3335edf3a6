"""``ethicscheck validate``: check a config for everything that can be known without scoring."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli._console import error, out, print_json

__all__ = ["validate"]


def validate(
    config: Annotated[Path, typer.Argument(help="YAML audit or comparison config (recognised by its fields).")],
    load_model: Annotated[
        bool, typer.Option("--load-model", help="Also load the model (runs its code for callables and pickled models).")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")] = False,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI, for --load-model.")] = None,
) -> int:
    """Check schema, files, columns, label values, gate scopes and metrics; exit 2 listing every problem."""
    from ethicscheck.validation import validate_file

    report = validate_file(config, load_model=load_model, tracking_uri=tracking_uri)
    if json_output:
        print_json(report.to_dict())
    elif report.valid:
        out.print(f"{config}: valid {report.kind} config ({report.summary}; checked: {', '.join(report.checked)})", markup=False)
    else:
        for problem in report.problems:
            error(problem)
        error(f"{config}: {len(report.problems)} problem(s); nothing was scored.")
    return 0 if report.valid else 2
