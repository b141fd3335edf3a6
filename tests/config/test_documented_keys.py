"""The config docs and the config agree: every key has a description (``ethicscheck schema`` prints it) and is named in
README.md or a shipped config, and every key README.md and the shipped configs show is one the config reads."""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from ethicscheck.compare._config import CompareConfig
from ethicscheck.config import AuditConfig

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
SHIPPED = {path.name: path.read_text(encoding="utf-8") for path in sorted((REPO / "configs").glob("*.yaml"))}
ROOTS = (AuditConfig, CompareConfig)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The config models a field holds (through Optional, lists, unions and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models(arg)]


def config_keys(model: type[BaseModel], prefix: str = "") -> dict[str, bool]:
    """Every key path of ``model`` (``data.label.column``) -> whether it holds keys of its own (a section)."""
    keys: dict[str, bool] = {}
    for name, field in model.model_fields.items():
        path = prefix + (field.alias or name)
        keys[path] = keys.get(path, False) or bool(_models(field.annotation))
        for sub in _models(field.annotation):
            for key, section in config_keys(sub, path + ".").items():
                keys[key] = keys.get(key, False) or section
    return keys


def old_names(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Renamed keys (``renamed_fields``) at their paths: still read, with a warning."""
    names = {prefix + old for old in getattr(model, "renamed_fields", {})}
    for name, field in model.model_fields.items():
        for sub in _models(field.annotation):
            names |= old_names(sub, f"{prefix}{field.alias or name}.")
    return names


KEYS: dict[str, bool] = {k: v for root in ROOTS for k, v in config_keys(root).items()}
OLD = {name for root in ROOTS for name in old_names(root)}
NAMES = {path.rsplit(".", 1)[-1] for path in (*KEYS, *OLD)}


def is_config_key(path: str) -> bool:
    """A key path the config reads: a field, an old name, or any key inside a free-form mapping (spark.conf, headers)."""
    if path in KEYS or path in OLD:
        return True
    parts = path.split(".")
    return any(KEYS.get(".".join(parts[:i])) is False for i in range(1, len(parts)))


def yaml_blocks(markdown: str) -> Iterator[str]:
    yield from (m.group(1) for m in re.finditer(r"```ya?ml\n(.*?)```", markdown, re.S))


def _paths(node: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _paths(item, prefix)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield prefix + str(key)
            yield from _paths(value, f"{prefix}{key}.")


def commented_keys(text: str) -> Iterator[str]:
    """Keys of settings shown in YAML comments but not set (``# header: false, skip_rows: 0``); prose is skipped.

    A comment is a setting when it starts with ``key: value`` (one token, then a comma, a brace, two spaces or its
    end): "# config: no derived columns" is prose. Its further keys follow ``{``, ``(``, a comma or two spaces.
    """
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            continue
        comment = line.lstrip().lstrip("#").split(" #")[0]
        first = re.match(r"\s*(?:-\s*)?\{?([a-z_]+):(?:\s+[^\s,{}]+)?(?=\s*$|\s*[,{}\[\]]|\s{2})", comment)
        if first:
            yield first.group(1)
            yield from re.findall(r"(?:[{(,]\s*|\s{2,})([a-z_]+): ", comment[first.end() :])


def phantom_keys(markdown: str, configs: dict[str, str]) -> list[str]:
    """Keys ``markdown`` (README) and ``configs`` show that the config does not read."""
    toplevel = {path.split(".")[0] for path in KEYS}
    found = []
    for block in yaml_blocks(markdown):
        document = yaml.safe_load(block)
        if isinstance(document, dict) and set(document) & toplevel:  # a config, not a CI workflow
            found += [path for path in _paths(document) if not is_config_key(path)]
        found += [f"# {name}" for name in commented_keys(block) if name not in NAMES]
    for name, text in configs.items():
        found += [f"{name}: # {key}" for key in commented_keys(text) if key not in NAMES]
    documented = audit_json_keys()
    for match in re.finditer(r"`([a-z_]+(?:\.[a-z_0-9]+)+)`", markdown):  # `privacy.max_rows`, `data.n_rows_read`
        path = match.group(1)
        if path.split(".")[0] in toplevel and not is_config_key(path) and path not in documented:
            found.append(f"`{path}`")
    return found


def audit_json_keys() -> set[str]:
    """Key paths of the golden audit.json and comparison.json: README also names keys of what an audit writes."""
    keys: set[str] = set()
    for name in ("demo_audit.json", "comparison.json"):
        keys |= set(_paths(json.loads((REPO / "tests" / "golden" / name).read_text(encoding="utf-8"))))
    return keys


def undocumented_keys(markdown: str, configs: dict[str, str]) -> list[str]:
    """Config keys neither README (in its YAML or code spans) nor a shipped config names."""
    named: set[str] = set()
    for text in (*yaml_blocks(markdown), *configs.values()):
        named |= set(re.findall(r"([A-Za-z_][A-Za-z_0-9]*):", text))
    for span in re.findall(r"(?<!`)`([^`\n]+)`(?!`)", markdown):
        named |= set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", span))
    return sorted(path for path in KEYS if path.rsplit(".", 1)[-1] not in named)


def undescribed_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Fields without a description in the JSON Schema (a section counts when its model has a docstring; a one-value
    ``Literal`` selecting a model kind or method explains itself)."""
    missing = []
    for name, field in model.model_fields.items():
        path = prefix + (field.alias or name)
        models = _models(field.annotation)
        selector = typing.get_origin(field.annotation) is typing.Literal and len(typing.get_args(field.annotation)) == 1
        if not (field.description or selector or (models and all(m.__doc__ for m in models))):
            missing.append(f"{path} ({model.__name__})")
        for sub in models:
            missing += undescribed_fields(sub, path + ".")
    return missing


@pytest.mark.parametrize("root", ROOTS, ids=lambda root: root.__name__)
def test_every_config_key_has_a_description_in_the_schema(root):
    assert undescribed_fields(root) == [], "add Field(description=...): `ethicscheck schema` prints it"


def test_every_config_key_is_named_in_the_readme_or_a_shipped_config():
    assert undocumented_keys(README, SHIPPED) == [], "name it in README.md's config example of its section, or in configs/*.yaml"


def test_every_key_the_readme_and_shipped_configs_show_is_read_by_the_config():
    assert phantom_keys(README, SHIPPED) == []


def test_the_checks_catch_a_missing_and_a_phantom_key():
    misspelt = README + "\n```yaml\nprivacy:\n  score_treshold: 0.4\n  # max_row: 10\n```\nSee `fairness.n_boots`.\n"
    assert phantom_keys(misspelt, {"x.yaml": "# skip_row: 1\n"}) == [
        "privacy.score_treshold",
        "# max_row",
        "x.yaml: # skip_row",
        "`fairness.n_boots`",
    ]
    assert undocumented_keys(README.replace("score_threshold", "threshold_of_scores"), SHIPPED) == ["privacy.score_threshold"]
    assert "model.format (SklearnModelConfig)" not in undescribed_fields(AuditConfig)
    assert is_config_key("spark.conf.spark.executor.memory") and is_config_key("gates.min_n") and not is_config_key("spark.confs")
