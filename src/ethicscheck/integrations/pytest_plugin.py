"""pytest plugin: every gate of an ethicscheck audit becomes a test item.

Collection only reads the config (one item per gate and scope, named from the config); the audit runs
once per config file, in the test phase, when its first item runs. So ``pytest --collect-only`` scores
nothing and logs no MLflow run.

- ``pytest --ethicscheck configs/audit.yaml`` runs that audit (alone, unless test paths are given too);
- files named ``ethicscheck*.yaml`` in the test paths are collected automatically;
- ``--ethicscheck-out DIR`` puts the reports under DIR/<name>; ``--ethicscheck-no-tracking`` skips MLflow.

A failed gate fails its test with the gate's message (metric, group, value, CI, limit, mode); so does a
gate with no evidence to judge ("insufficient evidence": never a pass); a warning passes and shows its
message in the report.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

__all__ = ["AuditError", "AuditFile", "GateItem", "GateFailure"]


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
    """An audit config: collecting it reads the config and yields one item per gate and scope; the audit
    itself runs in the test phase, once, when the first item asks for its outcome."""

    def collect(self) -> Iterator[pytest.Item]:
        from ethicscheck.config import load_config
        from ethicscheck.errors import EthicsCheckError
        from ethicscheck.validation import validate_file

        # What `ethicscheck validate` checks (files, columns, labels, scopes) costs no scoring: a broken
        # config is one collection error listing every problem, before any audit runs.
        report = validate_file(self.path)
        if not report.valid:
            raise self.CollectError(f"ethicscheck audit {self.path.name} cannot run:\n" + "\n".join(report.problems))
        try:
            self.audit_config = load_config(self.path, overrides=self._overrides())
            self.scopes = _scopes(self.audit_config)
        except EthicsCheckError as exc:
            raise self.CollectError(f"ethicscheck audit {self.path.name} cannot run: {exc}") from None
        if not self.audit_config.gates:
            yield GateItem.from_parent(self, name="no gates configured", key=None)
        for index, scopes in enumerate(self.scopes):
            for position, scope in enumerate(scopes):
                yield GateItem.from_parent(self, name=f"{self.audit_config.gates[index].label} [{scope}]", key=(index, position))

    def _overrides(self) -> dict[str, Any] | None:
        return {"tracking": {"enabled": False}} if self.config.getoption("ethicscheck_no_tracking") else None

    def outcomes(self) -> list[list[Any]]:
        """Each gate's outcomes, one per scope, from the audit (run on the first call; a failure to run is
        remembered and given to every item of this file)."""
        if not hasattr(self, "_outcomes"):
            self._outcomes: list[list[Any]] | BaseException = self._run()
        if isinstance(self._outcomes, BaseException):
            raise self._outcomes
        return self._outcomes

    def _run(self) -> list[list[Any]] | BaseException:
        from ethicscheck.audit import run_audit
        from ethicscheck.errors import EthicsCheckError

        out_root = self.config.getoption("ethicscheck_out")
        out_dir = Path(out_root) / self.audit_config.name if out_root else None
        try:
            verdict = run_audit(self.audit_config, out_dir=out_dir, config_dir=self.path.parent).result.verdict
        except EthicsCheckError as exc:
            return AuditError(f"ethicscheck audit {self.path.name} could not run: {exc}")
        outcomes, start = [], 0
        for scopes in self.scopes:
            outcomes.append(list(verdict.outcomes[start : start + len(scopes)]))
            start += len(scopes)
        if start != len(verdict.outcomes):  # the scopes named at collection must be the ones judged
            return AuditError(f"ethicscheck audit {self.path.name}: {len(verdict.outcomes)} gate outcomes for {start} collected items")
        return outcomes


def _scopes(config: Any) -> list[list[str]]:
    """Every gate's scopes, from the config alone (the names the audit will give its features)."""
    from ethicscheck.gates import gate_scopes
    from ethicscheck.validation import feature_names

    singles, crossed = feature_names(config)
    return [gate_scopes(gate, singles, crossed, index=i) for i, gate in enumerate(config.gates)]


class AuditError(Exception):
    """The audit behind a file's items could not run; every item fails with this message."""


class GateItem(pytest.Item):
    """One gate applied to one scope."""

    def __init__(self, *, key: tuple[int, int] | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key

    def runtest(self) -> None:
        if self.key is None:
            return
        index, position = self.key
        audit_file = self.parent
        assert isinstance(audit_file, AuditFile)
        outcome = audit_file.outcomes()[index][position]
        if outcome.status == "fail":
            raise GateFailure(f"{outcome.gate}: {outcome.message}")
        if outcome.status == "insufficient":
            raise GateFailure(f"{outcome.gate}: insufficient evidence: {outcome.message}")
        if outcome.status == "warn":
            warnings.warn(f"ethicscheck gate warning: {outcome.gate}: {outcome.message}", UserWarning, stacklevel=1)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, (GateFailure, AuditError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"ethicscheck gate: {self.name}"
