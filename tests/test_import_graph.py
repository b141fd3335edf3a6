"""The import graph of ``ethicscheck``, read from the source (AST, nothing imported).

Checks the rules written in CONTRIBUTING.md ("Layers"):

1. nothing imports upward in the layer order;
2. the module-level import graph has no cycles;
3. an import inside a function is only there to defer a heavy dependency: the module it names pulls in
   a heavy third-party package at import time, or the importer is an entry point (``cli``,
   ``integrations``) that must start fast.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
CONTRIBUTING = Path(__file__).resolve().parents[1] / "CONTRIBUTING.md"

#: Third-party packages whose import costs seconds or pulls in large native libraries.
HEAVY = {
    "art",
    "diffprivlib",
    "fairlearn",
    "matplotlib",
    "mlflow",
    "onnxruntime",
    "presidio_analyzer",
    "presidio_anonymizer",
    "scipy",
    "selenium",
    "skl2onnx",
    "sklearn",
    "skops",
    "spacy",
}
#: Modules that are entry points: they defer even ethicscheck's own modules so `--help`, pytest start-up
#: and MLflow's plugin discovery stay fast.
ENTRY_POINTS = ("ethicscheck.cli", "ethicscheck.integrations")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted((SRC / "ethicscheck").rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, source: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative import
        package = source.split(".") if MODULES[source].name == "__init__.py" else source.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
    # `from ethicscheck import _vocabulary` names a module; `from ethicscheck.config import AuditConfig` a name.
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def edges_of(source: str, tree: ast.AST) -> list[Edge]:
    found: list[Edge] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.extend(Edge(source, t, child.lineno, in_function) for t in _targets(child, source))
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


EDGES: list[Edge] = [e for name, path in MODULES.items() for e in edges_of(name, ast.parse(path.read_text(encoding="utf-8")))]


def layers_from_contributing() -> list[list[str]]:
    """The layer table in CONTRIBUTING.md: lines ``N. `a`, `b` — text`` under '## Layers', bottom first."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    layers = []
    for line in section.splitlines():
        match = re.match(r"^\d+\.\s+(.*?)\s+—", line)
        if match:
            layers.append(re.findall(r"`([\w.]+)`", match.group(1)))
    return layers


LAYERS = layers_from_contributing()


def layer_of(module: str) -> int:
    """The layer of the longest listed prefix of ``module``."""
    best, depth = None, -1
    for number, names in enumerate(LAYERS):
        for name in names:
            # `ethicscheck` itself is the package's __init__, not a prefix of every module.
            covers = module == name or (module.startswith(name + ".") and name != "ethicscheck")
            if covers and name.count(".") > depth:
                best, depth = number, name.count(".")
    if best is None:
        raise AssertionError(f"{module} is in no layer of CONTRIBUTING.md; add it to the layer table")
    return best


def internal(edge: Edge) -> bool:
    return edge.target == "ethicscheck" or edge.target.startswith("ethicscheck.")


def resolve(target: str) -> str:
    """The module an import target names (a name imported from a package resolves to the package)."""
    while target not in MODULES and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def test_the_layer_table_is_in_contributing_and_covers_every_module():
    assert len(LAYERS) >= 8, LAYERS
    for module in MODULES:
        layer_of(module)


def facade(edge: Edge) -> bool:
    """The package root's lazy re-exports (PEP 562 ``__getattr__``): ``from ethicscheck import assess`` without
    importing the engine on ``import ethicscheck``. The root is imported by every module, so it may only
    reach up lazily, never at module level."""
    return edge.source == "ethicscheck" and edge.in_function


def test_nothing_imports_upward():
    upward = [
        f"{e.source} (layer {layer_of(e.source)}) imports {e.target} (layer {layer_of(resolve(e.target))}) at line {e.line}"
        for e in EDGES
        if internal(e) and layer_of(resolve(e.target)) > layer_of(e.source) and not facade(e)
    ]
    assert upward == []


def module_level_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for e in EDGES:
        if internal(e) and not e.in_function and resolve(e.target) != e.source:
            graph[e.source].add(resolve(e.target))
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles():
    assert find_cycle(module_level_graph()) is None


@pytest.mark.parametrize(
    ("graph", "expected"),
    [({"a": {"b"}, "b": {"c"}, "c": set()}, None), ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]), ({"a": {"a"}}, ["a", "a"])],
)
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert find_cycle(graph) == expected


def heavy_at_import() -> set[str]:
    """Modules that import a heavy package at module level, directly or through other modules."""
    graph = module_level_graph()
    heavy = {e.source for e in EDGES if not e.in_function and e.target.split(".")[0] in HEAVY}
    changed = True
    while changed:
        changed = False
        for module, targets in graph.items():
            if module not in heavy and targets & heavy:
                heavy.add(module)
                changed = True
    return heavy


def test_imports_inside_functions_only_defer_heavy_dependencies():
    heavy = heavy_at_import()
    needless = [
        f"{e.source}:{e.line} imports {e.target} inside a function; import it at the top of the module"
        for e in EDGES
        if e.in_function
        and internal(e)
        and not e.source.startswith(ENTRY_POINTS)
        and resolve(e.target) not in heavy
        and not MODULES[e.source].name.startswith("test")
    ]
    assert needless == []


def test_a_new_top_level_package_must_be_placed_in_the_table():
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("ethicscheck.brand_new")


def test_the_rules_catch_an_upward_import_and_a_needless_deferred_import():
    tree = ast.parse("from ethicscheck.audit import run_audit\n\ndef f():\n    from ethicscheck.errors import ConfigError\n")
    edges = edges_of("ethicscheck.config._models", tree)
    assert [(e.target, e.in_function) for e in edges] == [("ethicscheck.audit", False), ("ethicscheck.errors", True)]
    assert layer_of("ethicscheck.audit") > layer_of("ethicscheck.config._models")
    assert "ethicscheck.errors" not in heavy_at_import()
