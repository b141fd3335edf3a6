"""The ``ethicscheck`` command: parse, call the library, map errors to exit codes.

Exit codes: 0 every gate passed; 1 a gate failed; 2 bad usage, config, data or model (one line
naming the file, field or column); anything else is a bug.
"""

from __future__ import annotations

import gc
import logging
import sys
import warnings
from typing import Annotated, TextIO

import typer

from ethicscheck import __version__
from ethicscheck.cli import audit as audit_cmd
from ethicscheck.cli import card as card_cmd
from ethicscheck.cli import compare as compare_cmd
from ethicscheck.cli import demo as demo_cmd
from ethicscheck.cli import history as history_cmd
from ethicscheck.cli import log as log_cmd
from ethicscheck.cli import pii_eval as pii_eval_cmd
from ethicscheck.cli import plan as plan_cmd
from ethicscheck.cli import probe as probe_cmd
from ethicscheck.cli import schema as schema_cmd
from ethicscheck.cli import validate as validate_cmd
from ethicscheck.cli._console import error, warning
from ethicscheck.cli._errors import EXIT_USAGE, report_failure
from ethicscheck.errors import EthicsCheckDeprecationWarning

__all__ = ["app", "command", "main"]

app = typer.Typer(
    name="ethicscheck",
    help="Audit anti-trafficking detection models for false positives by group and personal-data leakage.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # `ethicscheck --install-completion` / `--show-completion` (bash, zsh, fish, PowerShell): typer's own.
    add_completion=True,
    # Plain click help: the rich layout prints a type for every flag ("--no-tracking <bool>").
    rich_markup_mode=None,
)
app.command("audit")(audit_cmd.audit)
app.command("demo")(demo_cmd.demo)
app.command("validate")(validate_cmd.validate)
app.command("schema")(schema_cmd.schema)
app.command("log")(log_cmd.log)
app.command("card")(card_cmd.card)
app.command("history")(history_cmd.history)
app.command("pii-eval")(pii_eval_cmd.pii_eval)
app.command("compare")(compare_cmd.compare)
app.command("probe")(probe_cmd.probe)
app.command("plan")(plan_cmd.plan)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ethicscheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Audit anti-trafficking detection models for false positives by group and personal-data leakage."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point; exits 0/1 by the gates, 2 for anything the user or environment must fix, 130 on Ctrl-C.

    A bug in ethicscheck also exits 2 (never 1, which means "a gate failed"), with its traceback
    saved to a file whose path is printed.
    """
    logging.getLogger("mlflow").setLevel(logging.WARNING)  # its INFO lines (table creation) are noise here
    _show_deprecations_as_warning_lines()
    try:
        code = app(args=argv, standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):
        error("interrupted")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors (typer ships its own click)
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            error(str(exc))
        sys.exit(EXIT_USAGE)
    except SystemExit:
        raise
    except Exception as exc:
        error(report_failure(exc))
        sys.exit(EXIT_USAGE)
    if code == 130:  # typer turns Ctrl-C inside a command into Exit(130)
        error("interrupted")
    sys.exit(code if isinstance(code, int) else 0)


def command() -> None:
    """The ``ethicscheck`` command (the console script, ``python -m ethicscheck.cli.main``): :func:`main`, in a process
    that ends when it returns.

    The objects left at the end are not collected one by one on the way out: frozen (``gc.freeze``), they are skipped
    by the interpreter's last collection, which after an audit read every module of presidio, spaCy, scikit-learn and
    MLflow and the audit's data (~1.4 s of a 100,000-ad audit). Everything the command writes is closed by then; exit
    handlers still run and the output streams are flushed, as on any exit.
    """
    try:
        main()
    finally:
        gc.freeze()


def _show_deprecations_as_warning_lines() -> None:
    """An old setting name is printed as one 'warning:' line, not as Python's file:line warning format."""
    python_way = warnings.showwarning

    def show(
        message: Warning | str, category: type[Warning], filename: str, lineno: int, file: TextIO | None = None, line: str | None = None
    ) -> None:
        if issubclass(category, EthicsCheckDeprecationWarning):
            warning(str(message))
        else:
            python_way(message, category, filename, lineno, file, line)

    warnings.showwarning = show


if __name__ == "__main__":
    command()
