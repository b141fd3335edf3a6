"""pytest plugin: every gate of an ethicscheck audit becomes a test item.

- ``pytest --ethicscheck configs/audit.yaml`` runs that audit (alone, unless test paths are given too);
- files named ``ethicscheck*.yaml`` in the test paths are collected automatically;
- ``--ethicscheck-out DIR`` puts the reports under DIR/<name>; ``--ethicscheck-no-tracking`` skips MLflow.

A failed gate fails its test with the gate's message (metric, group, value, CI, limit, mode); so does a
gate with no evidence to judge ("insufficient evidence": never a pass); a warning passes and shows its
message in the report.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

__all__ = ["AuditFile", "GateItem", "GateFailure"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ethicscheck", "ethicscheck audits as tests")
    group.addoption(
        "--ethicscheck",
        action="append",
        default=[],
        metavar="CONFIG",
        help="Run the ethicscheck audit in CONFIG; each gate becomes a test.",
    )
    group.addoption("--ethicscheck-out", default=None, metavar="DIR", help="Folder for audit reports (default: each config's own).")
    group.addoption("--ethicscheck-no-tracking", action="store_true", help="Do not log the audits to MLflow.")


def pytest_configure(config: pytest.Config) -> None:
    configs = config.getoption("ethicscheck")
    if not configs:
        return
    for path in configs:
        if not Path(path).is_file():
            raise pytest.UsageError(f"--ethicscheck {path}: no such config file")
    # `pytest --ethicscheck x.yaml` alone runs the audits, not the whole test suite as well.
    explicit = config.option.file_or_dir or []
    config.args = [*explicit, *configs] if explicit else list(configs)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    requested = {str(Path(p).resolve()) for p in parent.config.getoption("ethicscheck")}
    is_audit = file_path.suffix in (".yaml", ".yml") and file_path.name.startswith("ethicscheck")
    if is_audit or str(file_path.resolve()) in requested:
        return AuditFile.from_parent(parent, path=file_path)
    return None


class GateFailure(Exception):
    """A gate failed; the message is the gate's."""


class AuditFile(pytest.File):
    """An audit config: collecting it runs the audit and yields one item per gate and scope."""

    def collect(self):  # type: ignore[no-untyped-def]
        from ethicscheck.audit import run_audit
        from ethicscheck.config import load_config
        from ethicscheck.errors import EthicsCheckError

        options = self.config
        overrides = {"tracking": {"enabled": False}} if options.getoption("ethicscheck_no_tracking") else None
        try:
            audit_config = load_config(self.path, overrides=overrides)
            out_root = options.getoption("ethicscheck_out")
            out_dir = Path(out_root) / audit_config.name if out_root else None
            outcome = run_audit(audit_config, out_dir=out_dir, config_dir=self.path.parent)
        except EthicsCheckError as exc:
            raise self.CollectError(f"ethicscheck audit {self.path.name} could not run: {exc}") from None
        if not outcome.result.verdict.outcomes:
            yield GateItem.from_parent(self, name="no gates configured", gate_outcome=None)
        for gate_outcome in outcome.result.verdict.outcomes:
            yield GateItem.from_parent(self, name=f"{gate_outcome.gate} [{gate_outcome.feature}]", gate_outcome=gate_outcome)


class GateItem(pytest.Item):
    """One gate applied to one scope."""

    def __init__(self, *, gate_outcome: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate_outcome = gate_outcome

    def runtest(self) -> None:
        outcome = self.gate_outcome
        if outcome is None:
            return
        if outcome.status == "fail":
            raise GateFailure(f"{outcome.gate}: {outcome.message}")
        if outcome.status == "insufficient":
            raise GateFailure(f"{outcome.gate}: {outcome.message}")
        if outcome.status == "warn":
            warnings.warn(f"ethicscheck gate warning: {outcome.gate}: {outcome.message}", UserWarning, stacklevel=1)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, GateFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"ethicscheck gate: {self.name}"
