"""Write the demo's figures that README.md quotes, between their markers, from the demo's audit.json.

Run by ``make example`` after the demo: ``python docs/update_readme.py build/example/audit.json README.md``.
Each quote sits between ``<!-- demo-<name> ... -->`` and ``<!-- /demo-<name> -->`` and is written by the
function of that name below, from the same code that writes the card, so no README figure of the demo is
typed by hand. ``tests/cli/test_cli.py`` checks every quote against an audit of the demo config
(:func:`stale_quotes`).
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from ethicscheck.cards import detectable_sentences, publishable, top_finding
from ethicscheck.cards._reasons import gate_reasons
from ethicscheck.config import CardConfig, FairnessConfig
from ethicscheck.fairness import FeatureResult, plan_groups
from ethicscheck.result import AuditResult

#: The reference rates `ethicscheck plan` assumes by default (its --fpr and --fnr), as the README's plan sentence does.
PLAN_FPR, PLAN_FNR = 0.05, 0.20


def _card(result: AuditResult) -> CardConfig:
    return CardConfig.model_validate(result.run.config.get("card", {}))


def _shown(result: AuditResult) -> AuditResult:
    return publishable(result, _card(result)).result


def _first_feature(result: AuditResult) -> FeatureResult:
    return result.fairness.features[0]


def finding(result: AuditResult) -> str:
    """The card's first finding, as a block quote (the five-minute tour)."""
    found = top_finding(result)
    if found is None:
        raise SystemExit("the demo has no finding to quote")
    return "\n".join("> " + line for line in textwrap.wrap(found.text, width=106))


def reason(result: AuditResult) -> str:
    """Why the verdict is what it is: the card's first sentence under the verdict (Model cards)."""
    card = _card(result)
    reasons = gate_reasons(_shown(result), noun=card.item_noun, words=card.outcome)
    if not reasons:
        raise SystemExit("the demo's gates all passed: the README's 'Verdict first' quote needs a failed gate")
    return reasons[0].text


def power(result: AuditResult) -> str:
    """What a group's "no finding" is worth: the first such sentence of the first feature (How much data?)."""
    card = _card(result)
    sentences = detectable_sentences(_first_feature(_shown(result)), card.item_noun, card.outcome)
    if not sentences:
        raise SystemExit("the demo's first feature has no group without a finding to quote")
    return sentences[0]


def _plan_sizes(feature: FeatureResult) -> tuple[list[tuple[str, tuple[int, int]]], int]:
    sizes = [(g.group, (g.n_negative, g.n_positive)) for g in feature.groups]
    return sizes, next(i for i, g in enumerate(feature.groups) if g.is_reference)


def plan_commands(result: AuditResult) -> str:
    """`ethicscheck plan` examples; the last gives the demo's reference group and its most over-flagged group by hand."""
    feature = _first_feature(result)
    reference = feature.group(feature.reference)
    worst = max(
        (g for g in feature.groups if not g.is_reference and g.metrics["fpr"].value is not None),
        key=lambda g: g.metrics["fpr"].value or 0.0,
    )
    by_hand = " ".join(f"--group {_quoted(f'{g.group}={g.n_negative}/{g.n_positive}')}" for g in (reference, worst))
    return "\n".join(
        [
            "```bash",
            "ethicscheck plan --config configs/demo.yaml                       "
            "# 1.25x at 80% power (fairness.planning_ratio, fairness.power)",
            "ethicscheck plan --config configs/demo.yaml --ratio 1.5 --fpr 0.03 --fnr 0.25 --json",
            f"ethicscheck plan {by_hand} --ratio 2",
            "```",
        ]
    )


def _quoted(argument: str) -> str:
    return f'"{argument}"' if " " in argument else argument


def plan(result: AuditResult) -> str:
    """What `ethicscheck plan --config configs/demo.yaml` says of the demo's nationalities, in one sentence."""
    fairness = FairnessConfig.model_validate(result.run.config.get("fairness", {}))
    feature = _first_feature(result)
    sizes, reference = _plan_sizes(feature)
    groups = plan_groups(
        feature.name,
        sizes,
        reference,
        reference_fpr=PLAN_FPR,
        reference_fnr=PLAN_FNR,
        ratio=fairness.planning_ratio,
        power=fairness.power,
        min_group_size=fairness.min_group_size,
    )
    needed = {g.fpr.n if g.fpr is not None else None for g in groups if not g.is_reference}
    each = next(iter(needed))
    n_reference = sizes[reference][1][0]
    if len(needed) != 1 or each is None or any(n >= each for _, (n, _) in sizes):
        raise SystemExit(f"the plan of '{feature.name}' changed shape: rewrite the README's plan sentence (negatives needed: {needed})")
    noun = _card(result).item_noun
    sentence = (
        f"On the demo's {result.fairness.overall.n:,} {noun}, at an expected {PLAN_FPR:.0%} false-positive rate, a "
        f"{fairness.planning_ratio:g}× difference is out of reach for every group: each nationality would need about "
        f"{round(each, -2):,} benign {noun}, and the reference as many (it has {n_reference:,})."
    )
    return "\n".join(textwrap.wrap(sentence, width=110))


#: Every quote the README holds, by marker name (`<!-- demo-<name>`).
QUOTES: dict[str, Callable[[AuditResult], str]] = {
    "finding": finding,
    "reason": reason,
    "power": power,
    "plan-commands": plan_commands,
    "plan": plan,
}


def _pattern(name: str) -> re.Pattern[str]:
    start, end = f"<!-- demo-{name}", f"<!-- /demo-{name} -->"
    return re.compile(rf"({re.escape(start)}(?![\w-])[^\n]*?-->\n?)(.*?)(\n?{re.escape(end)})", re.S)


def _normal(text: str) -> str:
    return " ".join(text.split())


def quoted(readme: str, name: str) -> str:
    """The text between the README's markers of quote ``name``."""
    match = _pattern(name).search(readme)
    if match is None:
        raise SystemExit(f"README.md: no '<!-- demo-{name} ... -->' / '<!-- /demo-{name} -->' markers")
    return match.group(2)


def stale_quotes(result: AuditResult, readme: str) -> list[str]:
    """The names of the README's quotes that differ from what ``result`` gives (whitespace aside)."""
    return [name for name, write in QUOTES.items() if _normal(quoted(readme, name)) != _normal(write(result))]


def main(audit_json: Path, readme: Path) -> None:
    result = AuditResult.read_json(audit_json)
    text = readme.read_text(encoding="utf-8")
    for name, write in QUOTES.items():
        text = _written(text, name, write(result))
    readme.write_text(text, encoding="utf-8")


def _written(readme: str, name: str, quote: str) -> str:
    quoted(readme, name)  # the markers are there
    return _pattern(name).sub(lambda m: m.group(1) + quote + m.group(3), readme, count=1)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
