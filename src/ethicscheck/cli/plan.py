"""``ethicscheck plan``: how many labeled rows each group needs before an audit can see a given disparity."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ethicscheck.cli._console import out, print_json
from ethicscheck.errors import ConfigError

if TYPE_CHECKING:  # the fairness engine is imported when the command runs, so `--help` stays fast
    from ethicscheck.fairness import AuditPlan, GroupPlan, SampleSize

__all__ = ["plan"]

_GROUP = re.compile(r"^(?P<name>[^=]+)=(?P<negative>\d+)/(?P<positive>\d+)$")


def plan(
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Audit config: its data's groups and label counts.")] = None,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", help="Or give groups yourself: NAME=NEGATIVES/POSITIVES (labeled rows of each label); repeat it."),
    ] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="With --group: the reference group (default: the largest).")] = None,
    fpr: Annotated[float, typer.Option("--fpr", min=0.0, max=1.0, help="False-positive rate expected on the reference group.")] = 0.05,
    fnr: Annotated[float, typer.Option("--fnr", min=0.0, max=1.0, help="False-negative rate expected on the reference group.")] = 0.20,
    ratio: Annotated[float | None, typer.Option("--ratio", help="Disparity to detect (default: fairness.planning_ratio, 1.25).")] = None,
    power: Annotated[float | None, typer.Option("--power", help="Power (default: fairness.power, 0.8).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the plan as JSON on stdout.")] = False,
) -> int:
    """Print, per group, the labeled rows an audit needs to detect a target ratio with the chosen power (no model needed)."""
    from ethicscheck.fairness import AuditPlan, plan_groups

    if ratio is not None and not ratio > 1:
        raise ConfigError(f"--ratio {ratio:g}: the disparity to detect is a ratio above 1 (e.g. --ratio 1.25).")
    if power is not None and not 0.5 < power < 1:
        raise ConfigError(f"--power {power:g}: power is a probability between 0.5 and 1 (e.g. --power 0.8).")
    if (config is None) == (not group):
        raise ConfigError("Pass --config FILE (groups from its data) or at least one --group NAME=NEGATIVES/POSITIVES, not both.")
    if config is not None:
        result = _from_config(config, fpr=fpr, fnr=fnr, ratio=ratio, power=power)
    else:
        sizes = [_parsed(text) for text in group or []]
        names = [name for name, _ in sizes]
        if reference is not None and reference not in names:
            raise ConfigError(f"--reference '{reference}' is not one of the --group names: {', '.join(names)}.")
        index = names.index(reference) if reference is not None else max(range(len(sizes)), key=lambda i: sum(sizes[i][1]))
        ratio, power = ratio or 1.25, power or 0.8
        groups = plan_groups("groups", sizes, index, reference_fpr=fpr, reference_fnr=fnr, ratio=ratio, power=power)
        result = AuditPlan(
            ratio=ratio, power=power, alpha=0.05, reference_fpr=fpr, reference_fnr=fnr, min_group_size=30, groups=tuple(groups)
        )
    if json_output:
        print_json(result.to_dict())
    else:
        _print(result)
    return 0


def _from_config(path: Path, *, fpr: float, fnr: float, ratio: float | None, power: float | None) -> AuditPlan:
    from ethicscheck._adapters import plan_configured
    from ethicscheck.config import load_config
    from ethicscheck.data import load_dataset

    config = load_config(path)
    fairness = config.fairness.model_copy(update={k: v for k, v in (("planning_ratio", ratio), ("power", power)) if v is not None})
    dataset = load_dataset(config)
    return plan_configured(config.data, fairness, dataset.frame, dataset.y_true, reference_fpr=fpr, reference_fnr=fnr)


def _parsed(text: str) -> tuple[str, tuple[int, int]]:
    match = _GROUP.match(text.strip())
    if match is None:
        raise ConfigError(f"--group '{text}': expected NAME=NEGATIVES/POSITIVES, e.g. --group Nepali=58/12.")
    return match["name"].strip(), (int(match["negative"]), int(match["positive"]))


def _print(result: AuditPlan) -> None:
    out.print(
        f"Labeled rows needed to detect a {result.ratio:g}x false-positive or false-negative rate with {result.power:.0%} power "
        f"(alpha {result.alpha:g}, Holm over each feature's groups), assuming the reference group's false-positive rate is "
        f"{result.reference_fpr:.1%} and its false-negative rate {result.reference_fnr:.1%} (--fpr, --fnr).",
        markup=False,
    )
    features: dict[str, list[GroupPlan]] = {}
    for g in result.groups:
        features.setdefault(g.feature, []).append(g)
    for name, groups in features.items():
        table = Table(title=name, title_justify="left")
        for column in ("group", "labeled now (neg/pos)", "negatives for FPR", "positives for FNR", "labeled needed", "still to label"):
            table.add_column(column, justify="left" if column == "group" else "right")
        for g in groups:
            now = f"{g.n_negative:,}/{g.n_positive:,}"
            if g.is_reference:
                table.add_row(f"{g.group} (reference)", now, "", "", _count(g.labeled_needed), _count(g.still_to_label))
                continue
            table.add_row(g.group, now, _needed(g.fpr), _needed(g.fnr), _count(g.labeled_needed), _count(g.still_to_label))
        out.print(table)
    out.print(
        "Each group is compared with its feature's reference group; where the reference is too small for any group size to show "
        "the difference, the plan grows it with the group (its row says how many it needs). 'labeled needed' keeps each group's "
        "current mix of labels.",
        markup=False,
    )


def _needed(size: SampleSize | None) -> str:
    return "—" if size is None or size.n is None else f"{size.n:,}"


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
