"""No app depends on an app above it, and no two apps depend on each other
(docs/architecture.md).

The graph is read from the source with `ast`. An app depends on another when it
- imports it, at module level or inside a function (an import moved into a function to dodge a
  circular import is still a dependency), or
- names one of its models as "app.Model" (a ForeignKey or ManyToMany target, `apps.get_model`):
  the ORM loads it without an import, but the tables are tied all the same.

Left out:
- `tests/`, which may reach any app they need, and `migrations/`, which are history (they keep
  naming what the models were when they were written);
- imports under `if TYPE_CHECKING:`: they name a type for the type checker and load nothing at
  run time (core names `Person`, which it reaches through `AUTH_USER_MODEL`).
Demo data (`demo/`) and benchmarks (`bench/`) are read like the rest.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
LEFT_OUT = {"tests", "migrations"}
MODEL_NAME = re.compile(r"([a-z_]+)\.[A-Z]\w*")
# Dependencies that go up while they are being reworked: (app, app it depends on) → why.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Dependency:
    app: str
    on: str
    what: str  # the imported module, or the model named
    where: str  # file:line

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def apps() -> list[str]:
    return sorted(p.parent.name for p in PACKAGE.glob("*/apps.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _references(tree: ast.AST, package: list[str]) -> list[tuple[str, str, int]]:
    """(app named, what names it, line) for every import of `portevoix.<app>` and every
    "<app>.<Model>" string."""
    found: list[tuple[str, str, int]] = []

    def imported(module: str, line: int) -> None:
        parts = module.split(".")
        if len(parts) > 1 and parts[0] == "portevoix":
            found.append((parts[1], f"imports {module}", line))

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for statement in node.orelse:
                visit(statement)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module == "portevoix":  # `from portevoix import sharing` names the app
                for alias in node.names:
                    imported(f"portevoix.{alias.name}", node.lineno)
            else:
                imported(module, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            model = MODEL_NAME.fullmatch(node.value)
            if model:
                found.append((model.group(1), f'names "{node.value}"', node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def dependencies_between_apps() -> list[Dependency]:
    names = set(apps())
    found = []
    for app in sorted(names):
        for path in sorted((PACKAGE / app).rglob("*.py")):
            inside = path.relative_to(PACKAGE / app).parts[:-1]
            if LEFT_OUT.intersection(inside):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for on, what, line in _references(tree, ["portevoix", app, *inside]):
                if on in names and on != app:
                    where = f"{path.relative_to(PACKAGE.parent)}:{line}"
                    found.append(Dependency(app=app, on=on, what=what, where=where))
    return found


def documented_layers() -> list[list[str]]:
    """The `layers` block of docs/architecture.md, top line first."""
    block = re.search(r"```layers\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```layers block"
    return [line.split() for line in block.group(1).splitlines() if line.strip()]


def cycles(edges: set[tuple[str, str]]) -> list[tuple[list[str], list[str]]]:
    """Every group of two apps or more that depend on each other, directly or around a loop
    (a strongly connected component, Tarjan's algorithm), with one closed path through it."""
    graph: dict[str, set[str]] = defaultdict(set)
    for app, on in edges:
        graph[app].add(on)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in sorted(graph[app]):
            if other not in index:
                connect(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            connect(app)
    return [(group, _closed_path(group, graph)) for group in groups]


def _closed_path(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest way from the group's first app back to itself."""
    start = group[0]
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for other in sorted(graph[path[-1]] & set(group)):
            if other == start:
                return [*path, start]
            if other not in path:
                paths.append([*path, other])
    return group


def _evidence(found: list[Dependency], app: str, on: str) -> str:
    lines = sorted({str(d) for d in found if (d.app, d.on) == (app, on)})
    return "\n    ".join(lines[:5] + (["…"] if len(lines) > 5 else []))


def test_the_graph_sees_imports_and_model_names():
    found = dependencies_between_apps()
    assert any(d.app == "sharing" and d.on == "content" and "imports" in d.what for d in found)
    assert any(d.app == "tracking" and d.what == 'names "content.Post"' for d in found)


def test_the_documented_layers_name_every_app_once():
    named = [app for layer in documented_layers() for app in layer]
    assert sorted(named) == apps()


def test_no_two_apps_depend_on_each_other():
    found = dependencies_between_apps()
    edges = {(d.app, d.on) for d in found} - set(KNOWN_UPWARD)
    problems = []
    for group, path in cycles(edges):
        steps = [f"  {a} → {b}:\n    {_evidence(found, a, b)}" for a, b in pairwise(path)]
        problems.append(
            f"{', '.join(group)} depend on each other, for example "
            + " → ".join(path)
            + "\n"
            + "\n".join(steps)
        )
    assert not problems, "Cycles between apps:\n" + "\n".join(problems)


def test_every_dependency_goes_down_the_documented_layers():
    level = {app: n for n, layer in enumerate(documented_layers()) for app in layer}
    found = dependencies_between_apps()
    wrong = sorted(
        {
            (d.app, d.on)
            for d in found
            if level[d.app] >= level[d.on] and (d.app, d.on) not in KNOWN_UPWARD
        }
    )
    problems = [f"{a} → {b}:\n    {_evidence(found, a, b)}" for a, b in wrong]
    assert not problems, (
        "Dependencies against docs/architecture.md (an app may use only lower lines):\n"
        + "\n".join(problems)
    )


def test_a_known_upward_dependency_still_exists():
    """Once an exception is gone, it must leave the list, so that it cannot come back."""
    edges = {(d.app, d.on) for d in dependencies_between_apps()}
    assert set(KNOWN_UPWARD) <= edges, f"remove from KNOWN_UPWARD: {set(KNOWN_UPWARD) - edges}"
